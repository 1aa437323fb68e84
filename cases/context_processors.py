"""Template context shared by every page."""

from cases.notices import DISCLAIMER


def disclaimer(request):
    return {"DISCLAIMER": DISCLAIMER}
