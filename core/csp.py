"""The Content-Security-Policy header (django-csp's middleware), built once per process for
the responses that ask nothing of their own: no nonce used, no decorator's changes (every
API answer, most pages). django-csp builds both policies afresh on every response, which
cost about a tenth of an API request."""

import http.client

from csp import middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

from core.memory import remembered

# What a view or decorator sets on a response to change its policy (csp.decorators).
_PER_RESPONSE = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
)
_SETTINGS = {
    "CONTENT_SECURITY_POLICY": HEADER,
    "CONTENT_SECURITY_POLICY_REPORT_ONLY": HEADER_REPORT_ONLY,
}


@remembered(
    holds="the CSP header without a nonce",
    invalidated="a change of the CSP settings (setting_changed, in tests)",
)
def _plain_policy(report_only: bool) -> str:
    return build_policy(report_only=report_only)


def _settings_changed(*, setting: str, **kwargs) -> None:
    if setting in _SETTINGS:
        _plain_policy.cache_clear()


setting_changed.connect(_settings_changed, dispatch_uid="core.csp")


class CSPMiddleware(middleware.CSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)  # built for this response
        if (
            response.status_code
            in (
                http.client.INTERNAL_SERVER_ERROR,
                http.client.NOT_FOUND,
            )
            and settings.DEBUG
        ):
            return response  # as django-csp: Django's debug pages keep their inline styles
        for setting, header in _SETTINGS.items():
            report_only = header == HEADER_REPORT_ONLY
            policy = _plain_policy(report_only)
            exempt = getattr(response, "_csp_exempt_ro" if report_only else "_csp_exempt", False)
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                policy
                and header not in response
                and exempt is False
                and not request.path_info.startswith(tuple(prefixes))
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header was written is an error.
        request.csp_nonce = middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
