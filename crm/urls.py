"""Staff pages of crm."""

app_name = "crm"

urlpatterns: list = []
