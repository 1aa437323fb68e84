"""Site-wide pages: the health check and the account's API-token page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.problems import problem_response
from core.services import api_token_issue


def not_found(request, exception=None):
    """404: JSON for the API and CDS Hooks, the site's page elsewhere."""
    if request.path.startswith(("/api/", "/cds-services")):
        return problem_response(status=404, detail="Nothing at this address.")
    return render(request, "404.html", status=404)


def health(request):
    return JsonResponse({"status": "ok"})


@login_required
@require_http_methods(["GET", "POST"])
def token(request):
    """Issue a new API token, ending the user's others; its text is shown once."""
    new_key = api_token_issue(user=request.user) if request.method == "POST" else None
    tokens = request.user.auth_token_set.count() if new_key is None else 1
    context = {
        "new_key": new_key,
        "tokens": tokens,
        "idle_hours": round(settings.API_TOKEN_IDLE_TIMEOUT.total_seconds() / 3600),
        "lifetime_days": round(settings.API_TOKEN_LIFETIME.total_seconds() / 86400),
    }
    return render(request, "accounts/token.html", context)
