"""Choice lists of the knowledge base: rule kinds, statuses and the evidence scale."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    STRATEGY = "strategy", _("Strategy")
    RESISTANCE_FLAG = "resistance_flag", _("Resistance flag")
    PREDICTIVE_NOTE = "predictive_note", _("Predictive or prognostic note")
    CAUTION = "caution", _("Caution")
    SCOPE = "scope", _("Scope")
    # Said by the review, but about no patient it could recognise: shown in the knowledge
    # browser, never evaluated (no condition), so never a suggestion.
    BACKGROUND = "background", _("Background statement (no patient trigger)")


# Kinds the engine evaluates on a profile (everything but background statements).
EVALUATED_KINDS = tuple(kind for kind in RuleKind.values if kind != RuleKind.BACKGROUND)
# Evidence at or above this level is "clinical": only tests that would change such an item
# are suggested; the rest are research assays.
CLINICAL_EVIDENCE = ("approved_indication", "phase_iii_trial", "clinical_study")
# Curative-intent settings: strategies below clinical evidence are research leads there
# (../shared/spec/case-profile.md, third version), never recommendations.
CURATIVE_SETTINGS = ("early", "neoadjuvant", "residual_disease")


def research_lead(*, kind: str, evidence_level: str, setting: str) -> bool:
    """Whether an item that fires is listed among research leads, not recommendations."""
    return (
        setting in CURATIVE_SETTINGS
        and kind == RuleKind.STRATEGY
        and evidence_level not in CLINICAL_EVIDENCE
    )


class RuleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")
    # A claim of the review deliberately left out (retracted source, a citation that does
    # not support it, a mechanism without a patient finding): never evaluated, listed in
    # the knowledge browser with its quote and the reason (the rationale).
    NOT_ENCODED = "not_encoded", _("Not encoded (listed with the reason)")


class UnreviewedTranslation(models.TextChoices):
    """What Ukrainian users see of a rule whose translation no second curator approved."""

    LABELLED = "labelled", _("The translation, labelled as not yet reviewed")
    ENGLISH = "english", _("The English original")


class TranslationStatus(models.TextChoices):
    """A knowledge-base entry's Ukrainian text in a release (rules.translations)."""

    REVIEWED = "reviewed", _("Reviewed")
    UNREVIEWED = "unreviewed", _("Not yet reviewed")
    MISSING = "missing", _("Missing")


class EvidenceLevel(models.TextChoices):
    """What kind of evidence the review reports for a claim, strongest first."""

    APPROVED_INDICATION = "approved_indication", _("Approved indication")
    PHASE_III_TRIAL = "phase_iii_trial", _("Phase III trial")
    CLINICAL_STUDY = "clinical_study", _("Clinical study or patient cohort")
    PRECLINICAL_IN_VIVO = "preclinical_in_vivo", _("Preclinical, in vivo (animal)")
    PRECLINICAL_IN_VITRO = "preclinical_in_vitro", _("Preclinical, in vitro (cell lines)")
    PRECLINICAL = "preclinical", _("Preclinical, model not stated in the review")
    REVIEW_STATEMENT = "review_statement", _("Statement of a cited review")


# Our scale beside CIViC's evidence levels (A validated ... E inferential) and the
# AMP/ASCO/CAP 2017 levels of evidence (A-D). A mapping for orientation, not a re-grading.
# Each evidence level in words (badges, facets, charts, the reveal).
EVIDENCE_LABELS: dict[str, str] = dict(EvidenceLevel.choices)

EVIDENCE_MAPPING: dict[str, dict[str, str]] = {
    EvidenceLevel.APPROVED_INDICATION: {
        "civic": "A (validated association)",
        "amp_asco_cap": "Level A (FDA-approved therapy or professional guideline)",
    },
    EvidenceLevel.PHASE_III_TRIAL: {
        "civic": "B (clinical evidence)",
        "amp_asco_cap": "Level A/B (well-powered clinical study)",
    },
    EvidenceLevel.CLINICAL_STUDY: {
        "civic": "B (clinical evidence)",
        "amp_asco_cap": "Level C (multiple small published studies)",
    },
    EvidenceLevel.PRECLINICAL_IN_VIVO: {
        "civic": "D (preclinical evidence)",
        "amp_asco_cap": "Level D (preclinical studies)",
    },
    EvidenceLevel.PRECLINICAL_IN_VITRO: {
        "civic": "D (preclinical evidence)",
        "amp_asco_cap": "Level D (preclinical studies)",
    },
    EvidenceLevel.PRECLINICAL: {
        "civic": "D (preclinical evidence)",
        "amp_asco_cap": "Level D (preclinical studies)",
    },
    EvidenceLevel.REVIEW_STATEMENT: {
        "civic": "E (inferential association)",
        "amp_asco_cap": "Level D (no direct clinical evidence)",
    },
}
