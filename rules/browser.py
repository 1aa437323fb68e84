"""Reads for the knowledge browser: the published rules by mechanism (conditions in words),
faceted by mechanism, evidence level, kind and marker with counts, a whole-word search
that ignores case and accents, and the references.

The published knowledge base is held in memory (rules.knowledge_base), so rules and
references are searched in Python, the same way on SQLite and PostgreSQL: a query's words
must each be a whole word of the rule (title, rationale, mechanism, strategy, condition,
citations) or reference (label, authors, title, journal). "Han" finds Han, J., not
"enhance"; "Kovacs" finds Kovács.

On a page in Ukrainian the rules show their released translation (rules.translations),
and a query's words may come from either language: "резистентність" and "resistance" both
find a rule, and "ганок" finds "ґанок" (rules.folding).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from rules.choices import EVIDENCE_LABELS, EVIDENCE_MAPPING, EvidenceLevel, RuleKind
from rules.engine import condition_compile, condition_words
from rules.folding import WORD, text_fold, text_words
from rules.knowledge_base import KnowledgeBase
from rules.models import Reference
from rules.not_covered import not_covered
from rules.translations import ReleasedTranslations, in_english

FACETS = ("mechanism", "evidence", "kind", "marker")
KIND_LABELS = dict(RuleKind.choices)


def query_terms(query: str) -> list[str]:
    return list(dict.fromkeys(text_words(query)))


def _words(texts: Iterable[str]) -> set[str]:
    return {word for text in texts for word in text_words(text)}


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """The text, escaped, with each whole word that folds to a search term in <mark>."""
    wanted = set(terms)
    if not wanted or not text:
        return escape(text or "")
    parts, last = [], 0
    for match in WORD.finditer(text):
        if text_fold(match.group()) in wanted:
            parts.append((text[last : match.start()], match.group()))
            last = match.end()
    marked = format_html_join("", "{}<mark>{}</mark>", parts)
    return format_html("{}{}", marked, text[last:])


def _markers(rule, knowledge_base: KnowledgeBase) -> list[str]:
    if not rule.condition:
        return []
    try:
        facts = condition_compile(rule.condition, knowledge_base.vocabulary).facts
    except ValueError:
        return []
    return sorted(f.split(".", 1)[1] for f in facts if f.startswith("markers."))


def _shown(rule, translations: ReleasedTranslations | None) -> dict[str, Any]:
    """A rule's texts as the page shows them: its released translation on a page in
    Ukrainian (with `translation`: whether unreviewed, and the English), else its own."""
    item = {
        "rule": rule.slug,
        "title": rule.title,
        "rationale": rule.rationale,
        "mechanism": rule.mechanism,
        "strategy": rule.strategy,
        "citations": list(rule.citations),
        "provenance": rule.extra.get("provenance") or [],
    }
    return translations.payload_item(item) if translations is not None else item


def _rule_facets(rule, knowledge_base: KnowledgeBase) -> dict[str, list[str]]:
    return {
        "mechanism": [rule.extra["mechanism_slug"]],
        "evidence": [rule.evidence_level],
        "kind": [rule.kind],
        "marker": _markers(rule, knowledge_base),
    }


def _facet_counts(
    items: list[dict], selected: Mapping[str, str], labels: Mapping[str, dict[str, str]]
) -> dict[str, list[dict]]:
    """Per facet, each value with the number of rules it would show, given the other
    facets' selections (the usual faceted-search counts)."""
    counts: dict[str, list[dict]] = {}
    for facet in FACETS:
        others = {k: v for k, v in selected.items() if k != facet}
        counter: Counter = Counter()
        for item in items:
            if all(value in item["facets"][name] for name, value in others.items()):
                counter.update(item["facets"][facet])
        order = list(labels[facet])
        counts[facet] = [
            {
                "value": value,
                "label": labels[facet].get(value, value),
                "count": counter[value],
                "selected": selected.get(facet) == value,
            }
            for value in sorted(
                counter,
                key=lambda v: (order.index(v) if v in order else len(order), v),
            )
        ]
    return counts


def _not_covered(query: str, shown: list[dict]) -> list[str] | None:
    """The query's drugs and markers the review does not discuss and no shown rule speaks
    of (a rule may still read one in its condition: a prior tucatinib, say)."""
    said = _words(
        text
        for item in shown
        for text in (
            item["rule"].title,
            item["rule"].rationale,
            item["rule"].strategy or "",
            item["shown"]["title"],
            item["shown"]["rationale"],
            item["shown"]["strategy"] or "",
        )
    )
    return [word for word in not_covered(query) if word not in said] or None


def knowledge_base_search(
    *,
    knowledge_base: KnowledgeBase,
    query: str = "",
    selected: Mapping[str, str] | None = None,
    translations: ReleasedTranslations | None = None,
) -> dict[str, Any]:
    """Published rules grouped by mechanism in the review's order, narrowed by the query's
    whole words and the selected facets, with facet counts and the matching references;
    with `translations` (a page in Ukrainian), in their released translation and searched
    in both languages."""
    terms = query_terms(query)
    selected = {k: v for k, v in (selected or {}).items() if k in FACETS and v}
    rules = sorted(
        (*knowledge_base.rules, *knowledge_base.background),
        key=lambda r: (r.extra["mechanism_position"], r.slug),
    )
    shown_of = {r.slug: _shown(r, translations) for r in rules}
    translate = gettext if translations is not None else None  # conditions in words
    mechanism_labels = {r.extra["mechanism_slug"]: shown_of[r.slug]["mechanism"] for r in rules}
    labels = {
        "mechanism": mechanism_labels,
        "evidence": EVIDENCE_LABELS,
        "kind": KIND_LABELS,
        "marker": {},
    }
    matching = []
    for rule in rules:
        shown_texts = shown_of[rule.slug]
        searched = [rule.title, rule.rationale, rule.mechanism, rule.strategy or ""]
        searched += [rule.condition] + [c["label"] for c in rule.citations]
        if translations is not None:
            searched += [shown_texts[k] or "" for k in ("title", "rationale", "mechanism")]
            searched.append(shown_texts["strategy"] or "")
        if terms and not set(terms) <= _words(searched):
            continue
        matching.append(
            {"rule": rule, "shown": shown_texts, "facets": _rule_facets(rule, knowledge_base)}
        )
    facets = _facet_counts(matching, selected, labels)
    shown = [
        item
        for item in matching
        if all(value in item["facets"][name] for name, value in selected.items())
    ]
    mechanisms: dict[str, dict] = {}
    for item in shown:
        rule, texts = item["rule"], item["shown"]
        group = mechanisms.setdefault(
            rule.extra["mechanism_slug"], {"name": texts["mechanism"], "items": []}
        )
        group["items"].append(
            {
                "rule": rule,
                "title": highlight(texts["title"], terms),
                "rationale": highlight(texts["rationale"], terms),
                "strategy": texts["strategy"],
                "citations": texts["citations"],
                "provenance": texts["provenance"],
                "translation": texts.get("translation"),
                "evidence_label": EVIDENCE_LABELS.get(rule.evidence_level, rule.evidence_level),
                "kind_label": KIND_LABELS.get(rule.kind, rule.kind),
                "markers": item["facets"]["marker"],
                "words": (
                    condition_words(rule.condition, knowledge_base.vocabulary, translate)
                    if rule.condition
                    else None
                ),
            }
        )
    # With facets chosen, the references are those the shown rules cite.
    cited = {c["key"] for item in shown for c in item["rule"].citations}
    with in_english():  # the text of record; the page shows the release's translation
        all_references = list(Reference.objects.all())
    references = [
        {
            "reference": ref,
            "title": highlight(ref.title, terms),
            "caveats": (
                translations.caveats(ref.key, ref.caveats).text
                if translations is not None
                else ref.caveats
            ),
        }
        for ref in all_references
        if (not selected or ref.key in cited)
        and (not terms or set(terms) <= _words([ref.label, ref.authors, ref.title, ref.journal]))
    ]
    return {
        "terms": terms,
        "selected": selected,
        "mechanisms": [(slug, group) for slug, group in mechanisms.items()],
        "facets": facets,
        "shown_count": len(shown),
        "total_count": len(rules),
        "references": references,
        "not_covered": _not_covered(query, shown) if terms and not references else None,
        "not_encoded": [
            {**_shown(rule, translations), "rule": rule} for rule in knowledge_base.not_encoded
        ],
        "evidence": [
            (level.value, level.label, EVIDENCE_MAPPING[level]) for level in EvidenceLevel
        ],
    }
