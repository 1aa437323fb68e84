"""`{% release_line release version %}`: the knowledge-base release a page or payload uses
(`release` is {"name", "published_at"} or None; `version` the content's fingerprint). The
Jinja2 templates have the same function as the global `release_line` (config.jinja2)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def release_line(release, version) -> SafeString:
    if release:
        return format_html(
            'Knowledge base release <a href="{}">{}</a> (published {}; content <code>{}</code>)',
            reverse("knowledge-release", args=[release["name"]]),
            release["name"],
            str(release["published_at"])[:10],
            version,
        )
    return format_html("Knowledge base <code>{}</code> (not yet released)", version)
