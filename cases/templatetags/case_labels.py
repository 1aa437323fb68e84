"""The case list's rows: `{% case_rows page case_url_prefix %}` writes them in Python, with
the value words from the contract (FieldSpec.value_label) and every value escaped.

Through the template engine, 25 rows of six cells cost about a fifth of the list page's
CPU, and Django's get_FOO_display() rebuilt a hashable copy of its choices on every call
(75 for a list of 25 cases). A test compares the rows with the ones the template wrote."""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cases.contract import ALL_FIELDS
from core.html import escaped

register = template.Library()

_ROW = (
    '<tr><td><a href="{}{}/">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
    "<td>{}</td><td>{}</td></tr>"
)


@register.simple_tag
def case_rows(cases, url_prefix: str) -> SafeString:
    """The case list's table rows, or the row saying none match."""
    her2, setting, response = (
        ALL_FIELDS[name].value_label for name in ("her2_status", "setting", "trastuzumab_response")
    )
    rows = [
        (
            url_prefix,
            case.code,
            case.code,
            her2(case.her2_status),
            setting(case.setting),
            response(case.trastuzumab_response),
            case.created_by_username or "\u2014",
            timezone.localtime(case.updated_at).strftime("%Y-%m-%d") if case.updated_at else "",
        )
        for case in cases
    ]
    if not rows:
        return mark_safe('<tr><td colspan="6">No cases match.</td></tr>')
    return mark_safe("".join(_ROW.format(*map(escaped, row)) for row in rows))  # noqa: S308
