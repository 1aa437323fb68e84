"""Forms an educator fills after proposals lock: the board's decision for a case, the
mapping of a trainee's "Other" answer, and a case's outcome. The services
(board.decisions) check everything again; these only shape what a browser posts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from board.choices import (
    MAX_CHOICES,
    BestResponse,
    Implemented,
    NoRecommendationReason,
    NotImplementedReason,
)
from board.options import NEW_IDEA
from cases.deid import text_validate
from rules.choices import EvidenceLevel

MONTHS_HELP = _("Whole months since the board; never a date.")


class DecisionForm(forms.Form):
    no_recommendation_reason = forms.ChoiceField(
        choices=[
            ("", _("The board recommended the options above")),
            *NoRecommendationReason.choices,
        ],
        required=False,
        label=_("Or: no recommendation, because"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, targets: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(key, label) for key, label in targets.items() if key != NEW_IDEA]
        ranked = {}
        for rank in range(1, MAX_CHOICES + 1):
            ranked[f"option_{rank}"] = forms.ChoiceField(
                choices=choices, required=False, label=_("Option %(rank)s") % {"rank": rank}
            )
            ranked[f"grade_{rank}"] = forms.ChoiceField(
                choices=[("", "—"), *EvidenceLevel.choices],
                required=False,
                label=_("Option %(rank)s: the board's evidence grade") % {"rank": rank},
            )
            ranked[f"rationale_{rank}"] = forms.CharField(
                required=False,
                max_length=2000,
                validators=[text_validate],
                widget=forms.Textarea(attrs={"rows": 2}),
                label=_("Option %(rank)s: rationale") % {"rank": rank},
                help_text=_("De-identified."),
            )
        self.fields = {**ranked, **self.fields}

    def ranked(self):
        return [
            (self[f"option_{r}"], self[f"grade_{r}"], self[f"rationale_{r}"])
            for r in range(1, MAX_CHOICES + 1)
        ]

    def options(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "option": data[f"option_{r}"],
                "evidence_grade": data[f"grade_{r}"],
                "rationale": data[f"rationale_{r}"],
            }
            for r in range(1, MAX_CHOICES + 1)
            if data.get(f"option_{r}")
        ]


class MappingForm(forms.Form):
    choice = forms.IntegerField(widget=forms.HiddenInput)
    option = forms.ChoiceField(label=_("Maps to"), required=False)

    def __init__(self, *args, targets: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [("", "Not mapped (unscored)"), *targets.items()]


class OutcomeForm(forms.Form):
    implemented = forms.ChoiceField(
        label=_("Implemented"), choices=Implemented.choices, widget=forms.RadioSelect
    )
    not_implemented_reason = forms.ChoiceField(
        label=_("Not implemented, because"),
        choices=[("", "—"), *NotImplementedReason.choices],
        required=False,
        help_text=_("When it was not, or only partly, implemented."),
    )
    best_response = forms.ChoiceField(
        choices=[("", _("Not known yet")), *BestResponse.choices],
        required=False,
        label=_("Best response (RECIST 1.1)"),
    )
    progressed = forms.NullBooleanField(
        label=_("Progressed"),
        required=False,
        widget=forms.Select(
            choices=[("unknown", _("Not known")), ("true", _("Yes")), ("false", _("No"))]
        ),
    )
    months_to_progression = forms.IntegerField(
        label=_("Months to progression"),
        min_value=0,
        max_value=600,
        required=False,
        help_text=MONTHS_HELP,
    )
    months_followed = forms.IntegerField(
        min_value=0,
        max_value=600,
        required=False,
        label=_("Months of follow-up"),
        help_text=MONTHS_HELP,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        validators=[text_validate],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De-identified; times in months, never dates."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
