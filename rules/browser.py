"""Reads for the knowledge browser: published rules by mechanism, in words, and the references."""

from typing import Any

from django.db.models import Q, QuerySet

from rules.choices import EVIDENCE_MAPPING, EvidenceLevel
from rules.engine import condition_words
from rules.knowledge_base import KnowledgeBase
from rules.models import Reference


def knowledge_base_search(*, knowledge_base: KnowledgeBase, query: str) -> dict[str, Any]:
    """Published rules grouped by mechanism (conditions in words) and the references,
    both narrowed to those mentioning `query` when one is given."""
    needle = query.strip().lower()
    mechanisms: dict[str, list] = {}
    in_review_order = sorted(
        (*knowledge_base.rules, *knowledge_base.background),
        key=lambda r: (r.extra["mechanism_position"], r.slug),
    )
    for rule in in_review_order:
        haystack = " ".join(
            [rule.title, rule.rationale, rule.mechanism, rule.strategy or "", rule.condition]
            + [c["label"] for c in rule.citations]
        ).lower()
        if needle and needle not in haystack:
            continue
        words = (
            condition_words(rule.condition, knowledge_base.vocabulary) if rule.condition else None
        )
        mechanisms.setdefault(rule.mechanism, []).append({"rule": rule, "words": words})
    references: QuerySet[Reference] = Reference.objects.all()
    if needle:
        references = references.filter(
            Q(label__icontains=needle) | Q(title__icontains=needle) | Q(authors__icontains=needle)
        )
    return {
        "mechanisms": list(mechanisms.items()),
        "references": references,
        "evidence": [
            (level.value, level.label, EVIDENCE_MAPPING[level]) for level in EvidenceLevel
        ],
    }
