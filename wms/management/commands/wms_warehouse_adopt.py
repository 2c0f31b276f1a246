"""``manage.py wms_warehouse_adopt WH01``: WMS takes over a warehouse and its ERP stock."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common.errors import DomainError
from erp_core.models import Warehouse
from wms.models import Bin, Quant
from wms.services.setup import wms_warehouse_adopt, wms_warehouse_setup


class Command(BaseCommand):
    """Set the warehouse up (bins by code, made when missing) and adopt its stock."""

    help = "WMS takes over a warehouse: its ERP stock goes into the default bin as quants."

    def add_arguments(self, parser) -> None:
        parser.add_argument("warehouse", help="the warehouse's code")
        parser.add_argument("--receiving-bin", default="", help="code of the receiving bin")
        parser.add_argument("--default-bin", default="", help="code of the bin stock goes to")

    def handle(self, *args, **options) -> None:
        warehouse = Warehouse.objects.filter(code=options["warehouse"]).first()
        if warehouse is None:
            raise CommandError(
                _("No warehouse has the code %(code)s.") % {"code": options["warehouse"]}
            )

        def bin(code: str) -> Bin | None:
            if not code:
                return None
            found = Bin.objects.filter(warehouse=warehouse, code=code).first()
            if found is None:
                raise CommandError(_("No bin %(code)s in this warehouse.") % {"code": code})
            return found

        try:
            wms_warehouse_setup(
                warehouse=warehouse,
                receiving_bin=bin(options["receiving_bin"]),
                default_bin=bin(options["default_bin"]),
            )
            setup = wms_warehouse_adopt(warehouse=warehouse)
        except (ValidationError, DomainError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(message) from exc
        quants = Quant.objects.filter(bin=setup.default_bin, on_hand__gt=0).count()
        self.stdout.write(
            _("WMS runs warehouse %(warehouse)s: %(quants)s quants in bin %(bin)s.")
            % {"warehouse": warehouse.code, "quants": quants, "bin": setup.default_bin.code}
        )
