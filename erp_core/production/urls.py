"""Staff pages of production orders, under /production/."""

app_name = "production"

urlpatterns: list = []
