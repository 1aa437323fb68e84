"""Every choice list of the case-profile contract (../shared/spec/case-profile.md), in one place.

Values are exact: rules, fixtures, the API and external clients depend on them.
"""

from django.db import models


class TumourSite(models.TextChoices):
    BREAST = "breast", "Breast"
    GASTRIC = "gastric", "Gastric"


class Setting(models.TextChoices):
    EARLY = "early", "Early"
    NEOADJUVANT = "neoadjuvant", "Neoadjuvant"
    RESIDUAL_DISEASE = "residual_disease", "Residual invasive disease after neoadjuvant therapy"
    METASTATIC = "metastatic", "Metastatic"


class AgeBand(models.TextChoices):
    UNDER_30 = "<30", "Under 30"
    AGE_30_39 = "30-39", "30–39"
    AGE_40_49 = "40-49", "40–49"
    AGE_50_59 = "50-59", "50–59"
    AGE_60_69 = "60-69", "60–69"
    AGE_70_79 = "70-79", "70–79"
    AGE_80_89 = "80-89", "80–89"
    AGE_90_PLUS = "90+", "90 or over"


class TrastuzumabResponse(models.TextChoices):
    NAIVE = "naive", "Trastuzumab-naive"
    RESPONDING = "responding", "Responding"
    PRIMARY_RESISTANCE = "primary_resistance", "Primary resistance"
    ACQUIRED_RESISTANCE = "acquired_resistance", "Acquired resistance"


class Therapy(models.TextChoices):
    TRASTUZUMAB = "trastuzumab", "Trastuzumab"
    PERTUZUMAB = "pertuzumab", "Pertuzumab"
    T_DM1 = "t_dm1", "Trastuzumab emtansine (T-DM1)"
    T_DXD = "t_dxd", "Trastuzumab deruxtecan (T-DXd)"
    LAPATINIB = "lapatinib", "Lapatinib"
    TUCATINIB = "tucatinib", "Tucatinib"
    ENDOCRINE = "endocrine", "Endocrine therapy"
    CDK46_INHIBITOR = "cdk46_inhibitor", "CDK4/6 inhibitor"
    CHEMOTHERAPY = "chemotherapy", "Chemotherapy"
    RADIOTHERAPY = "radiotherapy", "Radiotherapy"


class Her2Ihc(models.TextChoices):
    ZERO = "0", "0"
    ULTRALOW = ">0<1+", ">0 <1+ (faint, incomplete staining in ≤10% of cells)"
    ONE = "1+", "1+"
    TWO = "2+", "2+"
    THREE = "3+", "3+"


class Her2Ish(models.TextChoices):
    AMPLIFIED = "amplified", "Amplified"
    NOT_AMPLIFIED = "not_amplified", "Not amplified"
    EQUIVOCAL = "equivocal", "Equivocal"
    NOT_DONE = "not_done", "Not done"


class Her2Heterogeneity(models.TextChoices):
    LOW = "low", "Low"
    HIGH = "high", "High"
    UNKNOWN = "unknown", "Unknown"


class Her2Status(models.TextChoices):
    POSITIVE = "positive", "HER2-positive"
    INDETERMINATE = "indeterminate", "Indeterminate (ISH needed)"
    LOW = "low", "HER2-low"
    ULTRALOW = "ultralow", "HER2-ultralow"
    ZERO = "zero", "HER2-zero"


class ReceptorStatus(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    UNKNOWN = "unknown", "Unknown"


class Pik3ca(models.TextChoices):
    MUTATED = "mutated", "Mutated"
    WILD_TYPE = "wild_type", "Wild type"
    UNKNOWN = "unknown", "Unknown"


class Pten(models.TextChoices):
    LOST = "lost", "Lost"
    RETAINED = "retained", "Retained"
    UNKNOWN = "unknown", "Unknown"


class MarkerScale(models.TextChoices):
    PRESENCE = "presence", "Presence (positive / negative)"
    LEVEL = "level", "Level (high / normal / low)"


# The results each scale accepts, in the order forms show them.
SCALE_VALUES: dict[str, tuple[str, ...]] = {
    MarkerScale.PRESENCE: ("positive", "negative"),
    MarkerScale.LEVEL: ("high", "normal", "low"),
}

# What the engine sees for a catalogue marker that the profile does not list.
MARKER_NOT_TESTED = "not_tested"
