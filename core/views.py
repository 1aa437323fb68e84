"""Site-wide pages: the health check, sign-in, the language switcher and the account's
API-token page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import check_for_language, gettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from core.models import Preference
from core.problems import problem_response
from core.services import api_token_issue, preference_language_set


def _language_cookie_set(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class SignInView(LoginView):
    """Django's sign-in, which then sets the language cookie from the user's preference,
    so their language follows them to a new device; a user with no preference yet keeps
    the language they chose before signing in, as their preference."""

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        language = Preference.objects.filter(user=user).values_list("language", flat=True).first()
        if language:
            _language_cookie_set(response, language)
        elif (chosen := self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) in dict(
            settings.LANGUAGES
        ):
            preference_language_set(user=user, language=chosen)
        return response


@require_POST
def language_switch(request):
    """The header's switcher: Django's set_language (the cookie, then back to `next`), and
    for a signed-in user, their preference too."""
    response = set_language(request)
    language = request.POST.get("language", "")
    languages = dict(settings.LANGUAGES)
    if request.user.is_authenticated and language in languages and check_for_language(language):
        preference_language_set(user=request.user, language=language)
    return response


def not_found(request, exception=None):
    """404: JSON for the API and CDS Hooks, the site's page elsewhere."""
    if request.path.startswith(("/api/", "/cds-services")):
        return problem_response(status=404, detail=gettext("Nothing at this address."))
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
