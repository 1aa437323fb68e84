"""The Jinja2 environment of the templates under each app's jinja2/ folder (settings.TEMPLATES):
the few sections rendered on every page view where Django's template engine cost too much
(docs/performance.md). Autoescape is on (Django's backend default)."""

from django.urls import reverse
from jinja2 import Environment

from rules.templatetags.releases import release_line


def url(name: str, *args) -> str:
    """{{ url("name", arg) }}: Django's reverse()."""
    return reverse(name, args=args)


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # on, whatever the settings say
    env = Environment(autoescape=True, **options)
    env.globals.update(url=url, release_line=release_line)
    return env
