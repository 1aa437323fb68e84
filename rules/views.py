"""The knowledge browser: mechanisms -> rules -> strategies, and the references."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from rules.browser import knowledge_base_search
from rules.knowledge_base import knowledge_base_published


@login_required
def knowledge_index(request):
    query = request.GET.get("q", "").strip()
    knowledge_base = knowledge_base_published()
    context = knowledge_base_search(knowledge_base=knowledge_base, query=query)
    context.update(query=query, version=knowledge_base.version)
    return render(request, "rules/knowledge.html", context)
