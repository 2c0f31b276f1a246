"""Staff pages of mes."""

app_name = "mes"

urlpatterns: list = []
