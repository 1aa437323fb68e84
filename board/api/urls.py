"""The board app's API routes (evaluations, snapshots), included under /api/v1/."""

from django.urls import path

from board.api import views

urlpatterns = [
    path("evaluate/", views.EvaluateView.as_view(), name="evaluate"),
    path("fhir/profile/", views.FhirProfileView.as_view(), name="fhir-profile"),
    path(
        "cases/<case_code:code>/evaluation/",
        views.CaseEvaluationView.as_view(),
        name="case-evaluation",
    ),
    path(
        "cases/<case_code:code>/evaluations/",
        views.CaseSnapshotsView.as_view(),
        name="case-snapshots",
    ),
    path(
        "cases/<case_code:code>/evaluations/<int:pk>/changes/",
        views.CaseChangesView.as_view(),
        name="case-snapshot-changes",
    ),
]
