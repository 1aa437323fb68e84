"""Choices of the board app: session states and the standard-of-care options a trainee may
propose beside the review's strategies.

The standard-of-care options are proposal options for discussion, not claims: the engine
suggests none of them, and the reveal says they are outside its vocabulary. The
trastuzumab, pertuzumab and chemotherapy combination is named as a trial in the review's
bibliography (KRISTINE); "continue the current therapy" names no drug.
"""

from django.db import models


class SessionState(models.TextChoices):
    OPEN = "open", "Open: taking proposals"
    LOCKED = "locked", "Locked: proposals closed, the engine shown to everyone"
    CLOSED = "closed", "Closed"


class StandardOfCare(models.TextChoices):
    """Options that are not among the review's strategies (T-DM1, T-DXd and endocrine
    therapy with anti-HER2 therapy are strategies, so they are chosen there)."""

    CONTINUE_TRASTUZUMAB = "continue-trastuzumab", "Continue the current trastuzumab-based therapy"
    TRASTUZUMAB_PERTUZUMAB_CHEMO = (
        "trastuzumab-pertuzumab-chemotherapy",
        "Trastuzumab, pertuzumab and chemotherapy",
    )


MAX_CHOICES = 3
