"""The permissions of the general ledger that each staff role holds (registered by its app).

Finance keeps the books: it reads every ledger table, opens and closes periods, keeps the chart
of accounts and posts and reverses manual entries; the admin may do everything.
"""

_MODELS = (
    "companysettings",
    "fiscalyear",
    "fiscalperiod",
    "account",
    "postingrule",
    "journal",
    "journalentry",
    "journalline",
)
_STEPS = ("ledger.close_fiscalperiod", "ledger.post_journalentry", "ledger.reverse_journalentry")

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Finance": (
        *(f"ledger.view_{model}" for model in _MODELS),
        "ledger.add_fiscalperiod",
        "ledger.add_account",
        "ledger.change_account",
        "ledger.change_companysettings",
        "ledger.add_journalentry",
        "ledger.change_journalentry",
        "ledger.delete_journalentry",
        *_STEPS,
    ),
    "Admin": (
        *(
            f"ledger.{action}_{model}"
            for model in _MODELS
            for action in ("view", "add", "change", "delete")
        ),
        *_STEPS,
    ),
}
