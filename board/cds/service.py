"""The CDS Hooks service's logic: assemble a profile, build cards, record cards and feedback.

board.cds.views only parses requests and answers. FHIR resources in `prefetch` are read
by board.fhir.reading (the same reader as POST /api/v1/fhir/profile/), for the patient in
`context.patientId`; `context.profile` stays an explicit override and always wins, and
the cards say where the two differ.
"""

import re
import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from board.fhir.reading import FhirReading, fhir_profile_read
from board.models import CdsCard, CdsFeedback
from cases.contract import label_of
from cases.models import CaseProfile
from cases.profile import profile_clean
from rules.titles import SUMMARY_MOST, title_summary

SERVICE_ID = "her2-trastuzumab-resistance"
HOOK = "patient-view"
REVIEW_SOURCE = {
    "label": "Vynnychenko & Moskalenko 2024, Regul. Mech. Biosyst. 15(2):345-352 (her2-board)",
    "url": "https://doi.org/10.15421/022449",
}
TOPIC_SYSTEM = "urn:her2-board:mechanism"
OVERRIDE_SYSTEM = "urn:her2-board:override-reason"
OVERRIDE_REASONS = [
    {"code": code, "system": OVERRIDE_SYSTEM, "display": display}
    for code, display in (
        ("not-applicable", "Not applicable to this patient"),
        ("already-considered", "Already considered"),
        ("other-evidence", "Other evidence preferred"),
        ("teaching-only", "Reviewed for teaching only"),
    )
]
NEEDED = ("her2_ihc", "setting", "trastuzumab_response")
INDICATOR = {"strategy": "info", "predictive_note": "info", "resistance_flag": "warning",
             "caution": "warning", "scope": "warning"}  # fmt: skip


class ProfileIncomplete(Exception):
    """The request lacks facts the service needs (CDS Hooks answers 412)."""


def cds_profile_assemble(
    *,
    context: Mapping[str, Any],
    prefetch: Mapping[str, Any],
    marker_scales: Mapping[str, tuple[str, ...]],
) -> tuple[dict[str, Any], FhirReading, list[str]]:
    """(clean profile, what FHIR gave, differences where context.profile overrode FHIR).

    Raises django's ValidationError for a malformed profile and ProfileIncomplete when a
    needed fact is neither in context.profile nor readable from the prefetch.
    """
    from django.core.exceptions import ValidationError

    given = context.get("profile") or {}
    if not isinstance(given, Mapping):
        raise ValidationError({"context.profile": ["must be an object"]})
    patient_id = context.get("patientId")
    patient = f"Patient/{patient_id}" if isinstance(patient_id, str) and patient_id else None
    reading = fhir_profile_read(prefetch, patient=patient)
    overridden = [
        f"{label_of(name)}: the request's profile says {given[name]!s:.40}, "
        f"the FHIR data {value!s:.40}; the request's profile was used."
        for name, value in reading.profile.items()
        if name in given and given[name] != value
    ]
    data = {**reading.profile, **given}
    missing = [name for name in NEEDED if name not in data]
    if missing:
        raise ProfileIncomplete(
            "The service needs "
            + ", ".join(label_of(m) for m in missing)
            + ". Send them in context.profile, or prefetch the mCODE resources the service "
            "reads them from (see usageRequirements in discovery)."
            + "".join(f" {note}" for note in reading.notes)
        )
    return profile_clean(data=data, marker_scales=marker_scales), reading, overridden


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()#!|~])")
# What GitHub-flavoured Markdown would turn into a link by itself (a scheme's "://", "www."
# and an e-mail's "@"): a zero-width non-joiner breaks each, invisibly.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?=www\.)|(?<=@)", re.IGNORECASE)
# Block syntax a line may start with: a list item, a thematic break, a setext underline.
_BLOCK_START = re.compile(r"^(?:([-+=])|(\d+)([.)]))")
ZWNJ = "\u200c"


def _block_escaped(match: re.Match) -> str:
    mark, number, dot = match.groups()
    return f"\\{mark}" if mark else f"{number}\\{dot}"


def markdown_text(text: Any) -> str:
    """Curator or FHIR text as inert Markdown, on one line: no HTML (angle brackets become
    entities), no links or images (autolinks broken), no emphasis, code or block syntax
    (their characters are escaped)."""
    flat = " ".join(str(text).split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
    escaped = _BLOCK_START.sub(_block_escaped, _AUTOLINK.sub(ZWNJ, escaped))
    return escaped.replace("<", "&lt;").replace(">", "&gt;")


def _safe_url(url: Any) -> str | None:
    return url if isinstance(url, str) and url.startswith("https://") and ")" not in url else None


def _citation(c: Mapping[str, Any]) -> str:
    label, title, journal = (markdown_text(c[k]) for k in ("label", "title", "journal"))
    line = f"- {label}. {title}. *{journal}*."
    if url := _safe_url(c.get("doi_url")):
        line += f" [doi:{markdown_text(c['doi'])}]({url})"
    elif url := _safe_url(c.get("pubmed_url")):
        line += f" [PubMed {markdown_text(c['pmid'])}]({url})"
    if c["retracted"]:
        line += " **RETRACTED.**"
    line += "".join(f"\n  - Caveat: {markdown_text(caveat)}" for caveat in c["caveats"])
    return line


RESEARCH_LEAD = "Research lead, not for curative-intent decisions"


def _detail(
    recommendation: Mapping[str, Any], disclaimer: str, overridden: list[str], lead: bool
) -> str:
    r = recommendation
    facts = ", ".join(
        f"{markdown_text(label_of(k))} = {markdown_text(v)}" for k, v in r["matched_facts"].items()
    )
    parts = (
        [
            f"**{RESEARCH_LEAD}:** in an early, neoadjuvant or residual-disease setting this "
            "strategy rests on preclinical evidence or the review's statements only."
        ]
        if lead
        else []
    )
    parts.append(f"**{markdown_text(r['mechanism'])}**")
    if r["strategy"]:
        parts[-1] += f" — strategy: {markdown_text(r['strategy'])}"
    parts.append(f"Evidence: {markdown_text(r['evidence_label'])}.")
    parts.append(markdown_text(r["rationale"]))
    parts.append(f"Matched facts: {facts}")
    for quote in r.get("provenance", []):
        said = markdown_text(quote["quote"])
        parts.append(f"The review says (paragraph {quote['paragraph']}):\n\n> {said}")
    if r["citations"]:
        parts.append("Citations:\n" + "\n".join(_citation(c) for c in r["citations"]))
    if overridden:
        parts.append(
            "Differs from the FHIR data: " + " ".join(markdown_text(o) for o in overridden)
        )
    parts.append(f"_{markdown_text(disclaimer)}_")
    return "\n\n".join(parts)


def _summary(recommendation: Mapping[str, Any], lead: bool = False) -> str:
    title = f"Research lead: {recommendation['title']}" if lead else recommendation["title"]
    # A title that cannot be shortened with its qualifier is refused at release; a working
    # copy's may still reach here through a preview: cut it plainly.
    return title_summary(title) or title[: SUMMARY_MOST - 1] + "…"


def cds_cards_build(
    *,
    payload: Mapping[str, Any],
    hook_instance: str,
    case: CaseProfile | None = None,
    case_url: str | None = None,
    overridden: list[str] = (),
) -> list[dict[str, Any]]:
    """One card per recommendation, then one per research lead, marked as such and never
    above "info" (optional attributes omitted when empty), remembered so that feedback
    can name its rule."""
    listed = [(r, False) for r in payload["recommendations"]] + [
        (r, True) for r in payload.get("research_leads", [])
    ]
    cards = []
    for recommendation, lead in listed:
        card = {
            "uuid": str(uuid.uuid4()),
            "summary": _summary(recommendation, lead),
            "indicator": "info" if lead else INDICATOR[recommendation["kind"]],
            "detail": _detail(recommendation, payload["disclaimer"], list(overridden), lead),
            "source": {
                **REVIEW_SOURCE,
                "topic": {
                    "system": TOPIC_SYSTEM,
                    "code": recommendation.get("mechanism_slug") or recommendation["mechanism"],
                    "display": recommendation["mechanism"],
                },
            },
            "overrideReasons": OVERRIDE_REASONS,
        }
        if case is not None and case_url is not None:
            card["links"] = [
                {"label": f"Case {case.code} on her2-board", "url": case_url, "type": "absolute"}
            ]
        cards.append(card)
    cds_cards_record(
        cards=[
            {"uuid": card["uuid"], "rule": rec["rule"]}
            for card, (rec, _lead) in zip(cards, listed, strict=True)
        ],
        knowledge_base_version=payload["knowledge_base_version"],
        hook_instance=hook_instance,
    )
    return cards


def cds_cards_record(
    *, cards: list[dict[str, Any]], knowledge_base_version: str, hook_instance: str
) -> None:
    """Remember the cards issued (uuid -> rule) so that feedback can name its rule."""
    CdsCard.objects.bulk_create(
        CdsCard(
            uuid=card["uuid"],
            rule_slug=card["rule"],
            knowledge_base_version=knowledge_base_version,
            hook_instance=hook_instance,
        )
        for card in cards
    )


def cds_feedback_record(
    *, items: list[Mapping[str, Any]], user: AbstractBaseUser | None = None
) -> int:
    """Store accepted/overridden outcomes; every card must be one we issued."""
    cards = CdsCard.objects.in_bulk([item["card"] for item in items], field_name="uuid")
    unknown = [str(item["card"]) for item in items if item["card"] not in cards]
    if unknown:
        raise CdsCard.DoesNotExist("Unknown card: " + ", ".join(unknown))
    feedback = []
    for item in items:
        override = item.get("overrideReason") or {}
        reason = override.get("reason") or {}
        feedback.append(
            CdsFeedback(
                card=cards[item["card"]],
                outcome=item["outcome"],
                override_reason_code=str(reason.get("code", ""))[:100],
                override_reason_display=str(reason.get("display", ""))[:200],
                user_comment=override.get("userComment", ""),
                outcome_timestamp=item["outcomeTimestamp"],
                submitted_by=user if getattr(user, "pk", None) else None,
            )
        )
    CdsFeedback.objects.bulk_create(feedback)
    return len(feedback)
