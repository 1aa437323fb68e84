"""Template context shared by every page."""

from core.notices import DISCLAIMER


def disclaimer(request):
    return {"DISCLAIMER": DISCLAIMER}
