"""The knowledge browser: mechanisms -> rules -> strategies, and the references."""

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from cases.models import Marker
from rules.browser import FACETS, knowledge_base_search
from rules.knowledge_base import knowledge_base_from_release, knowledge_base_published
from rules.models import Release
from rules.releases import releases_list
from rules.translations import LANGUAGE, translation_counts


@login_required
@permission_required(settings.MEMBER_PERMISSION, raise_exception=True)
def knowledge_index(request):
    query = request.GET.get("q", "").strip()[:200]
    selected = {name: request.GET.get(name, "")[:80] for name in FACETS}
    knowledge_base = knowledge_base_published()
    context = knowledge_base_search(
        knowledge_base=knowledge_base,
        query=query,
        selected=selected,
        translations=knowledge_base.translations if get_language() == LANGUAGE else None,
    )
    for name, values in context["facets"].items():
        for item in values:
            params = request.GET.copy()
            if item["selected"]:
                params.pop(name)
            else:
                params[name] = item["value"]
            item["href"] = f"?{params.urlencode()}" if params else "?"
    context.update(
        query=query,
        version=knowledge_base.version,
        release=knowledge_base.release,
        markers=Marker.objects.order_by("code"),
    )
    return render(request, "rules/knowledge.html", context)


@login_required
@permission_required(settings.MEMBER_PERMISSION, raise_exception=True)
def release_index(request):
    return render(request, "rules/releases/index.html", {"releases": releases_list()})


@login_required
@permission_required(settings.MEMBER_PERMISSION, raise_exception=True)
def release_detail(request, name: str):
    release = get_object_or_404(Release.objects.select_related("published_by"), name=name)
    knowledge_base = knowledge_base_from_release(release)
    latest = Release.objects.newest()
    context = {
        "release": release,
        "is_current": latest is not None and latest.pk == release.pk,
        "version": knowledge_base.version,
        "rule_count": len(knowledge_base.rules) + len(knowledge_base.background),
        "translations": translation_counts(release.knowledge_base),
    }
    return render(request, "rules/releases/detail.html", context)
