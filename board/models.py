"""Records of what users did with cases: evaluation snapshots, CDS cards and feedback, and
training-mode board sessions with trainees' proposals.

These tables were created by the rules app; they keep their names (`db_table`).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from board.choices import (
    BestResponse,
    Implemented,
    NoRecommendationReason,
    NotImplementedReason,
    SessionState,
    StandardOfCare,
)
from cases.choices import Her2Status
from cases.deid import control_characters_validate, text_validate
from rules.choices import EvidenceLevel
from rules.models import Strategy


class EvaluationSnapshot(models.Model):
    """What the engine said about a case on a given day, pinned to the knowledge-base version."""

    case = models.ForeignKey(
        "cases.CaseProfile", on_delete=models.CASCADE, related_name="snapshots"
    )
    knowledge_base_version = models.CharField(max_length=40)
    # The release it was taken against (blank for snapshots from before releases).
    knowledge_base_release = models.CharField(max_length=20, blank=True)
    payload = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "rules_evaluationsnapshot"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.knowledge_base_version}"


class CdsCard(models.Model):
    """A CDS Hooks card we issued, so feedback can be traced to its rule."""

    uuid = models.UUIDField(unique=True)
    rule_slug = models.CharField(max_length=80)
    knowledge_base_version = models.CharField(max_length=40)
    hook_instance = models.CharField(max_length=100, blank=True, validators=[text_validate])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "rules_cdscard"

    def __str__(self) -> str:
        return f"{self.rule_slug} ({self.uuid})"


class CdsFeedback(models.Model):
    """A CDS client's report that a card was accepted or overridden (and why)."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        OVERRIDDEN = "overridden", "Overridden"

    card = models.ForeignKey(CdsCard, on_delete=models.CASCADE, related_name="feedback")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    override_reason_code = models.CharField(max_length=100, blank=True, validators=[text_validate])
    override_reason_display = models.CharField(
        max_length=200, blank=True, validators=[text_validate]
    )
    user_comment = models.TextField(blank=True, validators=[text_validate])
    outcome_timestamp = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "rules_cdsfeedback"
        ordering = ["-created_at"]
        verbose_name_plural = "CDS feedback"

    def __str__(self) -> str:
        return f"{self.card.rule_slug}: {self.outcome}"


class BoardSession(models.Model):
    """A training-mode tumour board: an educator's set of cases for trainees to propose on."""

    title = models.CharField(max_length=200, validators=[text_validate])
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_sessions"
    )
    cases = models.ManyToManyField("cases.CaseProfile", through="SessionCase", related_name="+")
    state = models.CharField(max_length=8, choices=SessionState.choices, default=SessionState.OPEN)
    revealed = models.BooleanField(
        default=False,
        help_text="Locked at least once: the engine and the board were shown to everyone.",
    )
    revision = models.PositiveIntegerField(
        default=0,
        help_text="Moves on with every change to the session's scores (a proposal, a "
        "decision, a mapping, a case removed): board.progress keys what it keeps by it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "rules_boardsession"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Taking proposals (and holding back the engine from trainees who owe one)."""
        return self.state == SessionState.OPEN


class SessionCase(models.Model):
    session = models.ForeignKey(BoardSession, on_delete=models.CASCADE)
    case = models.ForeignKey("cases.CaseProfile", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "rules_sessioncase"
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
    evidence_guess = models.CharField(
        max_length=24,
        choices=EvidenceLevel.choices,
        blank=True,
        help_text="The trainee's guess of the evidence level of their first choice.",
    )
    reasoning = models.TextField(blank=True, validators=[text_validate])
    after_reveal = models.BooleanField(
        default=False,
        help_text="Made after the session was locked once and re-opened: the trainee could "
        "have seen the reveal. Left out of scores by default.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "rules_traineeproposal"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "case", "trainee"], name="one_proposal_per_trainee_and_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} on {self.case_id}"


class ProposalChoice(models.Model):
    """One ranked option of a proposal: a strategy of the review, a standard-of-care option,
    or the trainee's own words ("Other", screened for identifiers)."""

    proposal = models.ForeignKey(TraineeProposal, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField()
    strategy = models.ForeignKey(
        Strategy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    standard = models.CharField(max_length=40, choices=StandardOfCare.choices, blank=True)
    other = models.CharField(max_length=200, blank=True, validators=[text_validate])
    label = models.CharField(
        max_length=200, validators=[text_validate], help_text="The option as shown when chosen."
    )
    mapped_option = models.CharField(
        max_length=120,
        blank=True,
        help_text="For an 'Other' answer: the option the educator mapped it to "
        "(board.options), or 'new-idea'. Unmapped, it is not scored.",
    )

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "rank"], name="one_choice_per_rank")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.label}"

    @property
    def key(self) -> str:
        """What is compared across trainees: the strategy, the option, or "other"."""
        if self.strategy_id:
            return f"strategy:{self.strategy_id}"
        if self.standard:
            return f"standard:{self.standard}"
        return "other"


class StoredEvaluation(models.Model):
    """What the cohort dashboard counts of one case, for one version of the case and one
    knowledge base and marker catalogue (`basis`): a row whose basis or case version is
    not current is stale and is evaluated again before counting (board.stored)."""

    case = models.OneToOneField(
        "cases.CaseProfile",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_evaluation",
    )
    basis = models.CharField(max_length=32)
    case_version = models.PositiveIntegerField()
    # The case's HER2 status at that version (so counting it needs no join).
    her2_status = models.CharField(max_length=24, choices=Her2Status.choices)
    # Bit i: the basis's i-th rule, by slug, fired (HER2-zero scope applied).
    rules = models.BigIntegerField()
    # Bit j: the catalogue's j-th marker, by code, was tested.
    markers = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.basis}"


class StoredEvaluationMark(models.Model):
    """Up to which case history row the stored evaluations of a basis were brought up to
    date (board.stored). Kept in the database beside the rows, so a restored or rebuilt
    database never trusts a mark made for other contents."""

    basis = models.CharField(max_length=32, primary_key=True)
    history_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.basis} @ {self.history_id}"


class KeptUpload(models.Model):
    """An accepted upload, kept for its dashboard's downloads (board.cohort): its uploader
    only, until `expires_at`, within a per-user and a total size limit
    (settings.UPLOAD_KEPT_PER_USER_BYTES, UPLOAD_KEPT_TOTAL_BYTES). Never cases."""

    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(
        max_length=20,
        validators=[control_characters_validate],
        help_text="The file's type only (upload.csv): its own name, which may name a "
        "person, is not kept.",
    )
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.size:,} bytes)"


class BoardDecision(models.Model):
    """What the board decided for a session case, recorded by the educator after proposals
    lock: up to three ranked options, each with the board's evidence grade and rationale,
    or no recommendation with a coded reason. Versioned; every version is in its history.
    It is the reveal's answer key; the engine is one voice in the room."""

    session = models.ForeignKey(BoardSession, on_delete=models.CASCADE, related_name="decisions")
    case = models.ForeignKey("cases.CaseProfile", on_delete=models.CASCADE, related_name="+")
    # [{"option": id, "evidence_grade": EvidenceLevel, "rationale": text}], best first.
    options = models.JSONField(default=list, blank=True)
    no_recommendation_reason = models.CharField(
        max_length=24, choices=NoRecommendationReason.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "case"], name="one_decision_per_case")
        ]

    def __str__(self) -> str:
        return f"decision {self.session_id}/{self.case_id} v{self.version}"

    @property
    def option_ids(self) -> list[str]:
        return [item["option"] for item in self.options]


class CaseOutcome(models.Model):
    """What happened after the board, for hindsight: implemented or not (and why), the best
    RECIST 1.1 response, progression, and follow-up. Times are months since the board,
    never dates (Safe Harbor); notes are screened for identifiers."""

    case = models.OneToOneField(
        "cases.CaseProfile", on_delete=models.CASCADE, related_name="outcome"
    )
    implemented = models.CharField(max_length=8, choices=Implemented.choices)
    not_implemented_reason = models.CharField(
        max_length=20, choices=NotImplementedReason.choices, blank=True
    )
    best_response = models.CharField(max_length=2, choices=BestResponse.choices, blank=True)
    progressed = models.BooleanField(null=True, blank=True)
    months_to_progression = models.PositiveSmallIntegerField(null=True, blank=True)
    months_followed = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True, validators=[text_validate])
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"outcome of {self.case_id}"
