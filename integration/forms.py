"""Forms of the event log page."""

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from integration.models import Event
from integration.topics import TOPICS


def _topic_choices() -> list[tuple[str, str | Promise]]:
    return [("", _("All topics")), *((name, name) for name in sorted(TOPICS))]


class EventFilterForm(forms.Form):
    """Filter the event log by status and topic (GET parameters; blank means any)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Event.Status.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        choices=_topic_choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
