"""The site's form renderer (settings.FORM_RENDERER): Django's DjangoTemplates renderer,
except that a select box with Django's stock templates is rendered from Django's own
Jinja2 copy of those templates (django/forms/jinja2/), through its stock Jinja2 renderer.

Django's template engine renders each option of a select through two includes; the case
list's filter form has about thirty options, and through it the list page took about a
third longer (docs/performance.md). Django's Jinja2 renderer cannot serve the whole site:
the admin's widgets ship Django templates only. A select whose templates a project or
widget changed goes through the Django templates as before.
"""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates, Jinja2
from django.utils.functional import cached_property

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
ATTRS = "django/forms/widgets/attrs.html"


def _stock(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION
        for _, group_choices, _ in widget["optgroups"]
        for option in group_choices
    )


class FormRenderer(DjangoTemplates):
    """DjangoTemplates; stock select boxes through Django's own Jinja2 templates."""

    @cached_property
    def _jinja2(self) -> Jinja2:
        return Jinja2()

    @cached_property
    def _stock_templates(self) -> bool:
        """Whether the select templates found are Django's own (no app overrides them)."""
        stock = Path(django.forms.__file__).parent / "templates"
        return all(
            Path(self.get_template(name).origin.name).is_relative_to(stock)
            for name in (SELECT, OPTION, ATTRS)
        )

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if (
            template_name == SELECT
            and widget is not None
            and self._stock_templates
            and _stock(widget)
        ):
            return self._jinja2.render(template_name, context, request=request).strip()
        return super().render(template_name, context, request=request)
