"""The rules app's API routes, included under /api/v1/ by config.urls."""

from rest_framework.routers import SimpleRouter

from rules.api import views

router = SimpleRouter()
router.register("rules", views.RuleViewSet, basename="rule")
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("mechanisms", views.MechanismViewSet, basename="mechanism")
router.register("references", views.ReferenceViewSet, basename="reference")

urlpatterns = router.urls
