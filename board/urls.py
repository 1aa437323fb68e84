"""The board app's pages: home, case page and form, print view, cohort, board sessions."""

from django.urls import include, path, re_path

from board.views import cases, cohort, decisions, progress, sessions

urlpatterns = [
    path("", cases.home, name="home"),
    path("cases/new/", cases.case_new, name="case-new"),
    path("cases/<case_code:code>/", cases.case_detail, name="case-detail"),
    path("cases/<case_code:code>/edit/", cases.case_edit, name="case-edit"),
    path("cases/<case_code:code>/print/", cases.case_print, name="case-print"),
    path("cases/<case_code:code>/snapshot/", cases.case_snapshot, name="case-snapshot"),
    path("cases/<case_code:code>/outcome/", decisions.case_outcome, name="case-outcome"),
    path("cohort/", cohort.cohort_index, name="cohort"),
    re_path(r"^cohort/export\.(?P<fmt>csv|xlsx)$", cohort.cohort_export, name="cohort-export"),
    re_path(
        r"^cohort/template\.(?P<fmt>csv|xlsx)$", cohort.cohort_template, name="cohort-template"
    ),
    re_path(
        r"^cohort/upload/(?P<token>[\w-]{10,40})\.(?P<fmt>csv|xlsx)$",
        cohort.cohort_upload_export,
        name="cohort-upload-export",
    ),
    path("sessions/", sessions.session_index, name="session-list"),
    path("progress/", progress.my_progress, name="my-progress"),
    path("progress/group/", progress.group_progress_page, name="group-progress"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/cases/", sessions.session_add_case, name="session-add-case"),
    path("sessions/<int:pk>/state/", sessions.session_state, name="session-state"),
    path("sessions/<int:pk>/summary/", sessions.session_summary_page, name="session-summary"),
    path("sessions/<int:pk>/results.csv", sessions.session_export, name="session-export"),
    path(
        "sessions/<int:pk>/cases/<case_code:code>/debrief/",
        sessions.session_debrief,
        name="session-debrief",
    ),
    path(
        "sessions/<int:pk>/cases/<case_code:code>/remove/",
        sessions.session_remove_case,
        name="session-remove-case",
    ),
    path("sessions/<int:pk>/cases/<case_code:code>/", sessions.session_case, name="session-case"),
    path(
        "sessions/<int:pk>/cases/<case_code:code>/decision/",
        decisions.session_decision,
        name="session-decision",
    ),
    path(
        "sessions/<int:pk>/cases/<case_code:code>/mappings/",
        decisions.session_mapping,
        name="session-mapping",
    ),
    path("", include("board.cds.urls")),
]
