"""`{% release_line release version %}`: the knowledge-base release a page or payload uses
(`release` is {"name", "published_at"} or None; `version` the content's fingerprint). The
Jinja2 templates have the same function as the global `release_line` (config.jinja2). In
the request's language."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def release_line(release, version) -> SafeString:
    if release:
        text = gettext(
            'Knowledge base release <a href="{url}">{name}</a> (published {date}; content '
            "<code>{version}</code>)"
        )
        return format_html(
            text,
            url=reverse("knowledge-release", args=[release["name"]]),
            name=release["name"],
            date=str(release["published_at"])[:10],
            version=version,
        )
    text = gettext("Knowledge base <code>{version}</code> (not yet released)")
    return format_html(text, version=version)
