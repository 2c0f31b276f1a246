"""The event log page: recent events, dead deliveries, counts per status, and replay."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from common.errors import Conflict, NotFound
from common.htmx import wants_partial
from integration.forms import EventFilterForm
from integration.models import Event
from integration.selectors import dead_delivery_list, event_list, event_status_counts
from integration.services import event_replay

EVENTS_PER_PAGE = 50
DEAD_SHOWN = 100


@login_required
@permission_required("erp_core.access_integration", raise_exception=True)
@vary_on_headers("HX-Request")
def event_log(request: HttpRequest) -> HttpResponse:
    """Recent events (filtered by status and topic), dead deliveries and counts per status.

    An htmx request (the filter form, the pagination) gets only the events table.
    """
    form = EventFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    events = event_list(status=filters.get("status") or None, topic=filters.get("topic") or None)
    page_obj = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page_obj}
    if wants_partial(request):
        return render(request, "integration/partials/event_table.html", context)
    counts = event_status_counts()
    context |= {
        "status_counts": [(value, label, counts[value]) for value, label in Event.Status.choices],
        "dead": dead_delivery_list()[:DEAD_SHOWN],
    }
    return render(request, "integration/event_log.html", context)


@login_required
@permission_required(
    ["erp_core.access_integration", "integration.replay_event"], raise_exception=True
)
@require_POST
def event_replay_view(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Replay a dead event: its dead receivers get a fresh set of attempts, now.

    An event that is not dead is refused with a message; an unknown one is a 404.
    """
    try:
        event = event_replay(event_id=pk)
    except NotFound as error:
        raise Http404(_("This event does not exist.")) from error
    except Conflict:
        messages.warning(
            request, _("Only a dead event can be replayed; this one is not dead (any more).")
        )
    else:
        messages.success(
            request,
            _("Event %(topic)s %(id)s was sent again.") % {"topic": event.topic, "id": event.pk},
        )
    return redirect("integration:event-log")
