"""The event log page."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from integration.selectors import dead_delivery_list, event_list


@permission_required("erp_core.access_integration", raise_exception=True)
def event_log(request: HttpRequest) -> HttpResponse:
    """Recent events and dead deliveries."""
    return render(
        request,
        "integration/event_log.html",
        {"events": event_list()[:100], "dead": dead_delivery_list()[:100]},
    )
