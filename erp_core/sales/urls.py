"""Staff pages of sales, under /sales/."""

app_name = "sales"

urlpatterns: list = []
