"""The site's pages (server-rendered)."""

from django.urls import path, re_path

from cases import accounts, views
from rules.web import cases, cohort, knowledge, sessions

urlpatterns = [
    path("", cases.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/token/", accounts.token, name="account-token"),
    path("cases/", cases.case_index, name="case-list"),
    path("cases/new/", cases.case_new, name="case-new"),
    path("cases/her2-status/", cases.her2_status_preview, name="her2-status-preview"),
    path("cases/<str:code>/", cases.case_detail, name="case-detail"),
    path("cases/<str:code>/edit/", cases.case_edit, name="case-edit"),
    path("cases/<str:code>/print/", cases.case_print, name="case-print"),
    path("cases/<str:code>/snapshot/", cases.case_snapshot, name="case-snapshot"),
    path("knowledge/", knowledge.knowledge_index, name="knowledge"),
    path("cohort/", cohort.cohort_index, name="cohort"),
    re_path(r"^cohort/export\.(?P<fmt>csv|xlsx)$", cohort.cohort_export, name="cohort-export"),
    path("sessions/", sessions.session_index, name="session-list"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/cases/", sessions.session_add_case, name="session-add-case"),
    path("sessions/<int:pk>/cases/<str:code>/", sessions.session_case, name="session-case"),
]
