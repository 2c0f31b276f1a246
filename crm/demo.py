"""CRM's demo step: the default pipeline; accounts for the demo's customers owned by the demo
salesperson; leads (one of them converted, one a look-alike); deals across the stages; a quote
of FG-GEARBOX with promised dates; activities for "my day"; a service ticket. It runs after the
ERP's sales and billing, whose invoice and payment reach collections through the bus."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from crm.models import Account, Activity, Lead, Opportunity, Quote, Stage, Ticket
from crm.services.accounts import account_create, lead_convert, lead_create
from crm.services.activities import activity_create, ticket_create
from crm.services.pipeline import opportunity_create, stages_seed
from crm.services.quotes import quote_create
from erp_core.models import Item, Partner, User

DEMO_LEADS = (
    ("无锡恒力阀门有限公司", "周敏", "0510-8123 4567", "zhou@hengli-valves.cn", "web", 70),
    (
        "Changzhou Pump Works",
        "David Chen",
        "+86 519 8888 0001",
        "david@czpump.com",
        "trade_show",
        55,
    ),
    ("温州东方电机厂", "林海", "0577-6666 2345", "", "referral", 30),
)


def crm_step() -> dict[str, int]:
    """Load what is missing: stages, accounts, leads, deals, a quote, activities, a ticket."""
    created = {
        "pipeline stages": 0,
        "accounts": 0,
        "leads": 0,
        "opportunities": 0,
        "quotes": 0,
        "activities": 0,
        "tickets": 0,
    }
    if not Stage.objects.exists():
        created["pipeline stages"] = len(stages_seed())
    stages = list(Stage.objects.order_by("position"))
    # The ERP's demo customers, user and item (read here: erp_core.demo is the ERP's own).
    today = timezone.localdate()
    seller = User.objects.filter(username="sales").first()
    partners = {p.code: p for p in Partner.objects.filter(code__in=["C001", "C002"])}
    accounts = {}
    for code in ("C001", "C002"):
        partner = partners.get(code)
        if partner is None:
            continue
        account = Account.objects.filter(partner=partner).first()
        if account is None:
            account = account_create(
                name=partner.name,
                partner=partner,
                owner=seller,
                tax_id=partner.tax_id,
                phone=partner.phone,
            )
            created["accounts"] += 1
        accounts[code] = account
    if not Lead.objects.exists():
        for company, contact, phone, email, source, score in DEMO_LEADS:
            lead_create(
                company=company,
                contact_name=contact,
                phone=phone,
                email=email,
                source=source,
                score=score,
                owner=seller,
            )
            created["leads"] += 1
        lead_create(
            company="无锡恒力阀门",
            phone="051081234567",
            source="import",
            owner=seller,
            allow_duplicate=True,
        )
        created["leads"] += 1
        first = Lead.objects.filter(company=DEMO_LEADS[0][0]).first()
        if first is not None:
            lead_convert(
                lead=first,
                actor=seller,
                amount="180000",
                opportunity_name="阀门测试台 2 套",
                expected_close=today + timedelta(days=45),
            )
            created["opportunities"] += 1
            created["accounts"] += 1
    if accounts and not Opportunity.objects.filter(account__in=accounts.values()).exists():
        open_stages = [s for s in stages if s.outcome == Stage.Outcome.OPEN]
        rows = (
            ("C001", "FG-GEARBOX 年度框架", "476000", 1, 60),
            ("C001", "备件补货", "33600", 2, 20),
            ("C002", "Motor frames Q3", "84000", 3, 30),
        )
        for code, name, amount, stage_index, days in rows:
            if code in accounts and stage_index < len(open_stages):
                opportunity_create(
                    account=accounts[code],
                    name=name,
                    amount=Decimal(amount),
                    stage=open_stages[stage_index],
                    owner=seller,
                    expected_close=today + timedelta(days=days),
                )
                created["opportunities"] += 1
    gearbox = Item.objects.filter(code="FG-GEARBOX").first()
    if "C001" in accounts and gearbox is not None and not Quote.objects.exists():
        deal = Opportunity.objects.filter(account=accounts["C001"]).order_by("pk").first()
        quote_create(
            account=accounts["C001"],
            opportunity=deal,
            owner=seller,
            lines=[{"item": gearbox, "quantity": "12", "discount_percent": "5"}],
        )
        created["quotes"] += 1
    if "C001" in accounts and not Activity.objects.filter(reason="").exists():
        now = timezone.now()
        for kind, subject, hours in (
            ("call", "确认框架协议价格", -20),
            ("visit", "拜访华东机电采购部", 3),
            ("meeting", "Review Q3 forecast with Suzhou", 50),
        ):
            activity_create(
                kind=kind,
                subject=subject,
                owner=seller,
                account=accounts["C001"],
                due_at=now + timedelta(hours=hours),
            )
            created["activities"] += 1
    if "C001" in accounts and not Ticket.objects.exists():
        ticket_create(
            account=accounts["C001"],
            subject="齿轮箱运行异响",
            priority="high",
            item=gearbox,
            lot_or_serial="",
            owner=seller,
        )
        created["tickets"] += 1
    return created
