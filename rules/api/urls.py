"""The rules app's API routes, included under /api/v1/ by config.urls."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from rules.api import views

router = SimpleRouter()
router.register("rules", views.RuleViewSet, basename="rule")
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("mechanisms", views.MechanismViewSet, basename="mechanism")
router.register("references", views.ReferenceViewSet, basename="reference")
router.register("releases", views.ReleaseViewSet, basename="release")

urlpatterns = [
    path("revisions/", views.RevisionListView.as_view(), name="revision-list"),
    path(
        "revisions/<str:section>/<str:key>/approve/",
        views.RevisionDecisionView.as_view(decision="approve"),
        name="revision-approve",
    ),
    path(
        "revisions/<str:section>/<str:key>/reject/",
        views.RevisionDecisionView.as_view(decision="reject"),
        name="revision-reject",
    ),
    *router.urls,
]
