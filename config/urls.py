"""Top-level URL map: each app's pages and API routes, the admin, the API schema and docs."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from board.api import urls as board_api
from cases.api import urls as cases_api
from core import urls as core_urls
from rules.api import urls as rules_api

# Swagger UI and Redoc set styles from script and Redoc runs a blob: worker; only these
# two pages relax the site's Content-Security-Policy, and only for that.
DOCS_CSP = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

api_v1 = [
    *core_urls.api_urlpatterns,
    *board_api.urlpatterns,
    *cases_api.urlpatterns,
    *rules_api.urlpatterns,
]

handler404 = "core.views.not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/", DOCS_CSP(SpectacularSwaggerView.as_view(url_name="schema")), name="swagger-ui"
    ),
    path("api/redoc/", DOCS_CSP(SpectacularRedocView.as_view(url_name="schema")), name="redoc"),
    path("", include("core.urls")),
    path("", include("cases.urls")),
    path("", include("rules.urls")),
    path("", include("board.urls")),
]
