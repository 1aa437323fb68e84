"""`{% case_rows page case_url_prefix %}`: the case list's table rows, rendered from
cases/jinja2/cases/_rows.jinja2 through Django's Jinja2 backend (autoescape on), with the
value words from the contract (FieldSpec.value_label).

Jinja2, not a Django template, because 25 rows of six cells through Django's engine were
about a fifth of the list page's rendering (docs/performance.md); Django's
get_FOO_display() also rebuilt its choices on every call."""

from django import template
from django.template import engines
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cases.contract import ALL_FIELDS

register = template.Library()


@register.simple_tag
def case_rows(cases, url_prefix: str) -> SafeString:
    """The case list's table rows, or the row saying none match."""
    her2, setting, response = (
        ALL_FIELDS[name].value_label for name in ("her2_status", "setting", "trastuzumab_response")
    )
    rows = [
        {
            "code": case.code,
            "her2_status": her2(case.her2_status),
            "setting": setting(case.setting),
            "trastuzumab_response": response(case.trastuzumab_response),
            "author": case.created_by_username or "\u2014",
            "updated": timezone.localtime(case.updated_at).strftime("%Y-%m-%d")
            if case.updated_at
            else "",
        }
        for case in cases
    ]
    written = engines["jinja2"].get_template("cases/_rows.jinja2")
    # Jinja2 escaped every value (autoescape); the backend hands back a plain str.
    return mark_safe(written.render({"rows": rows, "url_prefix": url_prefix}))  # noqa: S308
