"""The knowledge-base browser: mechanisms -> rules -> strategies, and the references."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from rules.choices import EVIDENCE_MAPPING, EvidenceLevel
from rules.describe import condition_words
from rules.models import Reference
from rules.selectors import knowledge_base_published


@login_required
def knowledge_index(request):
    query = request.GET.get("q", "").strip()
    kb = knowledge_base_published()
    needle = query.lower()
    mechanisms: dict[str, list] = {}
    for rule in kb.rules:
        haystack = " ".join(
            [rule.title, rule.rationale, rule.mechanism, rule.strategy or "", rule.condition]
            + [c["label"] for c in rule.citations]
        ).lower()
        if needle and needle not in haystack:
            continue
        mechanisms.setdefault(rule.mechanism, []).append(
            {"rule": rule, "words": condition_words(rule.condition, kb.vocabulary)}
        )
    references = Reference.objects.all()
    if query:
        references = references.filter(
            Q(label__icontains=query) | Q(title__icontains=query) | Q(authors__icontains=query)
        )
    return render(
        request,
        "knowledge/index.html",
        {
            "query": query,
            "mechanisms": mechanisms.items(),
            "references": references,
            "version": kb.version,
            "evidence": [
                (level.value, level.label, EVIDENCE_MAPPING[level]) for level in EvidenceLevel
            ],
        },
    )
