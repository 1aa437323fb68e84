"""What the case page, print view and case form show beyond the payload: the profile and
the suggestions in one line, and the form's catalogue markers grouped by mechanism; in the
request's language, the knowledge base's text included where a release translates it."""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext as _

from cases.contract import ALL_FIELDS, PROFILE_FIELDS
from cases.models import Marker
from rules import engine
from rules.evaluation import title_already_given
from rules.knowledge_base import KnowledgeBase, knowledge_base_published
from rules.models import Strategy
from rules.translations import LANGUAGE, ReleasedTranslations, Shown, in_english

# Evidence levels as the summary line groups them, strongest first: (level, one, many).
EVIDENCE_GROUPS = (
    ("approved_indication", ngettext_lazy(
        "%(count)s approved indication", "%(count)s approved indication", "count")),
    ("phase_iii_trial", ngettext_lazy("%(count)s phase III", "%(count)s phase III", "count")),
    ("clinical_study", ngettext_lazy("%(count)s clinical", "%(count)s clinical", "count")),
)  # fmt: skip
RESEARCH_GROUP = ngettext_lazy(
    "%(count)s preclinical or review", "%(count)s preclinical or review", "count"
)
KIND_WORDS = {
    "resistance_flag": ngettext_lazy(
        "%(count)s resistance flag", "%(count)s resistance flags", "count"
    ),
    "predictive_note": ngettext_lazy(
        "%(count)s predictive note", "%(count)s predictive notes", "count"
    ),
    "caution": ngettext_lazy("%(count)s caution", "%(count)s cautions", "count"),
    "scope": ngettext_lazy("%(count)s scope note", "%(count)s scope notes", "count"),
}


def evaluation_summary(payload: Mapping[str, Any]) -> str:
    """e.g. "7 suggestions: 1 approved indication · 1 phase III · 2 clinical · 3 preclinical
    or review; 2 resistance flags; 1 caution", in the request's language."""
    items = payload["recommendations"]
    leads = payload.get("research_leads") or []
    lead_words = []
    if leads:
        text = ngettext(
            "%(count)s research lead apart, not for curative-intent decisions",
            "%(count)s research leads apart, not for curative-intent decisions",
            len(leads),
        )
        lead_words = [text % {"count": len(leads)}]
    if not items:
        if leads:
            return "; ".join([_("No suggestions for a curative-intent decision"), *lead_words])
        return _("No suggestions: no rule of the review matched this profile.")
    groups = dict(EVIDENCE_GROUPS)
    by_level = Counter(r["evidence_level"] if r["evidence_level"] in groups else "" for r in items)
    evidence = " · ".join(
        words % {"count": by_level[level]}
        for level, words in (*groups.items(), ("", RESEARCH_GROUP))
        if by_level[level]
    )
    kinds = Counter(r["kind"] for r in items)
    extras = [words % {"count": kinds[k]} for k, words in KIND_WORDS.items() if kinds[k]]
    count = ngettext("%(count)s suggestion", "%(count)s suggestions", len(items))
    summary = f"{count % {'count': len(items)}}: {evidence}"
    return "; ".join([summary, *extras, *lead_words])


def profile_summary(profile: Mapping[str, Any], *, her2_status: str) -> str:
    """The profile in one line, as a board would say it; unknowns are left out."""

    def value(name: str) -> str:
        return PROFILE_FIELDS[name].value_label(profile[name], gettext)

    def label(name: str) -> str:
        return gettext(ALL_FIELDS[name].label)

    her2 = ALL_FIELDS["her2_status"].value_label(her2_status, gettext)
    parts = [
        f"{her2} (IHC {profile['her2_ihc']}, ISH {value('her2_ish').lower()})",
        value("setting").lower(),
        value("trastuzumab_response").lower(),
    ]
    if profile["tumour_site"] != "breast":
        parts.insert(0, value("tumour_site").lower())
    if profile["prior_therapies"]:
        parts.append(_("prior %(therapies)s") % {"therapies": value("prior_therapies")})
    for name in ("er", "pr", "pik3ca", "pten"):
        if profile[name] != "unknown":
            parts.append(f"{label(name)} {value(name).lower()}")
    if profile["her2_heterogeneity"] != "unknown":
        words = value("her2_heterogeneity").lower()
        parts.append(_("heterogeneity %(level)s") % {"level": words})
    if profile["brain_metastases"]:
        parts.append(_("brain metastases"))
    if profile["markers"]:
        listed = ", ".join(
            f"{code} {gettext(result)}" for code, result in profile["markers"].items()
        )
        parts.append(_("markers %(markers)s") % {"markers": listed})
    return " · ".join(parts)


def _fact_words(name: str, value: Any) -> str:
    if name == "markers":
        return "; ".join(
            f"{code} {gettext(result).replace('_', ' ')}" for code, result in value.items()
        )
    spec = ALL_FIELDS.get(name)
    if spec is None:
        return f"{name.replace('_', ' ')}: {value}"
    return f"{gettext(spec.label)}: {spec.value_label(value, gettext)}"


def recommendations_why(
    payload: Mapping[str, Any], *, key: str = "recommendations"
) -> list[dict[str, Any]]:
    """The recommendations (or, with key="research_leads", the research leads), each with
    `why`: the facts that made it fire, in plain words, leaving out those every item of the
    list shares (the page says them once, above)."""
    items = payload.get(key) or []
    shared = (
        set.intersection(*({(n, repr(v)) for n, v in r["matched_facts"].items()} for r in items))
        if len(items) > 1
        else set()
    )
    out = []
    for item in items:
        facts = [
            _fact_words(name, value)
            for name, value in item["matched_facts"].items()
            if (name, repr(value)) not in shared
        ]
        out.append({**item, "why": "; ".join(facts), "title": _title_shown(item)})
    return out


def _title_shown(item: Mapping[str, Any]) -> str:
    """The item's title, its "Already given (…)" prefix in the request's language (the rest
    is the knowledge base's own text)."""
    given = item.get("already_given") or []
    english = title_already_given(title="", given=given) if given else ""
    if not english or not item["title"].startswith(english):
        return item["title"]
    own = item["title"][len(english) :]
    return title_already_given(title=own, given=given, translate=gettext)


def marker_groups_get(*, knowledge_base: KnowledgeBase) -> list[tuple[str, list[Marker]]]:
    """Catalogue markers grouped by the review mechanism of the first rule that reads them."""
    mechanism_of: dict[str, str] = {}
    order: list[str] = []
    in_review_order = sorted(
        zip(knowledge_base.ruleset.rules, knowledge_base.ruleset.conditions, strict=True),
        key=lambda pair: (pair[0].extra["mechanism_position"], pair[0].slug),
    )
    for rule, condition in in_review_order:
        if rule.mechanism not in order:
            order.append(rule.mechanism)
        for fact in condition.facts:
            if fact.startswith(engine.MARKER_PREFIX):
                mechanism_of.setdefault(fact.removeprefix(engine.MARKER_PREFIX), rule.mechanism)
    groups: dict[str, list[Marker]] = {}
    for marker in Marker.objects.all():
        groups.setdefault(mechanism_of.get(marker.code, "Other markers"), []).append(marker)
    ordered = [(name, groups[name]) for name in order if name in groups]
    if "Other markers" in groups:
        ordered.append(("Other markers", groups["Other markers"]))
    return ordered


def page_translations() -> ReleasedTranslations | None:
    """The released knowledge base's Ukrainian text, on a page in Ukrainian (else None)."""
    if translation.get_language() != LANGUAGE:
        return None
    return knowledge_base_published().translations


def _labelled(shown: Shown) -> str:
    if shown.unreviewed:
        return _("%(name)s (translation not yet reviewed)") % {"name": shown.text}
    return shown.text


def name_shown(section: str, english: str) -> str:
    """A strategy's or mechanism's name ("strategies" or "mechanisms", by its English
    name) as a page in the request's language shows it: its released translation, said to
    be unreviewed where it is."""
    translations = page_translations()
    if translations is None:
        return english
    return _labelled(translations.name(section, english))


def strategy_options() -> list[tuple[str, str]]:
    """Every strategy's slug and name as the page shows it (the names read in English, the
    text of record, then shown through the release: never the curators' working copy)."""
    with in_english():
        rows = list(Strategy.objects.values_list("slug", "name"))
    return [(slug, name_shown("strategies", name)) for slug, name in rows]


def evaluation_with_why(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload with `why` on each recommendation and research lead, for a page that
    shows the profile above it (the case page, its print view, board-session pages): the
    facts in plain words, never `prior_therapies = [...]`; on a page in Ukrainian, the
    knowledge base's text in its released translation (rules.translations)."""
    shown = {
        **payload,
        "recommendations": recommendations_why(payload),
        "research_leads": recommendations_why(payload, key="research_leads"),
    }
    translations = page_translations()
    if translations is not None:
        for key in ("recommendations", "research_leads"):
            shown[key] = [translations.payload_item(item) for item in shown[key]]
        for key in ("suggested_tests", "research_assays"):
            shown[key] = [
                {
                    **test,
                    "adds": [_labelled(translations.title(t)) for t in test["adds"]],
                    "removes": [_labelled(translations.title(t)) for t in test["removes"]],
                }
                for test in payload.get(key) or []
            ]
    return shown
