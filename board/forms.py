"""Forms of board sessions: a session's title, picking cases, and a trainee's proposal.

A proposal is up to three ranked options, each from one list: the review's strategies
grouped by mechanism, the standard-of-care options, or "Other" with the trainee's own
words (screened for identifiers), plus an evidence-level guess and reasoning.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from board.choices import MAX_CHOICES, StandardOfCare
from board.presentation import name_shown
from board.training import Option
from cases.deid import text_validate
from rules.choices import EvidenceLevel, RuleStatus
from rules.folding import sort_key
from rules.models import Rule, Strategy
from rules.translations import in_english

OTHER = "other"
TRIAL_CHOICE = f"standard:{StandardOfCare.CLINICAL_TRIAL}"


class SessionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        validators=[text_validate],
        help_text=_("e.g. 'Resistance teaching set, week 3'. Shown to every user: no identifiers."),
    )


class AddCaseForm(forms.Form):
    code = forms.CharField(max_length=16, label=_("Case code"), help_text=_("e.g. TB-7KQ2MX"))


def option_groups() -> tuple[list, dict[str, Strategy]]:
    """The options as <optgroup>s: strategies under the first mechanism (in the review's
    order) whose published rules name them, then standard of care, then Other."""
    mechanism_of: dict[int, tuple[int, str]] = {}
    with in_english():  # the text of record; a page shows the release's translation
        strategies = {s.slug: s for s in Strategy.objects.all()}
        names = {s.pk: s.name for s in strategies.values()}
        rows = list(
            Rule.objects.filter(status=RuleStatus.PUBLISHED, strategy__isnull=False)
            .order_by("mechanism__position")
            .values_list("strategy_id", "mechanism__position", "mechanism__name")
        )
    for strategy_id, position, name in rows:
        mechanism_of.setdefault(strategy_id, (position, name_shown("mechanisms", name)))
    groups: dict[tuple[int, str], list] = {}
    for strategy in strategies.values():
        group = mechanism_of.get(strategy.pk, (10_000, _("Other strategies of the review")))
        shown = name_shown("strategies", names[strategy.pk])
        groups.setdefault(group, []).append((f"strategy:{strategy.slug}", shown))
    choices: list = [("", _("Choose…"))]
    language = translation.get_language()  # names sort by the page's alphabet
    by_group = sorted(groups.items(), key=lambda g: (g[0][0], sort_key(str(g[0][1]), language)))
    for (_position, name), options in by_group:
        label = format_lazy("{}{}", _("Mechanism: "), name)
        choices.append((label, sorted(options, key=lambda o: sort_key(str(o[1]), language))))
    choices.append(
        (
            _("Standard of care"),
            [(f"standard:{value}", label) for value, label in StandardOfCare.choices],
        )
    )
    choices.append((_("Other"), [(OTHER, _("Other (in your own words)"))]))
    return choices, strategies


class ProposalForm(forms.Form):
    evidence_guess = forms.ChoiceField(
        choices=[("", _("Choose…")), *EvidenceLevel.choices],
        label=_("Evidence for your first choice"),
        help_text=_("Your guess of what kind of evidence the review reports for it."),
    )
    reasoning = forms.CharField(
        label=_("Reasoning"),
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000,
        validators=[text_validate], help_text=_("A short, de-identified reasoning."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups, self.strategies = option_groups()
        ranked = {}
        for rank in range(1, MAX_CHOICES + 1):
            ranked[f"choice_{rank}"] = forms.ChoiceField(
                choices=groups,
                required=rank == 1,
                widget=forms.Select(attrs={"class": "ranked"}),
                label=(
                    _("Choice %(rank)s (strongest)")
                    if rank == 1
                    else _("Choice %(rank)s (optional)")
                )
                % {"rank": rank},
            )
            ranked[f"other_{rank}"] = forms.CharField(
                required=False,
                max_length=200,
                validators=[text_validate],
                label=_("Choice %(rank)s, in your own words") % {"rank": rank},
                help_text=_("For “Other”, or the name of a trial; no identifiers."),
            )
        self.fields = {**ranked, **self.fields}

    def ranked_fields(self):
        return [(self[f"choice_{r}"], self[f"other_{r}"]) for r in range(1, MAX_CHOICES + 1)]

    def clean(self):
        data = super().clean()
        options, seen = [], set()
        for rank in range(1, MAX_CHOICES + 1):
            value = data.get(f"choice_{rank}")
            other = (data.get(f"other_{rank}") or "").strip()
            if not value:
                if other:
                    self.add_error(f"choice_{rank}", _("Choose “Other” for your own words."))
                continue
            if value == OTHER:
                if not other:
                    self.add_error(f"other_{rank}", _("Say what you propose."))
                    continue
                options.append(Option(other=other))
                continue
            if other and value != TRIAL_CHOICE:
                self.add_error(f"other_{rank}", _("Only for “Other” or a trial; leave it empty."))
            if value in seen:
                self.add_error(f"choice_{rank}", _("Already chosen above."))
            seen.add(value)
            kind, _sep, key = value.partition(":")
            if kind == "strategy":
                options.append(Option(strategy=self.strategies[key]))
            else:
                options.append(Option(standard=key, other=other))
        data["options"] = options
        if not options and not self.errors:
            raise ValidationError(_("Choose at least one option."))
        return data
