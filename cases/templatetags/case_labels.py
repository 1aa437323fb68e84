"""Words for stored values in long lists: `{{ case.setting|choice_label:"setting" }}`,
from the contract (FieldSpec.value_label). Django's get_FOO_display() rebuilds a hashable
copy of its choices on every call; a list of 25 cases made 75 of them."""

from django import template

from cases.contract import ALL_FIELDS

register = template.Library()


@register.filter
def choice_label(value, field: str) -> str:
    return ALL_FIELDS[field].value_label(value)
