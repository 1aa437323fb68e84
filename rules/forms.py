"""The curator's rule form: Django widgets, rules.services.rule_validate for every check."""

from django import forms
from django.core.exceptions import ValidationError

from cases.forms import stored_version, version_check
from rules.models import Rule
from rules.services import rule_validate

RULE_FIELDS = [
    "slug",
    "title",
    "status",
    "kind",
    "mechanism",
    "strategy",
    "evidence_level",
    "condition",
    "rationale",
    "citations",
    "examples",
]


class RuleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Rule
        fields = RULE_FIELDS
        widgets = {"condition": forms.Textarea(attrs={"rows": 3, "cols": 90})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The stored version, not the instance's: a history revert form holds an old
        # instance, but the revert is based on what is stored now.
        self.initial["version"] = stored_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        version_check(self, self.instance)
        if self.errors:
            return cleaned
        candidate = Rule(pk=self.instance.pk, **{f: cleaned.get(f) for f in RULE_FIELDS})
        try:
            rule_validate(rule=candidate)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned
