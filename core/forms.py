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
