#!/usr/bin/env python3
"""Zhongtai's two commands, for a fresh machine with only Python 3.11:

    python3.11 dev.py run    set up, load the demo data and serve on http://127.0.0.1:8000
    python3.11 dev.py test   set up and run the whole test suite (lint, contracts, types, tests)

Both create .venv/ on first use and reinstall only when pyproject.toml changes, so a second run
is quick. Uses the standard library only: it runs before anything is installed.
"""

import argparse
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
STAMP = VENV / ".zhongtai-installed"


def sh(*args: str | Path, env: dict | None = None, check: bool = True) -> int:
    """Run a command from the project root, echoing it; stop on failure when check is set."""
    print("+", " ".join(str(a) for a in args), flush=True)
    code = subprocess.call([str(a) for a in args], cwd=ROOT, env=env)
    if check and code != 0:
        sys.exit(code)
    return code


def setup() -> None:
    """Create the virtual environment and install the project with its test tools."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Zhongtai needs Python 3.11 (this is {sys.version.split()[0]}).")
    if not PY.exists():
        print("Creating .venv/ ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        sh(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        STAMP.write_text(wanted)


def manage(*args: str, env: dict | None = None) -> None:
    """Run a manage.py command in the virtual environment."""
    sh(PY, "manage.py", *args, env=env)


def run(port: int) -> None:
    """Migrate, load the demo data, make the admin, serve, and sweep the outbox alongside."""
    setup()
    manage("migrate", "--no-input", "-v", "0")
    manage("load_demo")
    manage("ensure_admin")
    # In the embedded default Celery is eager; the sweep delivers retries and lost events.
    sweeper = subprocess.Popen([str(PY), "manage.py", "bus_sweep", "--loop", "10"], cwd=ROOT)
    try:
        print(f"\nZhongtai is at http://127.0.0.1:{port}/  (Ctrl+C to stop)\n", flush=True)
        sh(PY, "manage.py", "runserver", f"127.0.0.1:{port}", check=False)
    except KeyboardInterrupt:
        pass
    finally:
        sweeper.terminate()


def test(pytest_args: list[str]) -> None:
    """Lint, check the boundaries and types, migrations and API schema, then run pytest."""
    setup()
    env = dict(os.environ)
    sh(PY, "-m", "ruff", "check", ".")
    sh(PY, "-m", "ruff", "format", "--check", ".")
    sh(VENV / "bin" / "lint-imports", env=env)
    sh(PY, "-m", "mypy", env=env)
    sh(PY, "manage.py", "makemigrations", "--check", "--dry-run", env=env)
    sh(PY, "manage.py", "check_openapi_schema", env=env)
    sh(PY, "-m", "pytest", *pytest_args, env=env)


def main() -> None:
    """Parse the command line and run the chosen command."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="set up and serve Zhongtai with demo data")
    run_parser.add_argument("--port", type=int, default=8000)
    test_parser = sub.add_parser("test", help="set up and run the whole test suite")
    test_parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed to pytest")
    args, extra = parser.parse_known_args()
    if args.command == "run":
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        run(args.port)
    else:
        test([*extra, *args.pytest_args])


if __name__ == "__main__":
    main()
