"""The knowledge base as the engine's plain data: the released one users see, and the
working copy curators change.

`knowledge_base_published` gives the latest release's published rules, compiled (see
rules.releases). It asks the database whether a release was published or the marker
catalogue changed (one query) at most once per settings.KNOWLEDGE_BASE_RECHECK_SECONDS,
so requests in between ask nothing; a release or marker saved in this process clears it
at once (rules.apps), and other processes see it within that interval.
`knowledge_base_get` reads the working copy (the tables), for curators' previews and for
publishing the next release.
"""

import hashlib
import json
import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import connection

from cases.models import Marker
from cases.selectors import marker_catalogue_get
from core.memory import register, remembered
from rules import engine
from rules.choices import EvidenceLevel, RuleKind, RuleStatus
from rules.knowledge_base_file import (
    MECHANISM_FIELDS,
    REFERENCE_FIELDS,
    RULE_FIELDS,
    STRATEGY_FIELDS,
)
from rules.models import Mechanism, Reference, Release, Rule, Strategy
from rules.translations import ReleasedTranslations, in_english, released_translations

logger = logging.getLogger(__name__)
EVIDENCE_RANK = {level: rank for rank, level in enumerate(EvidenceLevel.values)}


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    ruleset: engine.RuleSet
    vocabulary: engine.Vocabulary
    marker_scales: Mapping[str, tuple[str, ...]]
    # Published rules whose condition no longer compiles (a marker left the catalogue, say).
    broken: tuple[str, ...] = ()
    # Published background statements: shown in the knowledge browser, never evaluated.
    background: tuple[engine.PlainRule, ...] = ()
    # {"name", "published_at"} of the release it was built from (None: the working copy).
    release: Mapping[str, str] | None = None
    # Catalogue markers whose assay is clinically validated (the rest are research assays).
    standard_markers: frozenset[str] = frozenset()
    # Claims of the review deliberately not encoded, each with its quote and reason.
    not_encoded: tuple[engine.PlainRule, ...] = ()
    # The release's Ukrainian text with each entry's review status (none: the working copy).
    translations: ReleasedTranslations = field(default_factory=ReleasedTranslations)

    @property
    def rules(self) -> tuple[engine.PlainRule, ...]:
        return self.ruleset.rules


def citation_data(reference: Reference) -> dict[str, Any]:
    """A reference as the evaluation payload cites it."""
    data = {
        "key": reference.key,
        "label": reference.label,
        "authors": reference.authors,
        "year": reference.year,
        "title": reference.title,
        "journal": reference.journal,
        "volume": reference.volume,
        "issue": reference.issue,
        "pages": reference.pages,
        "doi": reference.doi or None,
        "doi_url": reference.doi_url or None,
        "pmid": reference.pmid or None,
        "pubmed_url": reference.pubmed_url or None,
        "retracted": reference.retracted,
        "caveats": [str(caveat) for caveat in reference.caveats or []],
    }
    if reference.retracted:
        data["retraction_notice"] = "RETRACTED: this source has been retracted. " + " ".join(
            data["caveats"]
        )
    return data


def rule_plain(rule: Rule, references: Mapping[str, Reference]) -> engine.PlainRule:
    """A rule (with mechanism and strategy loaded) as the engine's plain data."""
    return engine.PlainRule(
        slug=rule.slug,
        title=rule.title,
        condition=rule.condition,
        kind=rule.kind,
        mechanism=rule.mechanism.name,
        strategy=rule.strategy.name if rule.strategy else None,
        evidence_level=rule.evidence_level,
        rationale=rule.rationale,
        citations=tuple(
            citation_data(references[key]) for key in rule.citations if key in references
        ),
        extra={
            "mechanism_position": rule.mechanism.position,
            "mechanism_slug": rule.mechanism.slug,
            "strategy_slug": rule.strategy.slug if rule.strategy else None,
            "agents": list(rule.strategy.agents) if rule.strategy else [],
            "therapies": list(rule.strategy.therapies) if rule.strategy else [],
            "provenance": [dict(item) for item in rule.provenance or []],
            "status": rule.status,
        },
    )


def knowledge_base_version(rules: Sequence[engine.PlainRule]) -> str:
    """A fingerprint of everything a user sees of the published rules and their citations."""
    content = [
        {
            "slug": r.slug,
            "title": r.title,
            "condition": r.condition,
            "kind": r.kind,
            "mechanism": r.mechanism,
            "strategy": r.strategy,
            "agents": r.extra.get("agents"),
            "therapies": r.extra.get("therapies"),
            "evidence_level": r.evidence_level,
            "rationale": r.rationale,
            "provenance": r.extra.get("provenance"),
            "citations": list(r.citations),
        }
        for r in sorted(rules, key=lambda r: r.slug)
    ]
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
    return f"kb-{digest[:12]}"


# The released knowledge base, per process, under the fingerprint it was built at, and
# when (time.monotonic) that fingerprint was last read.
_published: dict[tuple, KnowledgeBase] = {}
_checked = {"at": -math.inf}


def knowledge_base_cache_clear(**_signal: Any) -> None:
    """Forget the cached knowledge base: the next request reads the fingerprint again.

    Connected to saving a release or a marker (rules.apps); tests that change rows with
    queryset.update() call it themselves.
    """
    _published.clear()
    _checked["at"] = -math.inf


register(
    __name__,
    "_published",
    holds="the released knowledge base, compiled, under its fingerprint (and _checked: when "
    "the fingerprint was last read)",
    invalidated="a new release or marker change, seen within KNOWLEDGE_BASE_RECHECK_SECONDS "
    "(at once in the worker that saved it: rules.apps)",
    forget=knowledge_base_cache_clear,
)
register(
    __name__,
    "_checked",
    holds="when this worker last read the knowledge-base fingerprint",
    invalidated="with _published",
    forget=knowledge_base_cache_clear,
)


@remembered(holds="the knowledge-base fingerprint SQL", invalidated="never (the tables are code)")
def _fingerprint_sql() -> str:
    # Built once: each `Model.history` access makes a new manager class (slow, per request).
    # The newest release, and the newest change of the marker catalogue (which decides
    # what a condition may read). Ids only grow, and ORDER BY ... LIMIT 1 reads one index
    # entry and is cheap to plan, which PostgreSQL does per request.
    release = connection.ops.quote_name(Release._meta.db_table)
    marker = connection.ops.quote_name(Marker.history.model._meta.db_table)
    return (
        f"SELECT (SELECT id FROM {release} ORDER BY id DESC LIMIT 1), "  # noqa: S608
        f"(SELECT history_id FROM {marker} ORDER BY history_id DESC LIMIT 1)"
    )


def knowledge_base_fingerprint() -> tuple:
    """One query: the newest release and the newest change of the marker catalogue."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return tuple(str(value) for value in cursor.fetchone())


def knowledge_base_published() -> KnowledgeBase:
    """The latest release's knowledge base; rebuilt only when the fingerprint moves.

    The fingerprint is read (1 query) at most once per KNOWLEDGE_BASE_RECHECK_SECONDS.
    Before any release exists (a database migrated part-way), the working copy's
    published rules stand in.
    """
    now = time.monotonic()
    if _published and now - _checked["at"] < settings.KNOWLEDGE_BASE_RECHECK_SECONDS:
        return next(iter(_published.values()))
    fingerprint = knowledge_base_fingerprint()
    _checked["at"] = now
    knowledge_base = _published.get(fingerprint)
    if knowledge_base is None:
        release = Release.objects.newest()
        knowledge_base = (
            knowledge_base_from_release(release) if release is not None else knowledge_base_get()
        )
        _published.clear()
        _published[fingerprint] = knowledge_base
    return knowledge_base


# The cohort dashboard stores each case's fired rules and tested markers as one signed
# 64-bit word each (board.stored); a knowledge base with more rules or catalogue markers
# than this is counted case by case instead: the same figures, slower on large stores.
STORED_EVALUATION_MOST = 63


def knowledge_base_problems(*, knowledge_base: KnowledgeBase) -> list[str]:
    """For curators: published rules that users are not getting, and why; and a knowledge
    base too large for the cohort dashboard's stored evaluations."""
    rules, markers = len(knowledge_base.ruleset.rules), len(knowledge_base.marker_scales)
    too_many = [
        f"{n} {what} (more than {STORED_EVALUATION_MOST})"
        for n, what in ((rules, "evaluated rules"), (markers, "catalogue markers"))
        if n > STORED_EVALUATION_MOST
    ]
    problems = (
        [
            f"The knowledge base has {' and '.join(too_many)}: the cohort dashboard counts "
            "every case directly instead of from stored evaluations (the same figures, slower "
            "on large stores)."
        ]
        if too_many
        else []
    )
    problems += [
        f"Published rule {slug} no longer compiles; it is skipped for every profile."
        for slug in knowledge_base.broken
    ]
    for rule, condition in zip(
        knowledge_base.ruleset.rules, knowledge_base.ruleset.conditions, strict=True
    ):
        if condition.raised:
            problems.append(
                f"Published rule {rule.slug} raised on {len(condition.raised)} combination(s) "
                "of values in this server process; it is skipped for those profiles."
            )
    return problems


def review_position(rule: engine.PlainRule) -> int:
    """Where the review says what a rule encodes: its first quote's paragraph (0 if none)."""
    provenance = rule.extra.get("provenance") or []
    return min((item["paragraph"] for item in provenance), default=0)


def evidence_order(rule: engine.PlainRule) -> tuple:
    """Strongest evidence first, then the mechanism's place in the review, then where the
    review says it (a disclosed, neutral order: never a preference), then the slug."""
    return (
        EVIDENCE_RANK[rule.evidence_level],
        rule.extra["mechanism_position"],
        review_position(rule),
        rule.slug,
    )


def _assemble(
    rules: Sequence[Rule],
    references: Mapping[str, Reference],
    *,
    release: Mapping[str, str] | None = None,
    translations: ReleasedTranslations | None = None,
) -> KnowledgeBase:
    marker_scales, standard_markers = marker_catalogue_get()
    vocabulary = engine.vocabulary_build(marker_scales=marker_scales)
    usable, broken, background, not_encoded = [], [], [], []
    for rule in rules:
        if rule.status == RuleStatus.NOT_ENCODED:
            not_encoded.append(rule_plain(rule, references))
            continue
        if rule.kind == RuleKind.BACKGROUND:
            background.append(rule_plain(rule, references))
            continue
        try:
            engine.condition_compile(rule.condition, vocabulary)
        except Exception as exc:  # a stored condition must never take every page down
            logger.error(
                "Published rule %s no longer compiles (%s); it is skipped.",
                rule.slug,
                type(exc).__name__,
            )
            broken.append(rule.slug)
            continue
        usable.append(rule_plain(rule, references))
    usable.sort(key=evidence_order)
    background.sort(key=lambda r: (r.extra["mechanism_position"], r.slug))
    not_encoded.sort(key=lambda r: (review_position(r), r.slug))
    return KnowledgeBase(
        version=knowledge_base_version(usable + background),
        ruleset=engine.ruleset_compile(usable, vocabulary),
        vocabulary=vocabulary,
        marker_scales=marker_scales,
        broken=tuple(broken),
        background=tuple(background),
        release=release,
        standard_markers=standard_markers,
        not_encoded=tuple(not_encoded),
        translations=translations or ReleasedTranslations(),
    )


@in_english()
def knowledge_base_get(*, statuses: Sequence[str] = (RuleStatus.PUBLISHED,)) -> KnowledgeBase:
    """The working copy's rules (published only, unless a curator previews drafts), and
    the claims not encoded.

    The ruleset is in evidence order (`evidence_order`), so evaluations list their
    recommendations strongest evidence first.
    """
    rules = list(
        Rule.objects.filter(status__in=(*statuses, RuleStatus.NOT_ENCODED)).select_related(
            "mechanism", "strategy"
        )
    )
    keys = {key for rule in rules for key in rule.citations}
    references = Reference.objects.in_bulk(keys, field_name="key") if keys else {}
    return _assemble(rules, references)


def release_summary(release: Release) -> dict[str, str]:
    """{"name", "published_at"} as the evaluation payload carries it."""
    published = release.published_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return {"name": release.name, "published_at": published}


@in_english()
def knowledge_base_from_release(release: Release) -> KnowledgeBase:
    """A release's published rules, from the knowledge base it stored (unsaved model
    instances, so the payload is built exactly as from the tables)."""
    data = release.knowledge_base
    references = {
        item["key"]: Reference(**{f: item[f] for f in REFERENCE_FIELDS})
        for item in data.get("references", [])
    }
    mechanisms = {
        item["slug"]: Mechanism(**{f: item[f] for f in MECHANISM_FIELDS})
        for item in data.get("mechanisms", [])
    }
    strategies = {
        item["slug"]: Strategy(**{f: item[f] for f in STRATEGY_FIELDS if f in item})
        for item in data.get("strategies", [])
    }
    rules = []
    for item in data.get("rules", []):
        if item["status"] not in (RuleStatus.PUBLISHED, RuleStatus.NOT_ENCODED):
            continue
        # A release stored before a field existed (provenance) leaves it at its default.
        fields = {
            f: item[f] for f in RULE_FIELDS if f not in ("mechanism", "strategy") and f in item
        }
        rule = Rule(**fields, mechanism=mechanisms[item["mechanism"]])
        rule.strategy = strategies[item["strategy"]] if item.get("strategy") else None
        rules.append(rule)
    return _assemble(
        rules,
        references,
        release=release_summary(release),
        translations=released_translations(data),
    )
