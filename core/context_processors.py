"""Template context shared by every page: the research-use notice."""

from core.notices import DISCLAIMER, DISCLAIMER_SHORT


def disclaimer(request):
    return {"DISCLAIMER": DISCLAIMER, "DISCLAIMER_SHORT": DISCLAIMER_SHORT}
