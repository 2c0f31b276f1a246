"""Form widgets shared by the staff pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchSelect(forms.Select):
    """A select for a list too long to send whole (items, partners): it renders only the chosen
    option, and the browser searches the others from ``search_url`` as the user types.

    ``static/js/zhongtai.js`` turns it into a Tom Select box that calls
    ``search_url?q=<typed text>`` and expects ``{"results": [{"value": id, "text": label}]}``.
    The field's own queryset still validates what comes back, so the endpoint may offer more
    than the field accepts but never lets through what it refuses.
    """

    def __init__(self, search_url, attrs=None) -> None:
        super().__init__(attrs)
        self.search_url = search_url

    def get_context(self, name, value, attrs) -> dict:
        """The select, with the search URL and the texts the search box shows."""
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-search-url"] = str(self.search_url)
        widget_attrs["data-no-results"] = str(_("Nothing found"))
        widget_attrs["data-placeholder"] = str(_("Type a code or name…"))
        return context

    def optgroups(self, name, value, attrs=None) -> list:
        """The empty choice and the chosen objects only: one query, whatever the list's size."""
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return super().optgroups(name, value, attrs)
        chosen = [v for v in value if v not in (None, "")]
        field = self.choices.field
        choices = [("", field.empty_label or "")] if field.empty_label is not None else []
        if chosen:
            try:
                objects = list(queryset.filter(pk__in=chosen))
            except (TypeError, ValueError):  # a malformed value sent back: show nothing chosen
                objects = []
            choices += [(obj.pk, field.label_from_instance(obj)) for obj in objects]
        all_choices = self.choices
        self.choices = choices
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = all_choices


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (2026-11-26) whatever the language:
    a Chinese-formatted date (2026年11月26日) would leave the picker empty."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class RateSelect(forms.Select):
    """A select of objects with a ``rate`` (VAT codes): each option carries ``data-rate``, so
    that a page's script can compute with the chosen one (``static/js/lines.js``)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        rate = getattr(instance, "rate", None)
        if rate is not None:
            option["attrs"]["data-rate"] = str(rate)
        return option
