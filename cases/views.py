"""Pages owned by the cases app alone (the rest of the site is in rules.web)."""

from django.http import JsonResponse


def health(request):
    return JsonResponse({"status": "ok"})
