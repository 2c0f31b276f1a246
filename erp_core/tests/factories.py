"""factory_boy factories of the ERP core: users (with role groups), partners, master data."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, Permission

from erp_core.models import (
    BillOfMaterials,
    BomLine,
    Currency,
    Item,
    ItemCategory,
    Partner,
    Routing,
    RoutingOperation,
    TaxCode,
    UnitOfMeasure,
    User,
    Warehouse,
    WorkCenter,
)

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user; ``roles=["Sales", ...]`` puts it in those role groups.

    The groups come from ``erp_core.services.roles_sync()`` (run after migrate); a role that
    does not exist is an error, so that a typo never yields a user without permissions silently.
    """

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted, **kwargs) -> None:
        if not create or not extracted:
            return
        self.groups.add(*(Group.objects.get(name=name) for name in extracted))


class PartnerFactory(factory.django.DjangoModelFactory):
    """A customer with a valid unified social credit code."""

    class Meta:
        model = Partner
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"Partner company {n}")
    kind = Partner.Kind.CUSTOMER
    tax_id = factory.Sequence(lambda n: f"91310000MA1K{n:06d}")
    email = factory.LazyAttribute(lambda partner: f"{partner.code.lower()}@example.cn")
    phone = "+86 21 5555 0000"


# --- Master data ------------------------------------------------------------------------------

MASTER_DATA_MODELS = (
    "unitofmeasure",
    "unitconversion",
    "itemcategory",
    "taxcode",
    "currency",
    "exchangerate",
    "item",
    "warehouse",
    "workcenter",
    "billofmaterials",
    "routing",
)


def erp_user(*actions: str, models: tuple[str, ...] = MASTER_DATA_MODELS, **fields) -> User:
    """A staff user with the ERP module and ``actions`` (view, add…) on the master data models.

    Independent of ``erp_core.roles``: tests of a resource say which permissions they rely on.
    """
    actions = actions or ("view", "add", "change", "delete")
    codenames = [f"{action}_{model}" for action in actions for model in models]
    user = UserFactory(**fields)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="erp_core", codename="access_erp"),
        *Permission.objects.filter(content_type__app_label="erp_core", codename__in=codenames),
    )
    return User.objects.get(pk=user.pk)  # a fresh object: no stale permission cache


class UnitOfMeasureFactory(factory.django.DjangoModelFactory):
    """A counting unit (PCS) unless told otherwise."""

    class Meta:
        model = UnitOfMeasure
        django_get_or_create = ("code",)

    code = "PCS"
    name = factory.LazyAttribute(lambda unit: unit.code.lower())
    category = UnitOfMeasure.Category.COUNT


class ItemCategoryFactory(factory.django.DjangoModelFactory):
    """A root category."""

    class Meta:
        model = ItemCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CAT{n:03d}")
    name = factory.Sequence(lambda n: f"Category {n}")


class TaxCodeFactory(factory.django.DjangoModelFactory):
    """VAT 13 %."""

    class Meta:
        model = TaxCode
        django_get_or_create = ("code",)

    code = "VAT13"
    name = "VAT 13%"
    rate = Decimal("0.13")


class CurrencyFactory(factory.django.DjangoModelFactory):
    """The base currency, CNY, unless told otherwise."""

    class Meta:
        model = Currency
        django_get_or_create = ("code",)

    code = "CNY"
    name = factory.LazyAttribute(lambda currency: currency.code)


class WarehouseFactory(factory.django.DjangoModelFactory):
    """A warehouse."""

    class Meta:
        model = Warehouse
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"WH{n:03d}")
    name = factory.Sequence(lambda n: f"Warehouse {n}")


class WorkCenterFactory(factory.django.DjangoModelFactory):
    """A work center of two machines, one 8-hour shift, Monday to Friday."""

    class Meta:
        model = WorkCenter
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"WC{n:03d}")
    name = factory.Sequence(lambda n: f"Work center {n}")
    machines = 2
    hours_per_shift = Decimal(8)
    shifts_per_day = 1
    machine_rate_per_hour = Decimal("80.00")
    labour_rate_per_hour = Decimal("50.00")


class ItemFactory(factory.django.DjangoModelFactory):
    """A bought raw material counted in pieces."""

    class Meta:
        model = Item
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IT{n:05d}")
    name = factory.Sequence(lambda n: f"Item {n}")
    item_type = Item.ItemType.RAW_MATERIAL
    make_or_buy = Item.MakeOrBuy.BUY
    unit = factory.SubFactory(UnitOfMeasureFactory)
    category = factory.SubFactory(ItemCategoryFactory)
    vat = factory.SubFactory(TaxCodeFactory)
    standard_cost = Decimal("10.00")


class BillOfMaterialsFactory(factory.django.DjangoModelFactory):
    """A BOM header without lines (``erp_core.masterdata.services.bom_create`` makes a checked
    one)."""

    class Meta:
        model = BillOfMaterials

    item = factory.SubFactory(
        ItemFactory, item_type=Item.ItemType.FINISHED_GOOD, make_or_buy="make"
    )
    version = "1"
    valid_from = date(2025, 1, 1)


class BomLineFactory(factory.django.DjangoModelFactory):
    """A line of one piece of a new component."""

    class Meta:
        model = BomLine

    bom = factory.SubFactory(BillOfMaterialsFactory)
    sequence = factory.Sequence(lambda n: (n + 1) * 10)
    component = factory.SubFactory(ItemFactory)
    quantity_per = Decimal(1)


class RoutingFactory(factory.django.DjangoModelFactory):
    """A routing header without operations."""

    class Meta:
        model = Routing

    item = factory.SubFactory(
        ItemFactory, item_type=Item.ItemType.FINISHED_GOOD, make_or_buy="make"
    )
    version = "1"
    valid_from = date(2025, 1, 1)


class RoutingOperationFactory(factory.django.DjangoModelFactory):
    """An operation on a new work center."""

    class Meta:
        model = RoutingOperation

    routing = factory.SubFactory(RoutingFactory)
    sequence = factory.Sequence(lambda n: (n + 1) * 10)
    work_center = factory.SubFactory(WorkCenterFactory)
    setup_minutes = Decimal(10)
    run_minutes_per_unit = Decimal(2)
