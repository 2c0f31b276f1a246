"""Labels as PDF: a bin's (or every bin of a zone), an item's, a lot's."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from erp_core.documents.printing import pdf_response
from erp_core.models import Item
from wms.labels import Label
from wms.models import Bin, Lot, Zone
from wms.views.kit import wms_required


def _bin_label(bin: Bin) -> Label:
    zone = bin.zone.code if bin.zone_id else ""
    return Label(
        title=bin.code,
        value=bin.barcode,
        lines=(f"{bin.warehouse.code} · {zone} · {bin.get_bin_type_display()}",),
    )


def _pdf(request: HttpRequest, labels: list[Label], filename: str) -> HttpResponse:
    return pdf_response(
        "wms/labels/labels.html", {"labels": labels}, filename=filename, request=request
    )


@wms_required()
def bin_label(request: HttpRequest, pk: int) -> HttpResponse:
    """A bin's label: its code, warehouse, zone and type; its barcode as Code128 and QR."""
    bin = get_object_or_404(Bin.objects.select_related("warehouse", "zone"), pk=pk)
    return _pdf(request, [_bin_label(bin)], f"bin-{bin.code}.pdf")


@wms_required()
def zone_labels(request: HttpRequest, pk: int) -> HttpResponse:
    """The labels of every bin of a zone, one per page, in walking order."""
    zone = get_object_or_404(Zone, pk=pk)
    bins = (
        Bin.objects.filter(zone=zone)
        .select_related("warehouse", "zone")
        .order_by("walking_order", "code")
    )
    return _pdf(request, [_bin_label(bin) for bin in bins], f"zone-{zone.code}.pdf")


@wms_required()
def item_label(request: HttpRequest, pk: int) -> HttpResponse:
    """An item's label: its code and name; its barcode (or code) as Code128 and QR."""
    item = get_object_or_404(Item.objects.select_related("unit"), pk=pk)
    label = Label(
        title=item.code,
        value=item.barcode or item.code,
        lines=(item.name, item.specification or ""),
    )
    return _pdf(request, [label], f"item-{item.code}.pdf")


@wms_required()
def lot_label(request: HttpRequest, pk: int) -> HttpResponse:
    """A lot's label: item, lot number, made on and expiry; the lot number as Code128 and QR."""
    lot = get_object_or_404(Lot.objects.select_related("item"), pk=pk)
    dates = []
    if lot.made_on:
        dates.append(_("Made on %(date)s") % {"date": lot.made_on.isoformat()})
    if lot.expiry:
        dates.append(_("Expires %(date)s") % {"date": lot.expiry.isoformat()})
    label = Label(
        title=lot.lot_number,
        value=lot.lot_number,
        lines=(f"{lot.item.code} {lot.item.name}", " · ".join(dates)),
    )
    return _pdf(request, [label], f"lot-{lot.pk}.pdf")
