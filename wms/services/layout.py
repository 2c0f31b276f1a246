"""Writes of WMS's layout and settings: zones, bins and lots, checked and saved in one
transaction; a row still in use is refused (409) instead of deleted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError
from django.utils.translation import gettext as _

from common.errors import Conflict
from wms.models import Bin, Lot, Quant, Zone

_EDITABLE = (Zone, Bin, Lot)


@transaction.atomic
def layout_save(*, model: type[Model], data: dict, instance: Model | None = None) -> Model:
    """Create (no ``instance``) or change a zone, bin or lot: checked with the model's rules.

    A bin holding stock keeps its warehouse; a lot holding stock keeps its item.
    """
    if model not in _EDITABLE:
        raise ValidationError(_("This record is not edited here."))
    if instance is not None:
        instance = model._default_manager.select_for_update().get(pk=instance.pk)
        field = "bin" if model is Bin else "lot"
        held = (
            model in (Bin, Lot)
            and Quant.objects.filter(on_hand__gt=0, **{field: instance}).exists()
        )
        for frozen in ("warehouse", "item"):
            if held and frozen in data and getattr(instance, f"{frozen}_id") != data[frozen].pk:
                raise Conflict(
                    _("It holds stock: its %(field)s cannot change.") % {"field": frozen},
                    code="holds_stock",
                )
    else:
        instance = model()
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def layout_delete(*, instance: Model) -> None:
    """Delete a zone, bin or lot that nothing refers to (409 otherwise)."""
    if not isinstance(instance, _EDITABLE):
        raise ValidationError(_("This record is not edited here."))
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError:
        raise Conflict(
            _("%(record)s is in use and cannot be deleted.") % {"record": instance},
            code="in_use",
        ) from None
