"""Storage for de-identified case profiles and the marker catalogue.

The profile's columns are generated from cases.contract (`ContractFields`), so the model
always lists exactly the contract's fields, with its labels, choices and defaults.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from cases import choices, contract
from cases.deid import control_characters_validate, text_validate

CHOICE_MAX_LENGTH = 24  # every choice column; the longest value is "acquired_resistance"


def contract_model_field(spec: contract.FieldSpec) -> models.Field:
    """The column a contract field is stored in."""
    # The contract's English is the message id: the admin shows the request's language.
    common = {
        "verbose_name": gettext_lazy(spec.label),
        "help_text": gettext_lazy(spec.help) if spec.help else "",
    }
    if spec.kind == "choice":
        field_choices = choices.FIELD_CHOICES[spec.name].choices
        if spec.derived:
            return models.CharField(
                max_length=CHOICE_MAX_LENGTH, choices=field_choices, editable=False, **common
            )
        extra = {} if spec.required else {"default": spec.default}
        if spec.optional:
            extra.update(null=True, blank=True)
        return models.CharField(
            max_length=CHOICE_MAX_LENGTH, choices=field_choices, **extra, **common
        )
    if spec.kind == "choices":
        return models.JSONField(default=list, blank=True, **common)
    if spec.kind == "markers":
        return models.JSONField(default=dict, blank=True, **common)
    if spec.kind == "bool":
        return models.BooleanField(default=spec.default, **common)
    if spec.kind == "percent":
        return models.PositiveSmallIntegerField(
            null=True, blank=True, validators=[MaxValueValidator(100)], **common
        )
    if spec.kind == "text":
        return models.TextField(
            blank=True, default=spec.default, validators=[text_validate], **common
        )
    raise ValueError(f"No column for contract field kind {spec.kind!r}")


ContractFields = type(
    "ContractFields",
    (models.Model,),
    {
        "__module__": __name__,
        "__doc__": "The contract's fields (cases.contract), derived status included.",
        "Meta": type("Meta", (), {"abstract": True}),
        **{spec.name: contract_model_field(spec) for spec in contract.ALL_FIELDS.values()},
    },
)


class Marker(models.Model):
    """A catalogue entry: a marker code the profile may report, and the scale its result uses."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(validators=[control_characters_validate], max_length=200)
    scale = models.CharField(max_length=20, choices=choices.MarkerScale.choices)
    description = models.TextField(validators=[control_characters_validate], blank=True)
    assay_status = models.CharField(
        max_length=10,
        choices=choices.AssayStatus.choices,
        default=choices.AssayStatus.RESEARCH,
        help_text="Standard: a clinically validated assay, offered among suggested tests. "
        "Research: offered only among research assays, whatever the evidence of the items "
        "its result would change.",
    )
    assay_reason = models.TextField(
        validators=[control_characters_validate],
        blank=True,
        help_text="Why the assay has this status (shown in the knowledge browser).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def values(self) -> tuple[str, ...]:
        return contract.SCALE_VALUES[self.scale]


class CaseProfile(ContractFields):
    """One de-identified case, addressed publicly by its pseudonymous `code`.

    Writes go through cases.services, which validate with cases.profile.profile_clean and
    derive her2_status; the timestamps describe the record, never a clinical event.
    """

    code = models.CharField(max_length=16, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_profiles",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: every write bumps it; a write based on an older one is refused.
    version = models.PositiveIntegerField(default=1)
    # Notes too: an overwritten note can be recovered from history. Backups leave the notes
    # of history rows out unless settings.BACKUP_NOTES_HISTORY says otherwise
    # (core/management/commands/backup.py).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Lists read the newest cases first; without it every page sorts the whole table.
            models.Index(fields=["-created_at", "-id"], name="case_newest_first"),
            models.Index(fields=["her2_status"]),
            # The list filters: counting the first matches of a filtered list (CappedPaginator)
            # reads this index only, never the table.
            models.Index(
                fields=["setting", "trastuzumab_response", "her2_status"], name="case_list_filters"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(her2_positive_fraction__lte=100)
                | models.Q(her2_positive_fraction__isnull=True),
                name="case_her2_positive_fraction_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("case-detail", kwargs={"code": self.code})

    def as_profile(self) -> dict:
        """The contract's profile as plain data (no her2_status)."""
        profile = {name: getattr(self, name) for name in contract.PROFILE_FIELDS}
        profile["prior_therapies"] = list(profile["prior_therapies"])
        profile["markers"] = dict(profile["markers"])
        return profile
