"""The versioned API (/api/v1/)."""

from django.urls import path

from rules.api import EvaluateView

app_name = "api"

urlpatterns = [
    path("evaluate/", EvaluateView.as_view(), name="evaluate"),
]
