"""`{% evaluation_section evaluation %}` on the case page, with `compact=True` on
board-session pages: the suggestions section, rendered from board/jinja2/board/
_evaluation.jinja2 through Django's Jinja2 backend (autoescape on).

Jinja2, not a Django template, because this section is most of a case page's rendering
and Django's engine took about three times as long for it (docs/performance.md); the
template is the only copy of its markup."""

from collections.abc import Mapping
from typing import Any

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def evaluation_section(evaluation: Mapping[str, Any], compact: bool = False) -> SafeString:
    """The suggestions section of an evaluation payload (with `why` on each suggestion
    where the page explains it), in the payload's order: strongest evidence first."""
    section = engines["jinja2"].get_template("board/_evaluation.jinja2")
    # Jinja2 escaped every value (autoescape); the backend hands back a plain str.
    return mark_safe(section.render({"evaluation": evaluation, "compact": compact}))  # noqa: S308
