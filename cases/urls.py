"""The cases app's pages (the case list); board.urls adds the case page and form."""

from django.urls import path

from cases import views

urlpatterns = [
    path("cases/", views.case_index, name="case-list"),
    path("cases/her2-status/", views.her2_status_preview, name="her2-status-preview"),
]
