"""What the document pages of every app share: the staff gate, the status steps a page offers
and the one runner that takes them, and how a refusal reads.

A page declares its steps once, in a :class:`StepTable`; the detail view hands
``table.buttons(request.user, document)`` to ``includes/action_bar.html``, and every step's URL
ends in :func:`run_step`. See ``docs/documents.md`` ("Steps on a page").
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise

from common.errors import DomainError
from erp_core.documents.forms import ReasonForm

ERP = "erp_core.access_erp"

# How a step asks for a reason (Step.reason).
OPTIONAL = "optional"
REQUIRED = "required"


def staff_required(*perms: str, modules: tuple[str, ...] = (ERP,)) -> Callable:
    """Signed in, one of ``modules`` (a module's access permission) and every one of ``perms``;
    else 403 (a visitor not signed in goes to the login page)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not any(user.has_perm(module) for module in modules) or not user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate


def error_text(exc: Exception) -> str:
    """A service's refusal (a validation error or a conflict) as one line for a message."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def posted_revision(request: HttpRequest) -> int | None:
    """The revision a step's form was shown at (``revision``), so that a step taken on a page
    gone stale is refused; None when the form sent none."""
    value = request.POST.get("revision", "").strip()
    return int(value) if value.isdigit() else None


@dataclass(frozen=True)
class Step:
    """One status step of a document page (approve, void, close…): who may take it, what it
    calls, what the page asks for and what it says afterwards.

    The service is called as ``service(<argument>=document, actor=user,
    expected_revision=<posted>, reason=<posted>, **<form's cleaned data>)``, each part only
    when the step has it. ``done`` names the document as ``%(document)s``.
    """

    name: str  # the verb in the URL and the button's data-testid
    service: Callable[..., Any]
    permission: str | Callable[[QueryDict], str]  # or chosen by the POSTed data
    done: str | Promise
    label: str | Promise = ""  # the button; a step without one is not in the action bar
    reason: str = ""  # "", OPTIONAL or REQUIRED
    confirm: str | Promise = ""  # the question asked before an irreversible step
    button_class: str = "btn-primary"
    when: Callable[[Any], bool] = field(default=lambda document: True)  # offered in this state
    form: Callable[[QueryDict | None, Any], forms.Form] | None = None  # more input: (data, doc)
    inline_fields: tuple[str, ...] = ()  # the form's fields shown in the action bar
    missing: str | Promise = ""  # said when the reason or form is wanting (else its errors)
    revision: bool = True  # the service takes expected_revision
    actor: bool = True  # the service takes the user as actor
    follow: bool = False  # go to the document the service returns (a reversal)
    then: str = ""  # the URL name to go to once done, instead of the document's page
    testid: str = ""  # the button's data-testid when it is not the step's name

    @property
    def button_id(self) -> str:
        return self.testid or self.name


@dataclass(frozen=True)
class StepButton:
    """A step as the action bar draws it for one document."""

    step: Step
    url: str
    revision: int | None
    form: forms.Form | None

    @property
    def fields(self) -> list:
        if self.form is None:
            return []
        return [self.form[name] for name in self.step.inline_fields]


@dataclass(frozen=True)
class StepTable:
    """The steps of one kind of document, declared once for its page and its URLs.

    ``url`` is the URL name of a step: ``"sales:order-{name}"`` (one URL per step, reversed
    with the document's pk) or ``"purchasing:order-action"`` (reversed with pk and step name).
    """

    argument: str  # the service's keyword for the document: "order", "invoice"…
    detail: str  # the URL name of the document's page
    url: str
    steps: tuple[Step, ...]

    def __getitem__(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise Http404(name)

    def step_url(self, step: Step, document) -> str:
        if "{name}" in self.url:
            return reverse(self.url.format(name=step.name), args=[document.pk])
        return reverse(self.url, args=[document.pk, step.name])

    def buttons(self, user, document, *, hide: Iterable[str] = ()) -> list[StepButton]:
        """The steps ``user`` may take on ``document`` as it stands, as action-bar buttons;
        ``hide`` names steps the page withholds for reasons of its own (something made from
        the document already)."""
        hidden = set(hide)
        shown = []
        for step in self.steps:
            if not step.label or step.name in hidden or not step.when(document):
                continue
            if not user.has_perm(_permission(step, QueryDict())):
                continue
            shown.append(
                StepButton(
                    step=step,
                    url=self.step_url(step, document),
                    revision=getattr(document, "revision", None) if step.revision else None,
                    form=step.form(None, document) if step.form else None,
                )
            )
        return shown

    def run(self, request: HttpRequest, document, name: str) -> HttpResponse:
        """Take the step called ``name`` (404 when there is none) on ``document``."""
        return run_step(request, document, self[name], table=self)


def _permission(step: Step, data: QueryDict) -> str:
    return step.permission(data) if callable(step.permission) else step.permission


def _form_errors(form: forms.Form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def run_step(request: HttpRequest, document, step: Step, *, table: StepTable) -> HttpResponse:
    """Take ``step`` on ``document`` from a POSTed button and go back to the document's page.

    Checks the step's permission (403), reads the reason, the step's form and the revision
    the page was shown at; a missing reason, bad input, a stale page or a service's refusal is
    a message on the page and nothing changes.
    """
    if not request.user.has_perm(_permission(step, request.POST)):
        raise PermissionDenied
    back = redirect(table.detail, pk=document.pk)
    kwargs: dict = {table.argument: document}
    if step.actor:
        kwargs["actor"] = request.user
    if step.revision:
        kwargs["expected_revision"] = posted_revision(request)
    if step.reason:
        reason_form = ReasonForm(request.POST, required=step.reason == REQUIRED)
        if not reason_form.is_valid():
            messages.error(request, str(step.missing or _form_errors(reason_form)))
            return back
        kwargs["reason"] = reason_form.cleaned_data["reason"]
    if step.form:
        form = step.form(request.POST, document)
        if not form.is_valid():
            messages.error(request, str(step.missing or _form_errors(form)))
            return back
        kwargs.update({k: v for k, v in form.cleaned_data.items() if k != "revision"})
    try:
        result = step.service(**kwargs)
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
        return back
    shown = result if isinstance(result, type(document)) else document
    messages.success(request, step.done % {"document": shown})
    if step.then:
        return redirect(step.then)
    if step.follow:
        return redirect(table.detail, pk=shown.pk)
    return back
