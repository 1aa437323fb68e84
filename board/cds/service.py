"""The CDS Hooks service's logic: assemble a profile, build cards, record cards and feedback.

board.cds.views only parses requests and answers; FHIR resources are read by
board.cds.fhir.
"""

import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from board.cds.fhir import FhirError, profile_from_prefetch
from board.models import CdsCard, CdsFeedback
from cases.models import CaseProfile
from cases.profile import profile_clean

SERVICE_ID = "her2-trastuzumab-resistance"
REVIEW_SOURCE = {
    "label": "Vynnychenko & Moskalenko 2024, Regul. Mech. Biosyst. 15(2):345-352 (her2-board)",
    "url": "https://doi.org/10.15421/022449",
}
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
) -> dict[str, Any]:
    """A clean profile from `context.profile` and the prefetched FHIR resources.

    Raises ValidationError (keyed by where the problem is) for a malformed request and
    ProfileIncomplete when a needed fact is missing.
    """
    given = context.get("profile") or {}
    if not isinstance(given, dict):
        raise ValidationError({"context.profile": ["must be an object"]})
    try:
        data = {**given, **profile_from_prefetch(prefetch)}
    except FhirError as exc:
        raise ValidationError({"prefetch": [str(exc)]}) from None
    missing = [name for name in NEEDED if name not in data]
    if missing:
        raise ProfileIncomplete(
            "The service needs " + ", ".join(missing) + " (from context.profile, or "
            "HER2 IHC from an mCODE Observation with LOINC 85319-2)."
        )
    return profile_clean(data=data, marker_scales=marker_scales)


def _detail(recommendation: Mapping[str, Any], disclaimer: str) -> str:
    facts = ", ".join(f"`{k}` = {v}" for k, v in recommendation["matched_facts"].items())
    citations = "\n".join(
        f"- {c['label']}. {c['title']}. *{c['journal']}*."
        + (f" [doi:{c['doi']}]({c['doi_url']})" if c["doi"] else "")
        + (" **RETRACTED.**" if c["retracted"] else "")
        + "".join(f"\n  - Caveat: {caveat}" for caveat in c["caveats"])
        for c in recommendation["citations"]
    )
    return (
        f"**{recommendation['mechanism']}**"
        + (f" — strategy: {recommendation['strategy']}" if recommendation["strategy"] else "")
        + f"\n\nEvidence: {recommendation['evidence_label']}.\n\n{recommendation['rationale']}"
        + f"\n\nMatched facts: {facts}\n\n"
        + (f"Citations:\n{citations}\n\n" if citations else "")
        + f"_{disclaimer}_"
    )


def _summary(recommendation: Mapping[str, Any]) -> str:
    text = recommendation["title"]
    return text if len(text) <= 140 else text[:139] + "…"


def cds_cards_build(
    *,
    payload: Mapping[str, Any],
    hook_instance: str,
    case: CaseProfile | None = None,
    case_url: str | None = None,
) -> list[dict[str, Any]]:
    """One card per recommendation, remembered so that feedback can name its rule."""
    links = []
    if case is not None and case_url is not None:
        links = [{"label": f"Case {case.code} on her2-board", "url": case_url, "type": "absolute"}]
    cards = [
        {
            "uuid": str(uuid.uuid4()),
            "summary": _summary(recommendation),
            "indicator": INDICATOR[recommendation["kind"]],
            "detail": _detail(recommendation, payload["disclaimer"]),
            "source": REVIEW_SOURCE,
            "links": links,
        }
        for recommendation in payload["recommendations"]
    ]
    cds_cards_record(
        cards=[
            {"uuid": card["uuid"], "rule": rec["rule"]}
            for card, rec in zip(cards, payload["recommendations"], strict=True)
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
                submitted_by=user,
            )
        )
    CdsFeedback.objects.bulk_create(feedback)
    return len(feedback)
