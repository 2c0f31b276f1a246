"""Staff pages of wms."""

app_name = "wms"

urlpatterns: list = []
