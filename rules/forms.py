"""The curator's rule form: Django widgets, rules.curation.rule_validate for every check."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.deid import control_characters_validate
from core.concurrency import VersionedFormMixin
from core.forms import errors_add
from rules.curation import rule_validate
from rules.models import Reference, Rule
from rules.review_text import quote_locate
from rules.translations import in_english
from rules.widgets import CitationsField, CitationsWidget, ExamplesField


class ProvenanceField(forms.CharField):
    """The review's sentences a rule encodes, one quote per block (blank lines between):
    each is found in the review and stored with its paragraph (rules.review_text)."""

    widget = forms.Textarea(attrs={"rows": 5, "cols": 90})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n\n".join(item.get("quote", "") for item in value if isinstance(item, dict))
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        quotes = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
        items, missing = [], []
        for number, quote in enumerate((q for q in quotes if q), start=1):
            paragraph = quote_locate(quote)
            if paragraph is None:
                missing.append(str(number))
            else:
                items.append({"quote": " ".join(quote.split()), "paragraph": paragraph})
        if missing:
            raise ValidationError(
                _(
                    "Quote %(numbers)s is not found in the review as whole sentences copied "
                    "verbatim (only whitespace may differ). Copy the sentences from the "
                    "review; separate quotes with a blank line."
                ),
                code="not_in_review",
                params={"numbers": ", ".join(missing)},
            )
        return items


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
    "provenance",
    "citations",
    "examples",
]
# A rule's Ukrainian text, and what users see of it until a second curator approves it.
RULE_TRANSLATION_FIELDS = ["title_uk", "rationale_uk", "provenance_uk", "unreviewed_translation"]


class QuoteTranslationsField(ProvenanceField):
    """The review's quotes in Ukrainian, one block per quote in the English's order (blank
    lines between); each keeps its English quote's paragraph (RuleForm.clean). Shown as
    ProvenanceField shows its quotes; not looked for in the review."""

    def to_python(self, value):
        text = (forms.CharField.to_python(self, value) or "").replace("\r\n", "\n")
        return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


class ChangeReasonForm(forms.ModelForm):
    """A curator's reason for a change of the knowledge base: kept in its history and
    listed in the next release's changelog (rules.releases)."""

    change_reason = forms.CharField(
        max_length=300,
        validators=[control_characters_validate],
        label=_("Reason for this change"),
        help_text=_(
            "Required. It is kept with the change and listed in the next release's "
            "changelog, e.g. 'Evidence level corrected: the cited study is preclinical'."
        ),
    )

    def __init__(self, *args, **kwargs):
        # The translated fields' own names (title, name, caveats) are the English text of
        # record, whatever the curator's language; the Ukrainian ones are listed by name
        # (rules.translations).
        with in_english():
            super().__init__(*args, **kwargs)

    def _post_clean(self):
        with in_english():
            super()._post_clean()

    def reason_attach(self, obj) -> None:
        obj._change_reason = self.cleaned_data["change_reason"].strip()


class RuleForm(VersionedFormMixin, ChangeReasonForm):
    citations = CitationsField(
        required=False,
        help_text=_("The review's references this rule's claim rests on."),
    )
    provenance = ProvenanceField(
        required=False,
        label=_("The review says"),
        help_text=_(
            "Whole sentences of the review this rule encodes, copied verbatim; one "
            "quote per block, a blank line between. Each is checked against the review on save."
        ),
    )
    provenance_uk = QuoteTranslationsField(
        required=False,
        label=_("The review says, in Ukrainian"),
        help_text=_(
            "A translation of each quote above, in the same order, a blank line between. "
            "Pages show it beside the review's English words once a second curator "
            "approves it."
        ),
    )
    examples = ExamplesField(
        required=False,
        help_text=_(
            "Profiles the rule must fire on, and ones it must stay silent on; each is "
            "checked on save."
        ),
    )

    class Meta:
        model = Rule
        fields = RULE_FIELDS + RULE_TRANSLATION_FIELDS
        widgets = {
            "condition": forms.Textarea(attrs={"rows": 3, "cols": 90}),
            "rationale_uk": forms.Textarea(attrs={"rows": 5, "cols": 90}),
        }
        labels = {
            "title": _("Title (English)"),
            "rationale": _("Rationale (English)"),
            "title_uk": _("Title in Ukrainian"),
            "rationale_uk": _("Rationale in Ukrainian"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unreviewed_translation"].required = False
        self.fields["citations"].widget = CitationsWidget(
            references=[
                (key, f"{label} — {title[:70]}")
                for key, label, title in Reference.objects.order_by("key").values_list(
                    "key", "label", "title"
                )
            ]
        )

    def clean_unreviewed_translation(self):
        # A form without it (an older client) keeps the rule's choice.
        return (
            self.cleaned_data.get("unreviewed_translation") or self.instance.unreviewed_translation
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        quotes, translated = cleaned.get("provenance") or [], cleaned.get("provenance_uk") or []
        if translated and len(translated) != len(quotes):
            self.add_error(
                "provenance_uk",
                ngettext(
                    "Translate the %(count)s quote, or none.",
                    "Translate each of the %(count)s quotes, in order, or none.",
                    len(quotes),
                )
                % {"count": len(quotes)},
            )
            return cleaned
        cleaned["provenance_uk"] = [
            {"quote": text, "paragraph": quote["paragraph"]}
            for text, quote in zip(translated, quotes, strict=False)
        ]  # none, or one per quote (checked above)
        with in_english():
            candidate = Rule(pk=self.instance.pk, **{f: cleaned.get(f) for f in RULE_FIELDS})
        try:
            rule_validate(rule=candidate)
        except ValidationError as exc:
            errors_add(self, exc)
        return cleaned
