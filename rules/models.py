"""The knowledge base: the review's references, mechanisms, strategies and curated rules.

Every model keeps its history (who changed what, when) with django-simple-history.
Writes go through rules.services, which check conditions, citations and examples.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from rules.choices import EvidenceLevel, RuleKind, RuleStatus


class Reference(models.Model):
    """An entry of the review's bibliography, with the caveats curators must see."""

    key = models.CharField(max_length=60, unique=True)
    label = models.CharField(max_length=120, help_text="In-text citation as the review writes it.")
    authors = models.TextField()
    year = models.PositiveSmallIntegerField()
    title = models.TextField()
    journal = models.CharField(max_length=300)
    volume = models.CharField(max_length=40, blank=True)
    issue = models.CharField(max_length=40, blank=True)
    pages = models.CharField(max_length=60, blank=True)
    doi = models.CharField(max_length=200, blank=True)
    pmid = models.CharField(max_length=20, blank=True)
    doi_source = models.TextField(blank=True, help_text="Where the DOI/PMID was seen.")
    retracted = models.BooleanField(default=False)
    caveats = models.TextField(
        blank=True, help_text="Known problems with how the review cites this source."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.label

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""


class Mechanism(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Strategy(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    agents = models.JSONField(
        default=list, blank=True, help_text="Agents as the review names them."
    )
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.name


class Rule(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    condition = models.TextField(
        help_text='A rule-engine expression over the profile, e.g. pik3ca == "mutated" '
        'or markers["MUC4"] == "high".'
    )
    kind = models.CharField(max_length=20, choices=RuleKind.choices)
    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="rules")
    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, related_name="rules", null=True, blank=True
    )
    evidence_level = models.CharField(max_length=24, choices=EvidenceLevel.choices)
    rationale = models.TextField(help_text="Our own paraphrase of what the review says.")
    citations = models.JSONField(
        default=list, help_text="Reference keys, in the order the rule cites them."
    )
    status = models.CharField(max_length=12, choices=RuleStatus.choices, default=RuleStatus.DRAFT)
    examples = models.JSONField(
        default=list,
        blank=True,
        help_text='Profiles with their expected outcome: [{"profile": {...}, "fires": true}]. '
        "A profile lists only what differs from the baseline example profile.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: every save bumps it; a save based on an older one is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["mechanism__position", "slug"]

    def __str__(self) -> str:
        return self.slug


class EvaluationSnapshot(models.Model):
    """What the engine said about a case on a given day, pinned to the knowledge-base version."""

    case = models.ForeignKey(
        "cases.CaseProfile", on_delete=models.CASCADE, related_name="snapshots"
    )
    knowledge_base_version = models.CharField(max_length=40)
    payload = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.knowledge_base_version}"


class CdsCard(models.Model):
    """A CDS Hooks card we issued, so feedback can be traced to its rule."""

    uuid = models.UUIDField(unique=True)
    rule_slug = models.CharField(max_length=80)
    knowledge_base_version = models.CharField(max_length=40)
    hook_instance = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.rule_slug} ({self.uuid})"


class CdsFeedback(models.Model):
    """A CDS client's report that a card was accepted or overridden (and why)."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        OVERRIDDEN = "overridden", "Overridden"

    card = models.ForeignKey(CdsCard, on_delete=models.CASCADE, related_name="feedback")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    override_reason_code = models.CharField(max_length=100, blank=True)
    override_reason_display = models.CharField(max_length=200, blank=True)
    user_comment = models.TextField(blank=True)
    outcome_timestamp = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "CDS feedback"

    def __str__(self) -> str:
        return f"{self.card.rule_slug}: {self.outcome}"


class BoardSession(models.Model):
    """A training-mode tumour board: an educator's set of cases for trainees to propose on."""

    title = models.CharField(max_length=200)
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_sessions"
    )
    cases = models.ManyToManyField("cases.CaseProfile", through="SessionCase", related_name="+")
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class SessionCase(models.Model):
    session = models.ForeignKey(BoardSession, on_delete=models.CASCADE)
    case = models.ForeignKey("cases.CaseProfile", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "case"], name="session_case_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.case_id}"


class TraineeProposal(models.Model):
    """What a trainee proposed for a case before seeing the engine's suggestions."""

    session = models.ForeignKey(BoardSession, on_delete=models.CASCADE, related_name="proposals")
    case = models.ForeignKey("cases.CaseProfile", on_delete=models.CASCADE, related_name="+")
    trainee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    strategies = models.ManyToManyField(Strategy, blank=True, related_name="+")
    reasoning = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "case", "trainee"], name="one_proposal_per_trainee_and_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} on {self.case_id}"
