"""The curator's rule form: Django widgets, rules.curation.rule_validate for every check."""

from django import forms
from django.core.exceptions import ValidationError

from core.concurrency import VersionedFormMixin
from core.forms import errors_add
from rules.curation import rule_validate
from rules.models import Rule

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


class RuleForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Rule
        fields = RULE_FIELDS
        widgets = {"condition": forms.Textarea(attrs={"rows": 3, "cols": 90})}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = Rule(pk=self.instance.pk, **{f: cleaned.get(f) for f in RULE_FIELDS})
        try:
            rule_validate(rule=candidate)
        except ValidationError as exc:
            errors_add(self, exc)
        return cleaned
