"""Template context shared by every page: the research-use notice, in the page's language."""

from django.utils.translation import gettext

from core.notices import DISCLAIMER, DISCLAIMER_SHORT


def disclaimer(request):
    return {"DISCLAIMER": gettext(DISCLAIMER), "DISCLAIMER_SHORT": gettext(DISCLAIMER_SHORT)}
