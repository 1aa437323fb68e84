"""Template context shared by every page: the research-use notice and the navigation's
addresses."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from core.notices import DISCLAIMER, DISCLAIMER_SHORT

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


def disclaimer(request):
    return {"DISCLAIMER": DISCLAIMER, "DISCLAIMER_SHORT": DISCLAIMER_SHORT}


@functools.cache
def _nav(urlconf: str, prefix: str) -> dict[str, str]:
    return {key: reverse(name, urlconf=urlconf) for key, name in NAV.items()}


def nav(request):
    """`nav.<key>`: the header's addresses, resolved once per URLconf and script prefix
    rather than ten `{% url %}` lookups on every page."""
    return {"nav": _nav(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())}
