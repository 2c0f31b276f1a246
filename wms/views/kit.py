"""What every WMS page shares: the module gate, list paging, and the scan-screen kit.

A scan screen is a :class:`ScanFlow`: steps that each take one scan (a bin, an item, a lot, a
quantity…), then ``finish``, which calls a service. The screen carries what was scanned so far
in hidden fields and posts every scan with htmx; the server re-reads those values, resolves
the new scan for the step it prompts, and answers one fragment: the next prompt, an error
(nothing taken, nothing moved) or the work done. ``templates/wms/scan/`` draws it and
``static/wms/scan.js`` keeps the input focused and beeps; see docs/wms.md ("Screens").
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from common.errors import DomainError
from erp_core.documents.views import error_text, staff_required

WMS = "wms.access_wms"
PER_PAGE = 50
MAX_SCAN = 128  # longer than any barcode, lot number or quantity a scanner sends


def wms_required(*perms: str) -> Callable:
    """Signed in with access to WMS (and ``perms``); else 403."""
    return staff_required(*perms, modules=(WMS,))


def paginate(request: HttpRequest, rows) -> Page:
    """The page of ``rows`` the request asks for (``?page=``)."""
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


def int_param(request: HttpRequest, name: str) -> int | None:
    """A whole-number query parameter, or None when absent or not a number."""
    value = request.GET.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


# --- the scan-screen kit -----------------------------------------------------------------------


def _always(_scanned: dict) -> bool:
    return True


@dataclass(frozen=True)
class ScanStep:
    """One scan a screen asks for.

    ``resolve(value, scanned)`` turns the scanned text into what it names, given what was
    scanned before (a dict by step name), or raises ValidationError with what is wrong.
    ``when(scanned)`` says whether the step applies (a lot only for a lot-tracked item).
    """

    name: str
    prompt: str | Promise
    resolve: Callable[[str, dict], Any]
    when: Callable[[dict], bool] = _always
    numeric: bool = False  # a quantity: the handheld shows its number pad
    show: Callable[[Any], str] = str
    hint: Callable[[dict], str] | None = None  # what exactly to scan next (bin A-01…)


@dataclass(frozen=True)
class ScanFlow:
    """A scan screen: its URL name, title, steps and the work done once all are scanned.

    ``finish(scanned, user)`` calls the service and returns the success message; a refusal
    (ValidationError or a domain error) is shown and the last scan is asked for again.
    """

    url_name: str
    title: str | Promise
    steps: tuple[ScanStep, ...]
    finish: Callable[[dict, Any], str]
    intro: str | Promise = ""
    keep: tuple[str, ...] = field(default=())  # steps kept for the next round (the bin)


@dataclass
class _State:
    scanned: dict  # step name → resolved value
    raw: dict  # step name → scanned text
    current: ScanStep | None


def _replay(flow: ScanFlow, data) -> tuple[_State, str]:
    """Resolve the scans carried by the form again, in order; stop at the first step not yet
    scanned. A carried scan that no longer resolves (stock moved meanwhile) is dropped with
    its reason, and so is every scan after it."""
    scanned: dict = {}
    raw: dict = {}
    for step in flow.steps:
        if not step.when(scanned):
            continue
        text = (data.get(f"s_{step.name}") or "").strip()[:MAX_SCAN]
        if not text:
            return _State(scanned, raw, step), ""
        try:
            scanned[step.name] = step.resolve(text, scanned)
        except ValidationError as exc:
            return _State(scanned, raw, step), error_text(exc)
        raw[step.name] = text
    return _State(scanned, raw, None), ""


def _next(flow: ScanFlow, scanned: dict) -> ScanStep | None:
    for step in flow.steps:
        if step.when(scanned) and step.name not in scanned:
            return step
    return None


def _context(flow: ScanFlow, state: _State, *, result: str, message: str) -> dict:
    done = [
        (step, state.scanned[step.name])
        for step in flow.steps
        if step.name in state.scanned and step.name in state.raw
    ]
    step = state.current
    return {
        "hint": step.hint(state.scanned) if step is not None and step.hint else "",
        "flow": flow,
        "url": reverse(flow.url_name),
        "result": result,  # prompt, ok, done or error
        "message": message,
        "step": state.current,
        "carried": list(state.raw.items()),
        "done": [(step.prompt, step.show(value)) for step, value in done],
    }


def scan_screen(request: HttpRequest, flow: ScanFlow) -> HttpResponse:
    """GET: the screen at its first prompt. POST: take one scan (``scan``) and answer the
    panel fragment (htmx) or the whole screen (a browser without JavaScript)."""
    template = "wms/scan/screen.html"
    if request.method != "POST":
        state = _State({}, {}, flow.steps[0])
        context = _context(flow, state, result="prompt", message=str(flow.intro))
        return render(request, template, context)
    if request.htmx:
        template = "wms/scan/panel.html"
    state, problem = _replay(flow, request.POST)
    if problem:
        context = _context(flow, state, result="error", message=problem)
        return render(request, template, context)
    value = request.POST.get("scan", "").strip()
    step = state.current
    if step is None:  # nothing left to scan: a form posted twice
        step = _next(flow, {})
        state = _State({}, {}, step)
    if not value:
        message = _("Scan: %(prompt)s") % {"prompt": step.prompt} if step else ""
        return render(request, template, _context(flow, state, result="error", message=message))
    if len(value) > MAX_SCAN:
        message = _("That scan is too long to be a barcode.")
        return render(request, template, _context(flow, state, result="error", message=message))
    try:
        state.scanned[step.name] = step.resolve(value, state.scanned)
    except ValidationError as exc:
        return render(
            request, template, _context(flow, state, result="error", message=error_text(exc))
        )
    state.raw[step.name] = value
    state.current = _next(flow, state.scanned)
    if state.current is not None:
        message = _("%(prompt)s: %(value)s") % {
            "prompt": step.prompt,
            "value": step.show(state.scanned[step.name]),
        }
        return render(request, template, _context(flow, state, result="ok", message=message))
    try:
        message = flow.finish(state.scanned, request.user)
    except (ValidationError, DomainError) as exc:
        del state.scanned[step.name], state.raw[step.name]
        state.current = step
        return render(
            request, template, _context(flow, state, result="error", message=error_text(exc))
        )
    kept = {name: state.scanned[name] for name in flow.keep if name in state.scanned}
    kept_raw = {name: state.raw[name] for name in flow.keep if name in state.raw}
    state = _State(kept, kept_raw, _next(flow, kept))
    return render(request, template, _context(flow, state, result="done", message=message))
