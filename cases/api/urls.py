"""The cases app's API routes, included under /api/v1/ by config.urls."""

from rest_framework.routers import SimpleRouter

from cases.api import views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("markers", views.MarkerViewSet, basename="marker")

urlpatterns = router.urls
