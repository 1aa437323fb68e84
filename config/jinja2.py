"""The Jinja2 environment of the templates under each app's jinja2/ folder (settings.TEMPLATES):
the few sections rendered on every page view where Django's template engine cost too much
(docs/performance.md). Autoescape is on (Django's backend default); text is marked with
`_()` and `ngettext()`, Django's own, so the request's language applies."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from jinja2 import Environment

from rules.templatetags.releases import release_line


def url(name: str, *args) -> str:
    """{{ url("name", arg) }}: Django's reverse()."""
    return reverse(name, args=args)


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # on, whatever the settings say
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    # `_("...")` and `ngettext(...)` are Django's, so the active language applies.
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    # A text that arrives in English from a payload (a label, a warning): its translation,
    # or itself (no `%` formatting, unlike `_`).
    env.globals["translated"] = gettext
    env.globals.update(url=url, release_line=release_line)
    return env
