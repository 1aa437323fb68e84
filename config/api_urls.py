"""The versioned API (/api/v1/): one router over the cases and rules apps."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from cases.api import CaseViewSet, MarkerViewSet, TokenObtainView
from rules.api import views

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("markers", MarkerViewSet, basename="marker")
router.register("rules", views.RuleViewSet, basename="rule")
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("mechanisms", views.MechanismViewSet, basename="mechanism")
router.register("references", views.ReferenceViewSet, basename="reference")

app_name = "api"

urlpatterns = [
    path("evaluate/", views.EvaluateView.as_view(), name="evaluate"),
    path("token/", TokenObtainView.as_view(), name="token"),
    path(
        "cases/<str:code>/evaluation/", views.CaseEvaluationView.as_view(), name="case-evaluation"
    ),
    path("cases/<str:code>/evaluations/", views.CaseSnapshotsView.as_view(), name="case-snapshots"),
    path(
        "cases/<str:code>/evaluations/<int:pk>/changes/",
        views.CaseChangesView.as_view(),
        name="case-snapshot-changes",
    ),
    *router.urls,
]
