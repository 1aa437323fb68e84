"""The case form: Django form fields for widgets, the contract's profile_clean for validation."""

from django import forms
from django.core.exceptions import ValidationError

from cases import choices
from cases.models import CaseProfile
from cases.profile import PROFILE_FIELDS, profile_clean
from cases.selectors import marker_scales_get


class CaseProfileForm(forms.ModelForm):
    prior_therapies = forms.MultipleChoiceField(
        choices=choices.Therapy.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    markers = forms.JSONField(
        required=False,
        initial=dict,
        help_text='Marker code to result, e.g. {"MUC4": "high", "p95HER2": "negative"}. '
        "Leave a marker out when it was not tested.",
    )

    class Meta:
        model = CaseProfile
        fields = list(PROFILE_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = {name: cleaned.get(name) for name in PROFILE_FIELDS}
        # Blank form inputs mean "not given"; the contract's defaults then apply.
        data["age_band"] = data["age_band"] or None
        data["notes"] = data["notes"] or ""
        data["markers"] = data["markers"] or {}
        data["prior_therapies"] = list(data["prior_therapies"] or [])
        try:
            self.profile = profile_clean(data=data, marker_scales=marker_scales_get())
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned
