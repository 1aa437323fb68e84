"""Top-level URL map: site pages, admin, the versioned API, its docs and CDS Hooks."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from rules.api import cds

# Swagger UI and Redoc set styles from script and Redoc runs a blob: worker; only these
# two pages relax the site's Content-Security-Policy, and only for that.
DOCS_CSP = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/", DOCS_CSP(SpectacularSwaggerView.as_view(url_name="schema")), name="swagger-ui"
    ),
    path("api/redoc/", DOCS_CSP(SpectacularRedocView.as_view(url_name="schema")), name="redoc"),
    path("cds-services", cds.DiscoveryView.as_view(), name="cds-discovery"),
    path(f"cds-services/{cds.SERVICE_ID}", cds.ServiceView.as_view(), name="cds-service"),
    path(
        f"cds-services/{cds.SERVICE_ID}/feedback", cds.FeedbackView.as_view(), name="cds-feedback"
    ),
    path("", include("config.web_urls")),
]
