"""The pipeline: its stages, and opportunities created, changed and moved between stages."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from crm.models import Opportunity, Stage
from crm.services.common import cleaned, refuse_unknown, saved

OPPORTUNITY_FIELDS = (
    "account",
    "name",
    "stage",
    "amount",
    "probability",
    "expected_close",
    "owner",
)
STAGE_FIELDS = ("name", "position", "probability", "outcome", "is_active")


@transaction.atomic
def stage_create(**fields) -> Stage:
    """Add a stage; without a position it goes last."""
    refuse_unknown(fields, STAGE_FIELDS)
    if fields.get("position") is None:
        last = Stage.objects.aggregate(last=Max("position"))["last"]
        fields["position"] = 10 if last is None else last + 10
    return saved(Stage(**{name: cleaned(value) for name, value in fields.items()}))


@transaction.atomic
def stage_update(*, stage: Stage, **fields) -> Stage:
    """Rename, reorder, reweigh or retire a stage."""
    refuse_unknown(fields, STAGE_FIELDS)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    for name, value in fields.items():
        setattr(stage, name, cleaned(value))
    return saved(stage)


def _closing(opportunity: Opportunity, stage: Stage) -> None:
    """A won or lost stage closes the deal (and its chance is 100 % or 0 %); an open one
    reopens it."""
    if stage.outcome == Stage.Outcome.OPEN:
        opportunity.closed_at = None
        return
    opportunity.closed_at = opportunity.closed_at or timezone.now()
    opportunity.probability = stage.probability


@transaction.atomic
def opportunity_create(**fields) -> Opportunity:
    """Open a deal; in the first open stage unless a stage is given, with that stage's
    probability unless one is given."""
    refuse_unknown(fields, OPPORTUNITY_FIELDS)
    fields = {name: cleaned(value) for name, value in fields.items()}
    if fields.get("stage") is None:
        fields["stage"] = Stage.objects.filter(is_active=True, outcome=Stage.Outcome.OPEN).first()
        if fields["stage"] is None:
            raise Conflict(_("The pipeline has no open stage."), code="no_stage")
    if fields.get("probability") is None:
        fields["probability"] = fields["stage"].probability
    opportunity = Opportunity(**fields)
    _closing(opportunity, opportunity.stage)
    return saved(opportunity)


@transaction.atomic
def opportunity_update(*, opportunity: Opportunity, **fields) -> Opportunity:
    """Change a deal's amount, chance, close date, owner or name (and stage, as a move)."""
    refuse_unknown(fields, OPPORTUNITY_FIELDS)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    stage = fields.pop("stage", None)
    for name, value in fields.items():
        setattr(opportunity, name, cleaned(value))
    if stage is not None and stage.pk != opportunity.stage_id:
        _move(opportunity, stage, keep_probability="probability" in fields)
    return saved(opportunity)


def _move(opportunity: Opportunity, stage: Stage, *, keep_probability: bool = False) -> None:
    if not stage.is_active:
        raise Conflict(_("Stage “%(stage)s” is retired.") % {"stage": stage}, code="stage_retired")
    opportunity.stage = stage
    if not keep_probability:
        opportunity.probability = stage.probability
    _closing(opportunity, stage)


@transaction.atomic
def opportunity_move(*, opportunity: Opportunity, stage: Stage) -> Opportunity:
    """Move a deal to another stage (a kanban drag): it takes the stage's probability; a won
    or lost stage closes it."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.stage_id != stage.pk:
        _move(opportunity, stage)
        opportunity.save()
    return opportunity


@transaction.atomic
def opportunity_win(*, opportunity_id: int) -> Opportunity | None:
    """Move a deal to the first won stage (its quote was accepted); a closed deal stays."""
    opportunity = Opportunity.objects.select_for_update().filter(pk=opportunity_id).first()
    stage = Stage.objects.filter(outcome=Stage.Outcome.WON, is_active=True).first()
    if opportunity is None or stage is None or opportunity.closed_at is not None:
        return opportunity
    _move(opportunity, stage)
    opportunity.save()
    return opportunity


def stages_seed() -> list[Stage]:
    """The default pipeline when there is none: qualify, propose, negotiate, won, lost."""
    if Stage.objects.exists():
        return list(Stage.objects.all())
    rows = [
        (_("Qualification"), 10, "10", Stage.Outcome.OPEN),
        (_("Needs analysis"), 20, "25", Stage.Outcome.OPEN),
        (_("Proposal"), 30, "50", Stage.Outcome.OPEN),
        (_("Negotiation"), 40, "75", Stage.Outcome.OPEN),
        (_("Won"), 50, "100", Stage.Outcome.WON),
        (_("Lost"), 60, "0", Stage.Outcome.LOST),
    ]
    return [
        Stage.objects.create(name=name, position=position, probability=Decimal(p), outcome=outcome)
        for name, position, p, outcome in rows
    ]
