"""The outbound pages: outbound orders (list and detail, where picked goods are packed), and the
print-outs of a pick list and of a package's label."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from common.templatetags.numbers import qty
from erp_core.documents.printing import pdf_response
from wms import selectors_outbound as selectors
from wms.labels import Label, code128_svg, qr_svg
from wms.models import OutboundOrder
from wms.views.kit import paginate, wms_required


@wms_required()
def outbound_list(request: HttpRequest) -> HttpResponse:
    """Outbound orders, newest first, by status, searched by number, sales order or customer."""
    status = request.GET.get("status", "")
    status = status if status in dict(OutboundOrder.Status.choices) else ""
    search = request.GET.get("q", "").strip()[:100]
    orders = selectors.outbound_order_page_list(status=status, search=search)
    context = {
        "page_obj": paginate(request, orders),
        "status": status,
        "statuses": OutboundOrder.Status.choices,
        "q": search,
    }
    return render(request, "wms/outbound_list.html", context)


@wms_required()
def outbound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An outbound order: its lines (ordered, allocated, picked, shipped, back-ordered), its
    pick lists, packages and shipments; a form packs what was picked and is not yet packed."""
    order = selectors.outbound_order_get(pk=pk)
    if order is None:
        raise Http404
    can_pack = order.status == OutboundOrder.Status.DRAFT and request.user.has_perm(
        "wms.pick_outboundorder"
    )
    return render(request, "wms/outbound_detail.html", {"order": order, "can_pack": can_pack})


@wms_required()
def pick_list_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A pick list printed: its number as Code128 and QR (the pick screen's first scan), then
    every pick in walking order — bin, item, lot or serial number, quantity, a box to tick."""
    pick_list = selectors.pick_list_get(pk=pk)
    if pick_list is None:
        raise Http404
    context = {
        "pick_list": pick_list,
        "tasks": list(pick_list.tasks.all()),
        "code128": code128_svg(pick_list.number),
        "qr": qr_svg(pick_list.number),
    }
    return pdf_response(
        "wms/labels/pick_list.html", context, filename=f"{pick_list.number}.pdf", request=request
    )


@wms_required()
def package_label(request: HttpRequest, pk: int) -> HttpResponse:
    """A package's label: its code as Code128 and QR; order, customer, weight, shipment."""
    package = selectors.package_get(pk=pk)
    if package is None:
        raise Http404
    order = package.order
    lines = [
        f"{order.number} · {order.customer.name}",
        _("Weight %(weight)s kg") % {"weight": qty(package.weight)},
    ]
    if package.shipment_id:
        shipment = package.shipment
        lines.append(" · ".join(filter(None, [shipment.number, shipment.carrier,
                                              shipment.tracking_number])))  # fmt: skip
    label = Label(title=package.code, value=package.code, lines=tuple(lines))
    return pdf_response(
        "wms/labels/labels.html", {"labels": [label]}, filename=f"{package.code}.pdf",
        request=request,
    )  # fmt: skip
