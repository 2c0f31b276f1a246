"""Staff pages of the ledgers (finance), under /finance/."""

app_name = "ledger"

urlpatterns: list = []
