"""The case form: Django form fields for widgets, the contract's profile_clean for validation."""

from django import forms
from django.core.exceptions import ValidationError

from cases import choices
from cases.models import CaseProfile
from cases.profile import PROFILE_FIELDS, profile_clean
from cases.selectors import marker_scales_get


def errors_add(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's field-keyed ValidationError beside the form's fields."""
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def profile_from_form(form: forms.BaseForm, markers: dict) -> None:
    """Validate the form's values with the contract (form.profile), errors beside fields."""
    cleaned = form.cleaned_data
    data = {name: cleaned.get(name) for name in PROFILE_FIELDS if name != "markers"}
    # Blank form inputs mean "not given"; the contract's defaults then apply.
    data["age_band"] = data["age_band"] or None
    data["notes"] = data["notes"] or ""
    data["prior_therapies"] = list(data["prior_therapies"] or [])
    data["markers"] = markers
    try:
        form.profile = profile_clean(data=data, marker_scales=marker_scales_get())
    except ValidationError as exc:
        errors_add(form, exc)


class VersionedFormMixin(forms.Form):
    """A hidden `version`: saving from an older version than the stored one is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None:
            # The stored version, not the instance's: a history revert form holds an old
            # instance, but the revert is based on what is stored now.
            self.initial["version"] = stored_version(instance)

    def clean(self):
        cleaned = super().clean()
        instance = getattr(self, "instance", None)
        if instance is not None:
            version_check(self, instance)
        return cleaned


class CaseProfileForm(VersionedFormMixin, forms.ModelForm):
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
        if not self.errors:
            profile_from_form(self, cleaned.get("markers") or {})
        return cleaned


NOT_TESTED_CHOICE = ("", "Not tested")
FORM_SECTIONS = {
    "Clinical context": [
        "tumour_site", "setting", "age_band", "trastuzumab_response", "prior_therapies",
        "brain_metastases", "notes",
    ],
    "HER2": ["her2_ihc", "her2_ish", "her2_heterogeneity", "her2_positive_fraction"],
    "Hormone receptors and pathway genes": ["er", "pr", "pik3ca", "pten"],
}  # fmt: skip


def stored_version(instance) -> int | None:
    if not instance.pk:
        return None
    return type(instance).objects.filter(pk=instance.pk).values_list("version", flat=True).first()


def version_check(form: forms.BaseForm, instance) -> None:
    """Refuse a save based on an older version than the stored one (no silent overwrite)."""
    sent = form.cleaned_data.get("version")
    if instance.pk and sent is not None and sent != stored_version(instance):
        form.add_error(
            None,
            "This record was changed by someone else since you opened it. Reload it, check "
            "their changes, then make yours again.",
        )


class CaseWebForm(forms.Form):
    """The tumour-board case form: one field per contract field, one select per marker.

    Markers arrive grouped (label -> markers) so the page can show them by mechanism;
    validation is the contract's profile_clean, as everywhere else.
    """

    tumour_site = forms.ChoiceField(choices=choices.TumourSite.choices, initial="breast")
    setting = forms.ChoiceField(choices=choices.Setting.choices)
    age_band = forms.ChoiceField(
        choices=[("", "Not recorded"), *choices.AgeBand.choices], required=False, label="Age band"
    )
    trastuzumab_response = forms.ChoiceField(
        choices=choices.TrastuzumabResponse.choices, label="Response to trastuzumab"
    )
    prior_therapies = forms.MultipleChoiceField(
        choices=choices.Therapy.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    brain_metastases = forms.BooleanField(required=False, label="Brain metastases")
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="De-identified discussion notes only: no names, dates, numbers or places.",
    )
    her2_ihc = forms.ChoiceField(choices=choices.Her2Ihc.choices, label="HER2 IHC")
    her2_ish = forms.ChoiceField(
        choices=choices.Her2Ish.choices, initial="not_done", label="HER2 ISH"
    )
    her2_heterogeneity = forms.ChoiceField(
        choices=choices.Her2Heterogeneity.choices, initial="unknown", label="HER2 heterogeneity"
    )
    her2_positive_fraction = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="HER2-positive cells (%)"
    )
    er = forms.ChoiceField(choices=choices.ReceptorStatus.choices, initial="unknown", label="ER")
    pr = forms.ChoiceField(choices=choices.ReceptorStatus.choices, initial="unknown", label="PR")
    pik3ca = forms.ChoiceField(choices=choices.Pik3ca.choices, initial="unknown", label="PIK3CA")
    pten = forms.ChoiceField(choices=choices.Pten.choices, initial="unknown", label="PTEN")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, marker_groups: list[tuple[str, list]], **kwargs):
        super().__init__(*args, **kwargs)
        self.marker_groups = []
        for label, markers in marker_groups:
            names = []
            for marker in markers:
                name = f"marker__{marker.code}"
                self.fields[name] = forms.ChoiceField(
                    choices=[NOT_TESTED_CHOICE, *[(v, v) for v in marker.values]],
                    required=False,
                    label=marker.name,
                    help_text=marker.description,
                )
                names.append(name)
            self.marker_groups.append((label, names))

    @classmethod
    def initial_from(cls, profile: dict) -> dict:
        initial = {k: v for k, v in profile.items() if k != "markers"}
        initial.update({f"marker__{code}": result for code, result in profile["markers"].items()})
        return initial

    def sections(self):
        for title, names in FORM_SECTIONS.items():
            yield title, [self[name] for name in names]

    def marker_sections(self):
        for label, names in self.marker_groups:
            yield label, [self[name] for name in names]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            markers = {
                name.removeprefix("marker__"): value
                for name, value in cleaned.items()
                if name.startswith("marker__") and value
            }
            profile_from_form(self, markers)
        return cleaned
