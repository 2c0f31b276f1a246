"""Test fixtures and helpers that every module's tests share; registered as pytest plugins by
the root ``conftest.py``. Imported by tests only."""
