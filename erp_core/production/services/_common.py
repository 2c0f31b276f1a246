"""What the production services share: statuses, the journal and the sign of numbers."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from common.errors import Conflict
from common.limits import QUANTITY_MAX
from common.numbers import parse_decimal
from erp_core import registry
from erp_core.documents.amounts import plain
from erp_core.masterdata.quantities import unit_decimals_check
from erp_core.models import Item, User
from erp_core.production.models import ProductionOrder
from erp_core.production.selectors import output_tolerance_percent

Status = ProductionOrder.Status
JOURNAL = "PRD"
ZERO = Decimal("0")


def _number(
    value,
    field: str,
    *,
    allow_zero: bool = False,
    maximum: Decimal = QUANTITY_MAX,
    item: Item | None = None,
) -> Decimal:
    """``value`` (see ``parse_decimal``) as a Decimal above zero (or at least zero), at most
    ``maximum`` (a quantity's bound unless told: ``common.limits``), with at most the six
    decimals the quantity and hours columns keep, and to the precision of ``item``'s unit
    when it is a quantity of an item."""
    value = parse_decimal(value, field=field, max_value=maximum, decimal_places=6)
    if value < 0 or (value == 0 and not allow_zero):
        message = _("Must not be negative.") if allow_zero else _("Must be greater than zero.")
        raise ValidationError({field: message})
    if item is not None:
        unit_decimals_check(item, value, field=field)
    return value


def _category_code(item: Item) -> str | None:
    return item.category.code if item.category_id else None


# --- Limits of reports: tolerance, done orders, calendar hours ---------------------------------

#: The permission of a supervisor who may take a report beyond the limits, with a reason.
OVERRIDE_PERMISSION = "production.override_production_limits"
HUNDRED = Decimal("100")


def override_reason_clean(*, actor: User | None, override_reason: str | None) -> str:
    """The reason of a supervisor's override ("" when none is asked for).

    An override needs ``OVERRIDE_PERMISSION``: a report without it that goes beyond a limit is
    refused, and asking for one without the permission is refused outright (403).
    """
    reason = (override_reason or "").strip()
    if not reason:
        return ""
    if len(reason) > 255:
        raise ValidationError({"override_reason": _("At most 255 characters.")})
    if actor is None or not actor.has_perm(OVERRIDE_PERMISSION):
        raise PermissionDenied(_("Only a supervisor may override the limits of production."))
    return reason


def output_tolerance(order: ProductionOrder) -> Decimal:
    """How far (%) past its quantity output may be reported: the item's, else the company's."""
    return output_tolerance_percent(order=order)


def refuse_if_shop_floor_reports(order: ProductionOrder) -> None:
    """Refuse (409) a consumption, output or time typed in the ERP for an order whose shop-floor
    facts a front module reports (MES): the order waits for that module's events."""
    operator = registry.production_operator(order.pk)
    if operator:
        raise Conflict(
            _(
                "Production order %(order)s is run on the shop floor in %(operator)s: its "
                "consumption, output and time are reported there."
            )
            % {"order": order.number, "operator": operator},
            code="reported_by_shop_floor",
        )


def report_limits_check(
    order: ProductionOrder, *, override_reason: str, output: Decimal = ZERO
) -> None:
    """Refuse a report on a done order, or output past the quantity and its tolerance, unless
    a supervisor overrides (``override_reason``, checked by ``override_reason_clean``)."""
    if override_reason:
        return
    if order.status == Status.DONE:
        raise Conflict(
            _(
                "Production order %(order)s is done: a further report needs a supervisor's "
                "override with a reason."
            )
            % {"order": order.number},
            code="order_done",
        )
    if output > 0:
        tolerance = output_tolerance(order)
        limit = order.quantity * (HUNDRED + tolerance) / HUNDRED
        total = order.quantity_produced + output
        if total > limit:
            raise ValidationError(
                {
                    "quantity": _(
                        "%(total)s would be produced on an order for %(ordered)s: at most "
                        "%(limit)s (%(tolerance)s %% over) without a supervisor's override."
                    )
                    % {
                        "total": plain(total),
                        "ordered": plain(order.quantity),
                        "limit": plain(limit),
                        "tolerance": plain(tolerance),
                    }
                },
                code="over_tolerance",
            )


def override_note(order: ProductionOrder, *, actor: User | None, reason: str) -> None:
    """Record an override in the order's history (its next save carries the reason)."""
    if reason:
        who = actor.get_username() if actor is not None else ""
        order._change_reason = f"override by {who}: {reason}"[:100]  # type: ignore[attr-defined]
