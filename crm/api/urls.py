"""REST API of crm under /api/v1/crm/: one router for the app."""

from rest_framework.routers import DefaultRouter

from crm.api.views import (
    AccountViewSet,
    ActivityViewSet,
    ContactViewSet,
    LeadViewSet,
    OpportunityViewSet,
    PromiseToPayViewSet,
    QuoteViewSet,
    ReceivableViewSet,
    StageViewSet,
    TicketViewSet,
)

app_name = "crm-api"

router = DefaultRouter()
router.register("accounts", AccountViewSet, basename="account")
router.register("contacts", ContactViewSet, basename="contact")
router.register("leads", LeadViewSet, basename="lead")
router.register("stages", StageViewSet, basename="stage")
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("quotes", QuoteViewSet, basename="quote")
router.register("activities", ActivityViewSet, basename="activity")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("receivables", ReceivableViewSet, basename="receivable")
router.register("promises-to-pay", PromiseToPayViewSet, basename="promise-to-pay")

urlpatterns = router.urls
