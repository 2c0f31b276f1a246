"""Excel import of leads and accounts: read the sheet, try every row (a preview writes nothing),
report each row's errors, and import the good rows. Duplicates — of known leads and accounts, or
of an earlier row of the same file — are row errors, as on entry."""

from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from common.errors import DomainError
from crm.services.accounts import account_create, lead_create
from erp_core.models import User

MAX_ROWS = 2000

#: Column headings understood, in English or Chinese, per field.
COLUMNS = {
    "leads": {
        "company": ("company", "公司", "公司名称"),
        "contact_name": ("contact", "contact name", "联系人"),
        "phone": ("phone", "电话"),
        "email": ("e-mail", "email", "邮箱"),
        "tax_id": ("tax id", "税号", "统一社会信用代码"),
        "source": ("source", "来源"),
        "score": ("score", "评分"),
        "notes": ("notes", "备注"),
    },
    "accounts": {
        "name": ("name", "company", "名称", "公司名称"),
        "tax_id": ("tax id", "税号", "统一社会信用代码"),
        "phone": ("phone", "电话"),
        "email": ("e-mail", "email", "邮箱"),
        "industry": ("industry", "行业"),
        "address": ("address", "地址"),
    },
}
REQUIRED = {"leads": "company", "accounts": "name"}


class ImportFileError(DomainError):
    """The file is not a sheet this import reads."""


@dataclass
class RowResult:
    """One row of the sheet: its number, its values and what was wrong with it."""

    number: int
    values: dict
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_sheet(*, kind: str, content: bytes) -> list[dict]:
    """The rows of the first sheet as dicts of field → text, by the headings of row 1."""
    if kind not in COLUMNS:
        raise ImportFileError(_("Unknown import."))
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise ImportFileError(_("This is not an Excel (.xlsx) file.")) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headings = [str(h or "").strip().lower() for h in next(rows, ())]
    index = {}
    for name, names in COLUMNS[kind].items():
        for position, heading in enumerate(headings):
            if heading in names:
                index[name] = position
                break
    if REQUIRED[kind] not in index:
        raise ImportFileError(
            _("The first row must name the columns; “%(column)s” is missing.")
            % {"column": COLUMNS[kind][REQUIRED[kind]][0]}
        )
    out = []
    for row in rows:
        if row is None or all(cell in (None, "") for cell in row):
            continue
        values = {}
        for name, position in index.items():
            cell = row[position] if position < len(row) else None
            values[name] = "" if cell is None else str(cell).strip()
        out.append(values)
        if len(out) > MAX_ROWS:
            raise ImportFileError(
                _("At most %(max)s rows are imported at once.") % {"max": MAX_ROWS}
            )
    return out


class _Rollback(Exception):
    pass


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return [
            f"{name}: {' '.join(ValidationError(errors).messages)}"
            for name, errors in exc.error_dict.items()
        ]
    if isinstance(exc, ValidationError):
        return [str(message) for message in exc.messages]
    return [str(exc)]


def _one(kind: str, values: dict, owner: User) -> None:
    data = {name: value for name, value in values.items() if value != ""}
    if kind == "leads":
        if "score" in data:
            try:
                data["score"] = int(float(data["score"]))
            except ValueError:
                raise ValidationError({"score": _("Enter a whole number.")}) from None
        data.setdefault("source", "import")
        lead_create(owner=owner, **data)
    else:
        account_create(owner=owner, allow_duplicate=False, **data)


def import_rows(*, kind: str, rows: list[dict], owner: User, commit: bool) -> list[RowResult]:
    """Try each row in order, each in its own savepoint; with ``commit`` the good rows are kept,
    without it nothing is (the preview). Every row says what was wrong with it."""
    results: list[RowResult] = []
    try:
        with transaction.atomic():
            for number, values in enumerate(rows, start=2):
                result = RowResult(number, values)
                try:
                    with transaction.atomic():
                        _one(kind, values, owner)
                except (ValidationError, DomainError) as exc:
                    result.errors = _messages(exc)
                results.append(result)
            if not commit:
                raise _Rollback
    except _Rollback:
        pass
    return results


IMPORT_KINDS = {"leads": gettext_lazy("Leads"), "accounts": gettext_lazy("Accounts")}
