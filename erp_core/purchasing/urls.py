"""Staff pages of purchasing, under /purchasing/."""

app_name = "purchasing"

urlpatterns: list = []
