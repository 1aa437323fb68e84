"""Words for stored choice values in long lists: `{{ case.setting|choice_label:"setting" }}`.

Django's get_FOO_display() rebuilds its choices dictionary on every call; a list of 25
cases made 75 of them. These dictionaries are built once, from cases.choices.
"""

from django import template

from cases.choices import FIELD_CHOICES

register = template.Library()

LABELS = {name: dict(choices.choices) for name, choices in FIELD_CHOICES.items()}


@register.filter
def choice_label(value, field: str):
    return LABELS[field].get(value, value)
