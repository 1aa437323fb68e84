"""Form helpers every app's forms share."""

from django import forms
from django.core.exceptions import ValidationError


def errors_add(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's field-keyed ValidationError beside the form's fields."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class LinesField(forms.CharField):
    """A list of short texts edited one per line (instead of JSON in a textarea)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]
