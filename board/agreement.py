"""Reading board sessions back: a proposal beside the engine (the reveal), the per-session
summary (agreement with the engine, agreement between trainees, evidence calibration), the
progress grid, the debrief counts and the results export.

Measures:
- agreement with the engine: the Jaccard index of the trainee's strategies and the
  engine's strategies for the case (standard-of-care and "Other" options are not in the
  engine's vocabulary, so they count for neither side);
- agreement between trainees: Fleiss' kappa on the first choice, over the cases that at
  least two trainees proposed for (each case may have its own number of raters);
- calibration: the trainee's guess of the first choice's evidence level against the level
  the engine reports for that strategy: over-rated (guessed stronger), under-rated, exact.
  Not assessable when the first choice is not among the engine's strategies.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from board.models import BoardSession, ProposalChoice, TraineeProposal
from cases.models import CaseProfile
from core.roles import TRAINEE
from rules.choices import EVIDENCE_LABELS
from rules.evaluation import profile_evaluate
from rules.knowledge_base import EVIDENCE_RANK, KnowledgeBase, knowledge_base_published


def jaccard(first: set, second: set) -> float:
    """|A ∩ B| / |A ∪ B|; two empty sets agree fully."""
    union = first | second
    return len(first & second) / len(union) if union else 1.0


def fleiss_kappa(ratings: Sequence[Sequence[str]]) -> float | None:
    """Fleiss' kappa for subjects rated by two or more raters each (counts may differ per
    subject). None when it is undefined: under two such subjects, or one category only."""
    subjects = [list(r) for r in ratings if len(r) >= 2]
    if len(subjects) < 2:
        return None
    total = sum(len(r) for r in subjects)
    categories = Counter(category for r in subjects for category in r)
    expected = sum((count / total) ** 2 for count in categories.values())
    if expected >= 1:
        return None
    observed = 0.0
    for r in subjects:
        n = len(r)
        observed += (sum(c * c for c in Counter(r).values()) - n) / (n * (n - 1))
    observed /= len(subjects)
    return (observed - expected) / (1 - expected)


def calibration(guess: str, engine_level: str | None) -> str | None:
    """ "over", "under" or "exact"; None when there is no guess or no engine level."""
    if not guess or not engine_level:
        return None
    difference = EVIDENCE_RANK[engine_level] - EVIDENCE_RANK[guess]
    return "over" if difference > 0 else "under" if difference < 0 else "exact"


CALIBRATION_WORDS = {
    "over": "You rated the evidence stronger than the review reports it.",
    "under": "You rated the evidence weaker than the review reports it.",
    "exact": "Your evidence level matches what the review reports.",
}


def engine_strategies(payload: dict) -> dict[str, dict]:
    """Strategy name → the engine's strongest recommendation for it (payload order is
    strongest evidence first)."""
    found: dict[str, dict] = {}
    for recommendation in payload["recommendations"]:
        if recommendation.get("strategy") and recommendation["strategy"] not in found:
            found[recommendation["strategy"]] = recommendation
    return found


def proposal_calibration(proposal: TraineeProposal, engine: dict[str, dict]) -> str | None:
    """Calibration of the proposal's first choice (choices prefetched)."""
    choices = proposal.choices.all()
    first = choices[0] if choices else None
    matched = engine.get(first.strategy.name) if first and first.strategy_id else None
    return calibration(proposal.evidence_guess, matched["evidence_level"] if matched else None)


def _strategy_names(choices: Iterable[ProposalChoice]) -> set[str]:
    return {c.strategy.name for c in choices if c.strategy_id}


def proposal_reveal(*, proposal: TraineeProposal, payload: dict) -> dict[str, Any]:
    """The trainee's ranked choices beside the engine's, and their evidence calibration."""
    engine = engine_strategies(payload)
    choices = list(proposal.choices.select_related("strategy"))
    rows = []
    for choice in choices:
        matched = engine.get(choice.strategy.name) if choice.strategy_id else None
        rows.append({"choice": choice, "engine": matched})
    first = rows[0] if rows else None
    engine_level = first["engine"]["evidence_level"] if first and first["engine"] else None
    verdict = calibration(proposal.evidence_guess, engine_level)
    chosen = _strategy_names(choices)
    return {
        "evaluation": payload,
        "rows": rows,
        "guess_label": EVIDENCE_LABELS.get(proposal.evidence_guess, ""),
        "engine_level_label": EVIDENCE_LABELS.get(engine_level or "", ""),
        "calibration": verdict,
        "calibration_words": CALIBRATION_WORDS.get(verdict or "", ""),
        "agreed": sorted(chosen & set(engine)),
        "trainee_only": sorted(chosen - set(engine)),
        "engine_only": sorted(set(engine) - chosen),
        "jaccard": jaccard(chosen, set(engine)),
    }


def session_trainees(*, session: BoardSession):
    """Who is expected to propose: users in the trainee group, the educator aside."""
    return (
        get_user_model()
        .objects.filter(groups__name=TRAINEE, is_active=True)
        .exclude(pk=session.educator_id)
        .order_by("username")
    )


def _proposals(session: BoardSession) -> list[TraineeProposal]:
    return list(
        TraineeProposal.objects.filter(session=session)
        .select_related("trainee")
        .prefetch_related("choices__strategy")
    )


@dataclass
class CaseSummary:
    case: CaseProfile
    payload: dict
    engine: dict[str, dict]
    proposals: list[TraineeProposal] = field(default_factory=list)

    @property
    def jaccards(self) -> list[float]:
        return [jaccard(_strategy_names(p.choices.all()), set(self.engine)) for p in self.proposals]

    @property
    def mean_jaccard(self) -> float | None:
        values = self.jaccards
        return sum(values) / len(values) if values else None

    def first_choices(self) -> list[str]:
        return [p.choices.all()[0].key for p in self.proposals if p.choices.all()]


def session_cases_evaluated(
    *, session: BoardSession, knowledge_base: KnowledgeBase | None = None
) -> list[CaseSummary]:
    """Each case of the session with its evaluation and its proposals (a fixed number of
    queries, whatever the number of cases and proposals)."""
    kb = knowledge_base or knowledge_base_published()
    cases = list(session.cases.order_by("sessioncase__position", "sessioncase__id"))
    summaries = {}
    for case in cases:
        payload = profile_evaluate(profile=case.as_profile(), knowledge_base=kb)
        summaries[case.pk] = CaseSummary(case, payload, engine_strategies(payload))
    for proposal in _proposals(session):
        if proposal.case_id in summaries:
            summaries[proposal.case_id].proposals.append(proposal)
    return [summaries[case.pk] for case in cases]


def session_summary(*, session: BoardSession) -> dict[str, Any]:
    """Agreement with the engine per case, Fleiss' kappa between trainees on the first
    choice, and each trainee's evidence calibration."""
    cases = session_cases_evaluated(session=session)
    kappa = fleiss_kappa([summary.first_choices() for summary in cases])
    per_trainee: dict[str, Counter] = {}
    for summary in cases:
        for proposal in summary.proposals:
            counts = per_trainee.setdefault(proposal.trainee.get_username(), Counter())
            counts[proposal_calibration(proposal, summary.engine) or "not_assessable"] += 1
    return {
        "cases": cases,
        "kappa": kappa,
        "kappa_raters": [len(summary.first_choices()) for summary in cases],
        "calibration": [
            {"trainee": name, **{k: counts.get(k, 0) for k in CALIBRATION_KEYS}}
            for name, counts in sorted(per_trainee.items())
        ],
        "chart": summary_chart(cases=cases, calibration=per_trainee),
    }


CALIBRATION_KEYS = ("exact", "over", "under", "not_assessable")


def summary_chart(*, cases: list[CaseSummary], calibration: dict[str, Counter]) -> dict:
    """Geometry of the summary's two small bar charts, drawn as inline SVG by the template
    (server-side, no script, no CDN): mean Jaccard per case, calibration per trainee."""
    width, bar, gap, label = 360, 18, 6, 110
    agreement = []
    for index, summary in enumerate(cases):
        value = summary.mean_jaccard
        agreement.append(
            {
                "y": index * (bar + gap),
                "label": summary.case.code,
                "width": round((value or 0) * (width - label - 40), 1),
                "text": "no proposals" if value is None else f"{value:.2f}",
            }
        )
    stacks = []
    for index, (name, counts) in enumerate(sorted(calibration.items())):
        total = sum(counts.values()) or 1
        x, parts = 0.0, []
        for key in CALIBRATION_KEYS:
            share = counts.get(key, 0) / total * (width - label - 40)
            if share:
                parts.append({"key": key, "x": round(x, 1), "width": round(share, 1)})
            x += share
        stacks.append({"y": index * (bar + gap), "label": name, "parts": parts})
    return {
        "width": width,
        "bar": bar,
        "label": label,
        "agreement": agreement,
        "agreement_height": max(len(agreement), 1) * (bar + gap),
        "calibration": stacks,
        "calibration_height": max(len(stacks), 1) * (bar + gap),
    }


def session_progress(*, session: BoardSession) -> dict[str, Any]:
    """Cases × trainees: who has proposed, who still owes a proposal."""
    trainees = list(session_trainees(session=session))
    cases = list(session.cases.order_by("sessioncase__position", "sessioncase__id"))
    done = set(TraineeProposal.objects.filter(session=session).values_list("case_id", "trainee_id"))
    rows = []
    for case in cases:
        cells = [(case.pk, trainee.pk) in done for trainee in trainees]
        rows.append({"case": case, "cells": cells, "due": cells.count(False)})
    return {"trainees": trainees, "rows": rows, "due": sum(row["due"] for row in rows)}


def case_debrief(*, session: BoardSession, case: CaseProfile) -> dict[str, Any]:
    """For projecting in the room: how many trainees chose each option (first choice and
    any rank), no names, beside the engine's suggestions."""
    payload = profile_evaluate(profile=case.as_profile())
    engine = engine_strategies(payload)
    choices = ProposalChoice.objects.filter(
        proposal__session=session, proposal__case=case
    ).select_related("strategy")
    first, anywhere, labels = Counter(), Counter(), {}
    proposals = set()
    for choice in choices:
        key = choice.key
        labels.setdefault(key, "Other (own words)" if key == "other" else choice.label)
        anywhere[key] += 1
        proposals.add(choice.proposal_id)
        if choice.rank == 1:
            first[key] += 1
    rows = [
        {
            "label": labels[key],
            "first": first[key],
            "anywhere": count,
            "engine": engine.get(labels[key]),
        }
        for key, count in sorted(anywhere.items(), key=lambda kv: (-first[kv[0]], -kv[1]))
    ]
    return {"evaluation": payload, "rows": rows, "proposals": len(proposals), "engine": engine}


RESULT_COLUMNS = [
    "case", "trainee", "rank", "option", "option_kind", "engine_suggests",
    "engine_evidence_level", "evidence_guess", "calibration", "jaccard_with_engine",
    "reasoning", "proposed_at",
]  # fmt: skip


def session_results_rows(*, session: BoardSession) -> list[dict[str, Any]]:
    """One row per ranked choice, for the results export."""
    rows = []
    for summary in session_cases_evaluated(session=session):
        for proposal, score in zip(summary.proposals, summary.jaccards, strict=True):
            verdict = proposal_calibration(proposal, summary.engine)
            for choice in proposal.choices.all():
                engine = summary.engine.get(choice.strategy.name) if choice.strategy_id else None
                rows.append(
                    {
                        "case": summary.case.code,
                        "trainee": proposal.trainee.get_username(),
                        "rank": choice.rank,
                        "option": choice.label,
                        "option_kind": "strategy"
                        if choice.strategy_id
                        else "standard_of_care"
                        if choice.standard
                        else "other",
                        "engine_suggests": "yes" if engine else "no",
                        "engine_evidence_level": engine["evidence_level"] if engine else "",
                        "evidence_guess": proposal.evidence_guess if choice.rank == 1 else "",
                        "calibration": (verdict or "") if choice.rank == 1 else "",
                        "jaccard_with_engine": f"{score:.2f}",
                        "reasoning": proposal.reasoning,
                        "proposed_at": proposal.created_at.isoformat(),
                    }
                )
    return rows
