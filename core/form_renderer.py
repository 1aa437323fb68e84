"""The site's form renderer (settings.FORM_RENDERER): Django's own, except that a select
box with Django's stock templates is written in Python.

Django renders each option of a select through two template includes; the case list's
filter form has about thirty options, and rendering them was an eighth of the page's CPU.
The output is the same text as Django's templates give (tests compare, over every select
of the site's forms and generated ones); a select whose templates a project or widget
changed goes through the templates as before.
"""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

from core.html import escaped

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
ATTRS = "django/forms/widgets/attrs.html"


def _attrs(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html writes."""
    written = []
    for name, value in attrs.items():
        if value is False:
            continue
        written.append(f" {escaped(name)}")
        if value is not True:
            written.append(f'="{escaped(value)}"')
    return "".join(written)


def _select(widget: dict) -> str:
    """What django/forms/widgets/select.html and select_option.html write, stripped."""
    written = [f'<select name="{escaped(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _ in widget["optgroups"]:
        if group_name:
            written.append(f'\n  <optgroup label="{escaped(group_name)}">')
        for option in group_choices:
            written.append(
                f'\n  <option value="{escaped(option["value"])}"'
                f"{_attrs(option['attrs'])}>{escaped(option['label'])}</option>\n"
            )
        if group_name:
            written.append("\n  </optgroup>")
    written.append("\n</select>")
    return "".join(written).strip()


def _stock(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION
        for _, group_choices, _ in widget["optgroups"]
        for option in group_choices
    )


class FormRenderer(DjangoTemplates):
    """Django's DjangoTemplates renderer; stock select boxes are written without templates."""

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
            return _select(widget)
        return super().render(template_name, context, request=request)
