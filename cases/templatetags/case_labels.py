"""Words for stored values in long lists: `{{ case.setting|choice_label:"setting" }}`,
from the contract (FieldSpec.value_label). Django's get_FOO_display() rebuilds a hashable
copy of its choices on every call; a list of 25 cases made 75 of them.

`{% case_rows page case_url_prefix %}` writes the case list's rows in Python: through
the template engine its 25 rows of six cells were half of the page's CPU (every value
escaped as the template would; a test compares the two)."""

from django import template
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from cases.contract import ALL_FIELDS

register = template.Library()

_ROW = (
    '<tr><td><a href="{}{}/">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
    "<td>{}</td><td>{}</td></tr>"
)


@register.filter
def choice_label(value, field: str) -> str:
    return ALL_FIELDS[field].value_label(value)


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
    return format_html_join("", _ROW, rows)
