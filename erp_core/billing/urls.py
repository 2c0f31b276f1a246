"""Staff pages of invoices and payments, under /billing/."""

app_name = "billing"

urlpatterns: list = []
