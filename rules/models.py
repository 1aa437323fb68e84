"""The knowledge base: the review's references, mechanisms, strategies and curated rules.

Every model keeps its history (who changed what, when) with django-simple-history.
Writes go through rules.curation, which checks conditions, citations and examples.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.deid import control_characters_validate
from rules.choices import EvidenceLevel, RuleKind, RuleStatus, UnreviewedTranslation


def _history(*translated: str) -> HistoricalRecords:
    """A model's history, without the per-language columns django-modeltranslation adds
    (rules/translation.py) after the history model is built: a row records the English
    text of record under the field's own name, and who changed the entry, and why."""
    return HistoricalRecords(
        excluded_fields=[
            f"{name}_{language}" for name in translated for language in ("en_gb", "uk")
        ]
    )


class Reference(models.Model):
    """An entry of the review's bibliography, with the caveats curators must see."""

    key = models.CharField(_("key"), max_length=60, unique=True)
    label = models.CharField(
        _("label"),
        validators=[control_characters_validate],
        max_length=120,
        help_text=_("In-text citation as the review writes it."),
    )
    authors = models.TextField(_("authors"), validators=[control_characters_validate])
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.TextField(_("title"), validators=[control_characters_validate])
    journal = models.CharField(
        _("journal"), validators=[control_characters_validate], max_length=300
    )
    volume = models.CharField(
        _("volume"), validators=[control_characters_validate], max_length=40, blank=True
    )
    issue = models.CharField(
        _("issue"), validators=[control_characters_validate], max_length=40, blank=True
    )
    pages = models.CharField(
        _("pages"), validators=[control_characters_validate], max_length=60, blank=True
    )
    doi = models.CharField(
        _("doi"), validators=[control_characters_validate], max_length=200, blank=True
    )
    pmid = models.CharField(
        _("pmid"), validators=[control_characters_validate], max_length=20, blank=True
    )
    doi_source = models.TextField(
        _("doi source"),
        validators=[control_characters_validate],
        blank=True,
        help_text=_("Where the DOI/PMID was seen."),
    )
    retracted = models.BooleanField(_("retracted"), default=False)
    caveats = models.JSONField(
        _("caveats"),
        default=list,
        blank=True,
        help_text=_(
            "Short sentences shown with every citation of this source: a content "
            "mismatch, a retraction, conflicting findings. One per line."
        ),
    )
    citation_notes = models.TextField(
        _("citation notes"),
        validators=[control_characters_validate],
        blank=True,
        help_text=_(
            "For curators: how the review cites this source (spelling, et al., "
            "duplicates, ambiguous citations). Not shown with citations."
        ),
    )
    history = _history("caveats")

    class Meta:
        ordering = ["key"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self) -> str:
        return self.label

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""


class Mechanism(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), validators=[control_characters_validate], max_length=200)
    description = models.TextField(
        _("description"), validators=[control_characters_validate], blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = _history("name")

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")

    def __str__(self) -> str:
        return self.name


class Strategy(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), validators=[control_characters_validate], max_length=200)
    agents = models.JSONField(
        _("agents"), default=list, blank=True, help_text=_("Agents as the review names them.")
    )
    therapies = models.JSONField(
        _("therapies"),
        default=list,
        blank=True,
        help_text=_(
            "The contract's prior-therapy values this strategy gives (e.g. "
            '["endocrine"]): when a profile lists one, its items say "already given".'
        ),
    )
    description = models.TextField(
        _("description"), validators=[control_characters_validate], blank=True
    )
    history = _history("name")

    class Meta:
        ordering = ["name"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.name


class Rule(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), validators=[control_characters_validate], max_length=200)
    condition = models.TextField(
        _("condition"),
        validators=[control_characters_validate],
        blank=True,
        help_text=_(
            'A rule-engine expression over the profile, e.g. pik3ca == "mutated" '
            'or markers["MUC4"] == "high". Empty for a background statement.'
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    mechanism = models.ForeignKey(
        Mechanism, verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="rules"
    )
    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategy"),
        on_delete=models.PROTECT,
        related_name="rules",
        null=True,
        blank=True,
    )
    evidence_level = models.CharField(
        _("evidence level"), max_length=24, choices=EvidenceLevel.choices
    )
    rationale = models.TextField(
        _("rationale"),
        validators=[control_characters_validate],
        help_text=_("Our own paraphrase of what the review says."),
    )
    citations = models.JSONField(
        _("citations"),
        default=list,
        help_text=_("Reference keys, in the order the rule cites them."),
    )
    provenance = models.JSONField(
        _("provenance"),
        default=list,
        blank=True,
        help_text=_(
            'The review\'s own sentences this rule encodes: [{"quote": "…", '
            '"paragraph": 17}], each quote whole sentences copied verbatim (rules.review_text).'
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RuleStatus.choices, default=RuleStatus.DRAFT
    )
    examples = models.JSONField(
        _("examples"),
        default=list,
        blank=True,
        help_text=_(
            'Profiles with their expected outcome: [{"profile": {...}, "fires": true}]. '
            "A profile lists only what differs from the baseline example profile."
        ),
    )
    unreviewed_translation = models.CharField(
        _("unreviewed translation"),
        max_length=10,
        choices=UnreviewedTranslation.choices,
        default=UnreviewedTranslation.LABELLED,
        help_text=_(
            "What Ukrainian users see until a second curator approves this rule's "
            "translation: the translation, labelled, with the English one click away; "
            "or the English."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic concurrency: every save bumps it; a save based on an older one is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = _history("title", "rationale", "provenance")

    class Meta:
        ordering = ["mechanism__position", "slug"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return self.slug


class ReleaseQuerySet(models.QuerySet):
    def newest(self) -> "Release | None":
        """The latest release (ids only grow), or None before the first."""
        return self.order_by("-id").first()


class Release(models.Model):
    """A dated release of the knowledge base: what users' evaluations use until the next.

    Curators change the rules, strategies, mechanisms and references (the working copy);
    nothing they change reaches users until a release is published, which stores the
    whole knowledge base as it then stands (in the knowledge-base file's format) with a
    changelog made from the changes' reasons (rules.releases).
    """

    name = models.CharField(
        _("name"),
        max_length=20,
        unique=True,
        validators=[
            control_characters_validate,
            RegexValidator(r"^\d{4}\.\d{1,3}$", _("A release is named YEAR.N, e.g. 2026.2.")),
        ],
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    changelog = models.JSONField(
        _("changelog"), default=list, help_text=_("One line per change, with its reason.")
    )
    knowledge_base = models.JSONField(
        _("knowledge base"), help_text=_("The whole knowledge base at publication.")
    )
    version = models.CharField(
        _("version"), max_length=40, help_text=_("The content hash users see.")
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge-release", args=[self.name])


class Review(models.Model):
    """A second curator's decision on a change of the working copy (rules.reviews).

    A change is one entry (rule, strategy, mechanism or reference) as it now differs from
    the latest release; the decision holds for the entry as it stood at `history_id` (its
    newest history row), so a later edit needs a new review.
    """

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    section = models.CharField(
        _("section"), max_length=20
    )  # rules, strategies, mechanisms, references
    key = models.CharField(_("key"), max_length=80)
    history_id = models.PositiveBigIntegerField(_("history id"), default=0)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True, validators=[control_characters_validate])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [models.Index(fields=["section", "key", "history_id"])]

    def __str__(self) -> str:
        return f"{self.decision} {self.section}/{self.key}"
