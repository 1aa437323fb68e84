"""CDS Hooks 2.0 routes: discovery, the service and its feedback."""

from django.urls import path

from board.cds import views
from board.cds.service import SERVICE_ID

urlpatterns = [
    path("cds-services", views.DiscoveryView.as_view(), name="cds-discovery"),
    path(f"cds-services/{SERVICE_ID}", views.ServiceView.as_view(), name="cds-service"),
    path(f"cds-services/{SERVICE_ID}/feedback", views.FeedbackView.as_view(), name="cds-feedback"),
]
