"""The base FilterSet of every document list: filters a partner user cannot probe with.

A filter on a related object (``?customer=``, ``?sales_order=``, ``?credit_note_of=``…) is a
``ModelChoiceFilter``: an id that exists answers 200, one that does not answers 400 "Select a
valid choice". For a partner user that tells which other partners and documents exist. For
partner users the base class turns each such filter into a plain id filter applied to rows the
viewset has already restricted to the caller's partner: another partner's id and an id that
does not exist both answer 200 with no rows. Staff keep the validating filters (and the
schema documents them).
"""

import django_filters
from django import forms

from erp_core.api.permissions import is_partner_user

# The ids the database holds (64-bit): a larger number is a 400 for everyone, never a crash.
_MAX_ID = 2**63 - 1


class IdFilter(django_filters.Filter):
    """A related object's id, not checked to exist: no rows match an unknown one."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", _MAX_ID)
        super().__init__(*args, **kwargs)


def _blind(model_filter: django_filters.Filter) -> django_filters.Filter:
    """An ``IdFilter`` doing what ``model_filter`` does, without telling what exists."""
    blind = IdFilter(
        field_name=model_filter.field_name,
        lookup_expr=model_filter.lookup_expr,
        label=model_filter.label,
        exclude=model_filter.exclude,
        distinct=model_filter.distinct,
    )
    blind.model = model_filter.model
    blind.parent = model_filter.parent
    return blind


class DocumentFilterSet(django_filters.FilterSet):
    """Base of every document FilterSet: for a partner user, related-object filters take any
    id and answer the same for another partner's object as for one that does not exist."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        if request is not None and is_partner_user(request.user):
            for name, model_filter in list(self.filters.items()):
                if isinstance(model_filter, django_filters.ModelChoiceFilter):
                    self.filters[name] = _blind(model_filter)
