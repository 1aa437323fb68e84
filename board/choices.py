"""Choices of the board app: session states, the standard-of-care options a trainee or a
board may choose beside the review's strategies, board decisions and outcomes.

The standard-of-care options are proposal options for discussion, not claims; board.options
says which of them the review itself mentions and which are the same treatment as one of
its strategies. Also here: why a board recommended nothing, and an outcome's codes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionState(models.TextChoices):
    OPEN = "open", _("Open: taking proposals")
    LOCKED = "locked", _("Locked: proposals closed, the engine shown to everyone")
    CLOSED = "closed", _("Closed")


class StandardOfCare(models.TextChoices):
    """What boards actually choose for HER2-positive disease, beside the review's
    strategies. Where one is the same treatment as a strategy (T-DXd, T-DM1, endocrine
    therapy with anti-HER2 therapy), board.options maps both to one option."""

    TRASTUZUMAB_PERTUZUMAB_CHEMO = (
        "trastuzumab-pertuzumab-chemotherapy",
        _("Trastuzumab + pertuzumab + a taxane"),
    )
    T_DXD = "t-dxd", _("Trastuzumab deruxtecan (T-DXd)")
    T_DM1 = "t-dm1", _("Trastuzumab emtansine (T-DM1), metastatic")
    TUCATINIB = "tucatinib-trastuzumab-capecitabine", _("Tucatinib + trastuzumab + capecitabine")
    ENDOCRINE_ANTI_HER2 = "endocrine-anti-her2", _("Endocrine therapy + anti-HER2 therapy")
    KATHERINE_T_DM1 = "katherine-t-dm1", _("T-DM1 for residual disease after neoadjuvant therapy")
    CONTINUE_TRASTUZUMAB = "continue-trastuzumab", _("Continue the current therapy (no change)")
    CLINICAL_TRIAL = "clinical-trial", _("A clinical trial (name it)")


class NoRecommendationReason(models.TextChoices):
    """Why a board recommended nothing (DNPM:DIP's care plan keeps the same)."""

    NO_TARGET = "no_target", _("No actionable target")
    INSUFFICIENT_DATA = "insufficient_data", _("Insufficient data")
    PATIENT_PREFERENCE = "patient_preference", _("Patient preference")
    OTHER = "other", _("Other reason")


class Implemented(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PARTLY = "partly", _("Partly")


class NotImplementedReason(models.TextChoices):
    PATIENT_DECLINED = "patient_declined", _("Patient declined")
    TOXICITY = "toxicity", _("Toxicity or contraindication")
    NOT_AVAILABLE = "not_available", _("Not available or not funded")
    CLINICAL_CHANGE = "clinical_change", _("Clinical situation changed")
    OTHER = "other", _("Other reason")


class BestResponse(models.TextChoices):
    """RECIST 1.1 best overall response."""

    CR = "CR", _("Complete response (CR)")
    PR = "PR", _("Partial response (PR)")
    SD = "SD", _("Stable disease (SD)")
    PD = "PD", _("Progressive disease (PD)")
    NE = "NE", _("Not evaluable (NE)")


MAX_CHOICES = 3
