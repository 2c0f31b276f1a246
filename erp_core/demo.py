"""Demo data for a try-out: partners and one user per role. Each module's issue extends it."""

from django.contrib.auth.models import Group
from django.db import transaction

from erp_core.models import Partner, User
from erp_core.services import partner_create

DEMO_PASSWORD = "zhongtai-demo"

DEMO_PARTNERS = (
    ("C001", "上海华东机电设备有限公司", Partner.Kind.CUSTOMER, "91310115MA1H7A2B3C"),
    ("C002", "Suzhou Precision Motors Co., Ltd.", Partner.Kind.CUSTOMER, "91320505MA1XY27Q8R"),
    ("S001", "宁波钢材贸易有限公司", Partner.Kind.SUPPLIER, "91330206MA2AB3CD4E"),
    ("S002", "Guangzhou Bearings Supply Co.", Partner.Kind.SUPPLIER, ""),
    ("B001", "杭州联合工业集团", Partner.Kind.BOTH, ""),
)

DEMO_USERS = (
    ("sales", "Sales"),
    ("planner", "Planner"),
    ("shopfloor", "Shop floor"),
    ("warehouse", "Warehouse"),
    ("finance", "Finance"),
)


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Create what is missing of the demo data; running it again changes nothing."""
    created = {"partners": 0, "users": 0}
    for code, name, kind, tax_id in DEMO_PARTNERS:
        if not Partner.objects.filter(code=code).exists():
            partner_create(code=code, name=name, kind=kind, tax_id=tax_id)
            created["partners"] += 1
    for username, role in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD)
        user.groups.add(Group.objects.get(name=role))
        created["users"] += 1
    customer = Partner.objects.get(code="C001")
    if not User.objects.filter(username="customer-c001").exists():
        User.objects.create_user(username="customer-c001", password=DEMO_PASSWORD, partner=customer)
        created["users"] += 1
    return created
