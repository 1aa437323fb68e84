"""The header's addresses for every page (base.html's `nav.<key>`): the project layer's,
because they name every app's pages."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from core.memory import remembered

# Template key -> URL name: the links of base.html's header.
NAV = {
    "home": "home",
    "case_list": "case-list",
    "case_new": "case-new",
    "knowledge": "knowledge",
    "session_list": "session-list",
    "cohort": "cohort",
    "account_token": "account-token",
    "admin": "admin:index",
    "login": "login",
    "logout": "logout",
}


@remembered(
    holds="the header's addresses per URLconf and script prefix",
    invalidated="never (the URLconf is code)",
)
def _nav(urlconf: str, prefix: str) -> dict[str, str]:
    return {key: reverse(name, urlconf=urlconf) for key, name in NAV.items()}


def nav(request):
    """`nav.<key>`: the header's addresses, resolved once per URLconf and script prefix
    rather than ten `{% url %}` lookups on every page."""
    return {"nav": _nav(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())}
