"""Choices of the board app: session states, the standard-of-care options a trainee or a
board may choose beside the review's strategies, board decisions and outcomes.

The standard-of-care options are proposal options for discussion, not claims; board.options
says which of them the review itself mentions and which are the same treatment as one of
its strategies. Also here: why a board recommended nothing, and an outcome's codes.
"""

from django.db import models


class SessionState(models.TextChoices):
    OPEN = "open", "Open: taking proposals"
    LOCKED = "locked", "Locked: proposals closed, the engine shown to everyone"
    CLOSED = "closed", "Closed"


class StandardOfCare(models.TextChoices):
    """What boards actually choose for HER2-positive disease, beside the review's
    strategies. Where one is the same treatment as a strategy (T-DXd, T-DM1, endocrine
    therapy with anti-HER2 therapy), board.options maps both to one option."""

    TRASTUZUMAB_PERTUZUMAB_CHEMO = (
        "trastuzumab-pertuzumab-chemotherapy",
        "Trastuzumab + pertuzumab + a taxane",
    )
    T_DXD = "t-dxd", "Trastuzumab deruxtecan (T-DXd)"
    T_DM1 = "t-dm1", "Trastuzumab emtansine (T-DM1), metastatic"
    TUCATINIB = "tucatinib-trastuzumab-capecitabine", "Tucatinib + trastuzumab + capecitabine"
    ENDOCRINE_ANTI_HER2 = "endocrine-anti-her2", "Endocrine therapy + anti-HER2 therapy"
    KATHERINE_T_DM1 = "katherine-t-dm1", "T-DM1 for residual disease after neoadjuvant therapy"
    CONTINUE_TRASTUZUMAB = "continue-trastuzumab", "Continue the current therapy (no change)"
    CLINICAL_TRIAL = "clinical-trial", "A clinical trial (name it)"


class NoRecommendationReason(models.TextChoices):
    """Why a board recommended nothing (DNPM:DIP's care plan keeps the same)."""

    NO_TARGET = "no_target", "No actionable target"
    INSUFFICIENT_DATA = "insufficient_data", "Insufficient data"
    PATIENT_PREFERENCE = "patient_preference", "Patient preference"
    OTHER = "other", "Other reason"


class Implemented(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PARTLY = "partly", "Partly"


class NotImplementedReason(models.TextChoices):
    PATIENT_DECLINED = "patient_declined", "Patient declined"
    TOXICITY = "toxicity", "Toxicity or contraindication"
    NOT_AVAILABLE = "not_available", "Not available or not funded"
    CLINICAL_CHANGE = "clinical_change", "Clinical situation changed"
    OTHER = "other", "Other reason"


class BestResponse(models.TextChoices):
    """RECIST 1.1 best overall response."""

    CR = "CR", "Complete response (CR)"
    PR = "PR", "Partial response (PR)"
    SD = "SD", "Stable disease (SD)"
    PD = "PD", "Progressive disease (PD)"
    NE = "NE", "Not evaluable (NE)"


MAX_CHOICES = 3
