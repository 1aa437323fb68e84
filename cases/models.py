"""Storage for de-identified case profiles and the marker catalogue."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from cases import choices
from cases.profile import PROFILE_FIELDS


class Marker(models.Model):
    """A catalogue entry: a marker code the profile may report, and the scale its result uses."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    scale = models.CharField(max_length=20, choices=choices.MarkerScale.choices)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def values(self) -> tuple[str, ...]:
        return choices.SCALE_VALUES[self.scale]


class CaseProfile(models.Model):
    """One de-identified case, addressed publicly by its pseudonymous `code`.

    Writes go through cases.services, which validate with cases.profile.profile_clean and
    derive her2_status; the timestamps describe the record, never a clinical event.
    """

    code = models.CharField(max_length=16, unique=True, editable=False)
    tumour_site = models.CharField(
        max_length=16, choices=choices.TumourSite.choices, default=choices.TumourSite.BREAST
    )
    setting = models.CharField(max_length=20, choices=choices.Setting.choices)
    # The contract uses null for "not given", so the column does too.
    age_band = models.CharField(
        max_length=8, choices=choices.AgeBand.choices, blank=True, null=True
    )
    trastuzumab_response = models.CharField(
        max_length=24, choices=choices.TrastuzumabResponse.choices
    )
    prior_therapies = models.JSONField(default=list, blank=True)
    brain_metastases = models.BooleanField(default=False)
    notes = models.TextField(blank=True, default="")
    her2_ihc = models.CharField("HER2 IHC", max_length=8, choices=choices.Her2Ihc.choices)
    her2_ish = models.CharField(
        "HER2 ISH", max_length=16, choices=choices.Her2Ish.choices, default=choices.Her2Ish.NOT_DONE
    )
    her2_heterogeneity = models.CharField(
        "HER2 heterogeneity",
        max_length=8,
        choices=choices.Her2Heterogeneity.choices,
        default=choices.Her2Heterogeneity.UNKNOWN,
    )
    her2_positive_fraction = models.PositiveSmallIntegerField(
        "HER2-positive fraction (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    her2_status = models.CharField(
        "HER2 status", max_length=16, choices=choices.Her2Status.choices, editable=False
    )
    er = models.CharField(
        "ER", max_length=8, choices=choices.ReceptorStatus.choices, default="unknown"
    )
    pr = models.CharField(
        "PR", max_length=8, choices=choices.ReceptorStatus.choices, default="unknown"
    )
    pik3ca = models.CharField(
        "PIK3CA", max_length=12, choices=choices.Pik3ca.choices, default="unknown"
    )
    pten = models.CharField("PTEN", max_length=12, choices=choices.Pten.choices, default="unknown")
    markers = models.JSONField(default=dict, blank=True)
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
    history = HistoricalRecords(excluded_fields=["notes"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Lists read the newest cases first; without it every page sorts the whole table.
            models.Index(fields=["-created_at", "-id"], name="case_newest_first"),
            models.Index(fields=["her2_status"]),
            models.Index(fields=["setting", "trastuzumab_response"]),
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
        profile = {name: getattr(self, name) for name in PROFILE_FIELDS}
        profile["prior_therapies"] = list(profile["prior_therapies"])
        profile["markers"] = dict(profile["markers"])
        return profile
