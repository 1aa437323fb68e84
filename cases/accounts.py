"""Account pages: the user's API token (issued or rotated here, shown once)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cases.services import api_token_issue


@login_required
@require_http_methods(["GET", "POST"])
def token(request):
    new_key = api_token_issue(user=request.user) if request.method == "POST" else None
    has_token = new_key is not None or hasattr(request.user, "auth_token")
    return render(request, "accounts/token.html", {"new_key": new_key, "has_token": has_token})
