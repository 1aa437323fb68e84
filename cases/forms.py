"""Case forms, generated from cases.contract; validation is the contract's profile_clean.

`CaseWebForm` is the tumour-board form (one field per contract field, one select per
catalogue marker); `CaseProfileForm` is the admin's model form. Both hand their values to
cases.profile.profile_clean, so every entry path refuses the same input the same way.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from cases import choices, contract
from cases.models import CaseProfile
from cases.profile import profile_clean
from cases.selectors import marker_scales_get
from core.concurrency import VersionedFormMixin
from core.forms import errors_add

CHOOSE = ("", _("Choose…"))
NOT_GIVEN = ("", _("Not recorded"))
NOT_TESTED_CHOICE = ("", _("Not tested"))
MARKER_PREFIX = "marker__"


def contract_form_field(spec: contract.FieldSpec) -> forms.Field:
    """The web form's field for a contract field (markers excepted)."""
    # The contract's English is the message id; the form shows the request's language.
    common = {
        "label": gettext_lazy(spec.label),
        "help_text": gettext_lazy(spec.help) if spec.help else "",
    }
    if spec.kind == "choice":
        values = list(choices.FIELD_CHOICES[spec.name].choices)
        if spec.required:
            return forms.ChoiceField(choices=[CHOOSE, *values], **common)
        if spec.optional:
            return forms.ChoiceField(choices=[NOT_GIVEN, *values], required=False, **common)
        return forms.ChoiceField(choices=values, initial=spec.default, **common)
    if spec.kind == "choices":
        return forms.MultipleChoiceField(
            choices=choices.FIELD_CHOICES[spec.name].choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if spec.kind == "bool":
        return forms.BooleanField(required=False, initial=spec.default, **common)
    if spec.kind == "percent":
        return forms.IntegerField(required=False, min_value=0, max_value=100, **common)
    if spec.kind == "text":
        return forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), **common)
    raise ValueError(f"No form field for contract field kind {spec.kind!r}")


def profile_from_form(form: forms.BaseForm, markers: dict) -> None:
    """Validate the form's values with the contract (form.profile), errors beside fields."""
    cleaned = form.cleaned_data
    data = {}
    for name, spec in contract.PROFILE_FIELDS.items():
        if spec.kind == "markers":
            continue
        value = cleaned.get(name)
        # Blank form inputs mean "not given"; the contract's defaults then apply.
        if spec.kind == "choices":
            value = list(value or [])
        elif spec.kind == "text":
            value = value or ""
        elif spec.kind == "choice" and value == "":
            value = None
        data[name] = value
    data["markers"] = markers
    already = set(form.errors)
    try:
        form.profile = profile_clean(data=data, marker_scales=marker_scales_get())
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            # A field that already failed its own check was left out of `data`: the
            # contract's word on it would only repeat or contradict that.
            remaining = {f: e for f, e in exc.error_dict.items() if f not in already}
            if not remaining:
                return
            exc = ValidationError(remaining)
        errors_add(form, exc)


class CaseProfileForm(VersionedFormMixin, forms.ModelForm):
    """The admin's form: the model's fields, validated by the contract."""

    prior_therapies = contract_form_field(contract.PROFILE_FIELDS["prior_therapies"])
    markers = forms.JSONField(
        required=False,
        initial=dict,
        label=gettext_lazy(contract.PROFILE_FIELDS["markers"].label),
        help_text=_(
            'Marker code to result, e.g. {"MUC4": "high", "p95HER2": "negative"}. '
            "Leave a marker out when it was not tested."
        ),
    )

    class Meta:
        model = CaseProfile
        fields = list(contract.PROFILE_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            profile_from_form(self, cleaned.get("markers") or {})
        return cleaned


class CaseWebForm(VersionedFormMixin, forms.Form):
    """The tumour-board case form: one field per contract field, one select per marker.

    Markers arrive grouped (label -> markers) so the page can show them by mechanism;
    validation is the contract's profile_clean, as everywhere else.
    """

    def __init__(self, *args, marker_groups: list[tuple[str, list]], **kwargs):
        super().__init__(*args, **kwargs)
        for spec in contract.FIELDS:
            if spec.kind != "markers":
                self.fields[spec.name] = contract_form_field(spec)
        self.fields["version"] = self.fields.pop("version")  # hidden, after the others
        self.marker_groups = []
        for label, markers in marker_groups:
            names = []
            for marker in markers:
                name = MARKER_PREFIX + marker.code
                self.fields[name] = forms.ChoiceField(
                    choices=[NOT_TESTED_CHOICE, *[(v, gettext_lazy(v)) for v in marker.values]],
                    required=False,
                    label=marker.name,
                    help_text=marker.description,
                )
                names.append(name)
            self.marker_groups.append((label, names))

    @classmethod
    def initial_from(cls, profile: dict) -> dict:
        initial = {k: v for k, v in profile.items() if k != "markers"}
        initial.update(
            {MARKER_PREFIX + code: result for code, result in profile["markers"].items()}
        )
        return initial

    def sections(self):
        for title in contract.SECTIONS:
            fields = [self[spec.name] for spec in contract.section_fields(title)
                      if spec.name in self.fields]  # fmt: skip
            if fields:
                yield gettext(title), fields

    def marker_sections(self):
        """(group label, its fields, how many of them hold a result): a group with results
        is shown open, saying how many, so stored or entered values are never hidden."""
        for label, names in self.marker_groups:
            fields = [self[name] for name in names]
            yield label, fields, sum(1 for field in fields if field.value())

    def clean(self):
        # The contract's checks run even when a field already failed, so every problem
        # (the notes screen included) comes back in one pass.
        cleaned = super().clean()
        markers = {
            name.removeprefix(MARKER_PREFIX): value
            for name, value in cleaned.items()
            if name.startswith(MARKER_PREFIX) and value
        }
        profile_from_form(self, markers)
        return cleaned
