"""The board app's API routes (evaluations, snapshots, FHIR reading, teaching), included
under /api/v1/."""

from django.urls import path

from board.api import teaching, views

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
    path("options/", teaching.OptionsView.as_view(), name="options"),
    path(
        "sessions/<int:pk>/cases/<case_code:code>/decision/",
        teaching.DecisionView.as_view(),
        name="session-case-decision",
    ),
    path(
        "sessions/<int:pk>/cases/<case_code:code>/mappings/",
        teaching.MappingView.as_view(),
        name="session-case-mappings",
    ),
    path("sessions/<int:pk>/summary/", teaching.SummaryView.as_view(), name="session-summary-api"),
    path(
        "cases/<case_code:code>/outcome/", teaching.OutcomeView.as_view(), name="case-outcome-api"
    ),
    path("progress/", teaching.GroupProgressView.as_view(), name="group-progress-api"),
    path(
        "trainees/<str:username>/progress/",
        teaching.ProgressView.as_view(),
        name="trainee-progress",
    ),
]
