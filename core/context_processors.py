"""Template context shared by every page."""

from core.notices import DISCLAIMER, DISCLAIMER_SHORT


def disclaimer(request):
    return {"DISCLAIMER": DISCLAIMER, "DISCLAIMER_SHORT": DISCLAIMER_SHORT}
