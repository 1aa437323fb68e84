"""Top-level URL map: site pages, admin and the versioned API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("rules.api_urls")),
    path("", include("cases.urls")),
]
