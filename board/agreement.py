"""Reading board sessions back: a proposal beside the board's decision and the engine (the
reveal), the per-session summary (agreement with the board, then with the engine, between
trainees, evidence calibration), the progress grid, the debrief and the results export.

Measures (board.scoring, on the one vocabulary of board.options):
- agreement with the board, the headline: rank-aware average overlap with the board's
  decision; unscored until the board has decided, or when it recommended nothing;
- agreement with the engine, secondary: the Jaccard index of strategies;
- agreement between trainees: Fleiss' kappa on the first choice's option, over the cases
  that at least two trainees proposed for (each case may have its own number of raters);
- calibration: the trainee's guess of the first choice's evidence level against the level
  the engine reports for it, or the board's grade for an option the engine does not
  suggest: over-rated (guessed stronger), under-rated, exact; else not assessable.

Proposals made after the reveal (the session locked, then re-opened) are marked and left
out of every score unless asked for.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from board.decisions import option_targets
from board.models import (
    BoardDecision,
    BoardSession,
    CaseOutcome,
    ProposalChoice,
    TraineeProposal,
)
from board.scoring import (
    ProposalFacts,
    board_agreement,
    choice_option,
    engine_agreement,
    engine_options,
    jaccard,
    proposal_facts,
)
from cases.models import CaseProfile
from core.roles import TRAINEE
from rules.choices import EVIDENCE_LABELS
from rules.evaluation import profile_evaluate
from rules.knowledge_base import EVIDENCE_RANK, KnowledgeBase, knowledge_base_published
from rules.models import Strategy
from rules.translations import in_english

__all__ = ["jaccard"]


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


def calibration(guess: str, level: str | None) -> str | None:
    """ "over", "under" or "exact"; None when there is no guess or no level to compare."""
    if not guess or not level:
        return None
    difference = EVIDENCE_RANK[level] - EVIDENCE_RANK[guess]
    return "over" if difference > 0 else "under" if difference < 0 else "exact"


CALIBRATION_WORDS = {
    "over": "You rated the evidence stronger than {source} reports it.",
    "under": "You rated the evidence weaker than {source} reports it.",
    "exact": "Your evidence level matches what {source} reports.",
}


def engine_strategies(payload: dict) -> dict[str, dict]:
    """Strategy name → the engine's strongest recommendation for it (payload order is
    strongest evidence first)."""
    found: dict[str, dict] = {}
    for recommendation in payload["recommendations"]:
        if recommendation.get("strategy") and recommendation["strategy"] not in found:
            found[recommendation["strategy"]] = recommendation
    return found


def strategy_slugs() -> dict[str, str]:
    """Strategy name -> slug (the payload names strategies; options use slugs)."""
    with in_english():
        return dict(Strategy.objects.values_list("name", "slug"))


def engine_by_option(payload: dict, slugs: dict[str, str]) -> dict[str, dict]:
    """Option id -> the engine's strongest recommendation for that strategy."""
    return {
        f"strategy:{slugs[name]}": item
        for name, item in engine_strategies(payload).items()
        if name in slugs
    }


def reference_level(
    option: str | None, engine: dict[str, dict], decision: BoardDecision | None
) -> tuple[str | None, str]:
    """The evidence level a first choice is calibrated against, and whose it is: the
    engine's for a strategy it suggests, else the board's grade for an option it chose."""
    if option is None:
        return None, ""
    if option in engine:
        return engine[option]["evidence_level"], "the review"
    if decision is not None:
        for item in decision.options:
            if item["option"] == option:
                return item["evidence_grade"], "the board"
    return None, ""


def score_facts(
    facts: ProposalFacts, engine: dict[str, dict], decision: BoardDecision | None
) -> dict[str, Any]:
    """A proposal's scores: agreement with the board and with the engine, calibration."""
    unscored = not facts.options and facts.unmapped > 0
    level, source = reference_level(facts.first, engine, decision)
    return {
        "board": None if unscored else board_agreement(facts.options, decision),
        "engine": engine_agreement(facts.options, list(engine), unscored),
        "calibration": calibration(facts.evidence_guess, level),
        "reference": source,
        "unmapped": facts.unmapped,
    }


@dataclass
class CaseSummary:
    """A session case: its evaluation, the board's decision, and its proposals scored."""

    case: CaseProfile
    payload: dict
    engine: dict[str, dict]  # option id -> the engine's recommendation
    decision: BoardDecision | None = None
    proposals: list[ProposalFacts] = field(default_factory=list)
    outcome: CaseOutcome | None = None
    _scores: dict[int, dict] = field(default_factory=dict, repr=False)

    def scores(self, proposal: ProposalFacts) -> dict[str, Any]:
        found = self._scores.get(proposal.pk)
        if found is None:
            found = self._scores[proposal.pk] = score_facts(proposal, self.engine, self.decision)
        return found

    @property
    def jaccards(self) -> list[float | None]:
        return [self.scores(p)["engine"] for p in self.proposals]

    @staticmethod
    def _mean(values) -> float | None:
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    @property
    def mean_jaccard(self) -> float | None:
        return self._mean(self.jaccards)

    @property
    def mean_board(self) -> float | None:
        return self._mean(self.scores(p)["board"] for p in self.proposals)

    def first_choices(self) -> list[str]:
        return [p.first for p in self.proposals if p.first is not None]


def proposal_reveal(
    *, proposal: TraineeProposal, payload: dict, decision: BoardDecision | None = None
) -> dict[str, Any]:
    """Three columns, rank by rank: the trainee's choices, the board's decision (once the
    session is locked and the educator has recorded it), and the engine's suggestions;
    with agreement with each, and the first choice's evidence calibration."""
    slugs = strategy_slugs()
    labels = option_targets()
    engine_items = engine_by_option(payload, slugs)
    engine_ids = engine_options(payload, slugs)
    (facts,) = proposal_facts(TraineeProposal.objects.filter(pk=proposal.pk))
    scores = score_facts(facts, engine_items, decision)
    choices = list(proposal.choices.select_related("strategy"))
    board_items = decision.options if decision is not None else []
    rows = []
    for rank in range(1, max(len(choices), len(board_items), len(engine_ids), 1) + 1):
        choice = choices[rank - 1] if rank <= len(choices) else None
        board = board_items[rank - 1] if rank <= len(board_items) else None
        engine = engine_ids[rank - 1] if rank <= len(engine_ids) else None
        rows.append(
            {
                "rank": rank,
                "choice": choice,
                "choice_option": choice_option(choice) if choice else None,
                "board": board
                and {
                    **board,
                    "label": labels.get(board["option"], board["option"]),
                    "grade_label": EVIDENCE_LABELS.get(board["evidence_grade"], ""),
                },
                "engine": engine
                and {
                    "label": labels.get(engine, engine),
                    **engine_items[engine],
                },
            }
        )
    chosen = list(facts.options)
    level, source = reference_level(facts.first, engine_items, decision)
    return {
        "evaluation": payload,
        "decision": decision,
        "rows": rows,
        "guess_label": EVIDENCE_LABELS.get(proposal.evidence_guess, ""),
        "reference_level_label": EVIDENCE_LABELS.get(level or "", ""),
        "reference_source": source,
        "calibration": scores["calibration"],
        "calibration_words": CALIBRATION_WORDS.get(scores["calibration"] or "", "").format(
            source=source
        ),
        "board_agreement": scores["board"],
        "engine_agreement": scores["engine"],
        "unmapped": scores["unmapped"],
        "engine_only": [labels.get(o, o) for o in engine_ids if o not in chosen],
    }


def session_trainees(*, session: BoardSession):
    """Who is expected to propose: users in the trainee group, the educator aside."""
    return (
        get_user_model()
        .objects.filter(groups__name=TRAINEE, is_active=True)
        .exclude(pk=session.educator_id)
        .order_by("username")
    )


def _proposals(session: BoardSession, *, after_reveal: bool = False) -> list[ProposalFacts]:
    proposals = TraineeProposal.objects.filter(session=session)
    if not after_reveal:
        proposals = proposals.filter(after_reveal=False)
    return proposal_facts(proposals.order_by("created_at", "pk"))


def session_cases_evaluated(
    *,
    session: BoardSession,
    knowledge_base: KnowledgeBase | None = None,
    after_reveal: bool = False,
) -> list[CaseSummary]:
    """Each case of the session with its evaluation, the board's decision and its
    proposals (a fixed number of queries, whatever the number of cases and proposals);
    proposals made after the reveal only when asked for."""
    kb = knowledge_base or knowledge_base_published()
    slugs = strategy_slugs()
    cases = list(session.cases.order_by("sessioncase__position", "sessioncase__id"))
    decisions = {d.case_id: d for d in BoardDecision.objects.filter(session=session)}
    outcomes = {o.case_id: o for o in CaseOutcome.objects.filter(case__in=cases)}
    summaries = {}
    for case in cases:
        payload = profile_evaluate(profile=case.as_profile(), knowledge_base=kb)
        engine = engine_by_option(payload, slugs)
        summaries[case.pk] = CaseSummary(
            case, payload, engine, decisions.get(case.pk), outcome=outcomes.get(case.pk)
        )
    for proposal in _proposals(session, after_reveal=after_reveal):
        if proposal.case_id in summaries:
            summaries[proposal.case_id].proposals.append(proposal)
    return [summaries[case.pk] for case in cases]


def session_summary(*, session: BoardSession, after_reveal: bool = False) -> dict[str, Any]:
    """Agreement with the board (the headline) and with the engine per case and per
    trainee, Fleiss' kappa between trainees on the first choice, and each trainee's
    evidence calibration."""
    cases = session_cases_evaluated(session=session, after_reveal=after_reveal)
    kappa = fleiss_kappa([summary.first_choices() for summary in cases])
    per_trainee: dict[str, Counter] = {}
    agreement: dict[str, dict[str, list[float]]] = {}
    for summary in cases:
        for proposal in summary.proposals:
            name = proposal.trainee
            scores = summary.scores(proposal)
            counts = per_trainee.setdefault(name, Counter())
            counts[scores["calibration"] or "not_assessable"] += 1
            mine = agreement.setdefault(name, {"board": [], "engine": []})
            for key in ("board", "engine"):
                if scores[key] is not None:
                    mine[key].append(scores[key])
    return {
        "cases": cases,
        "kappa": kappa,
        "kappa_raters": [len(summary.first_choices()) for summary in cases],
        "trainees": [
            {
                "trainee": name,
                "board": _mean_or_none(values["board"]),
                "engine": _mean_or_none(values["engine"]),
                "scored": len(values["engine"]),
            }
            for name, values in sorted(agreement.items())
        ],
        "calibration": [
            {"trainee": name, **{k: counts.get(k, 0) for k in CALIBRATION_KEYS}}
            for name, counts in sorted(per_trainee.items())
        ],
        "unmapped": sum(
            summary.scores(p)["unmapped"] for summary in cases for p in summary.proposals
        ),
        "after_reveal_left_out": 0
        if after_reveal
        else TraineeProposal.objects.filter(session=session, after_reveal=True).count(),
        "chart": summary_chart(cases=cases, calibration=per_trainee),
    }


def _mean_or_none(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


CALIBRATION_KEYS = ("exact", "over", "under", "not_assessable")


def summary_chart(*, cases: list[CaseSummary], calibration: dict[str, Counter]) -> dict:
    """Geometry of the summary's two small bar charts, drawn as inline SVG by the template
    (server-side, no script, no CDN): mean agreement with the board per case (with the
    engine where the board has not decided), calibration per trainee."""
    width, bar, gap, label = 360, 18, 6, 110
    agreement = []
    for index, summary in enumerate(cases):
        board, engine = summary.mean_board, summary.mean_jaccard
        value = board if board is not None else engine
        if not summary.proposals:
            text = "no proposals"
        elif board is not None:
            text = f"{board:.2f} with the board"
        elif engine is not None:
            text = f"{engine:.2f} with the engine (no board decision)"
        else:
            text = "not scored yet"
        agreement.append(
            {
                "y": index * (bar + gap),
                "label": summary.case.code,
                "width": round((value or 0) * (width - label - 40), 1),
                "text": text,
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
    any rank), no names, beside the engine's suggestions; and the room's "Other" texts and
    reasonings, grouped by option and without names, with what each "Other" is mapped to."""
    payload = profile_evaluate(profile=case.as_profile())
    slugs = strategy_slugs()
    engine = engine_by_option(payload, slugs)
    labels = option_targets()
    choices = ProposalChoice.objects.filter(
        proposal__session=session, proposal__case=case
    ).select_related("strategy", "proposal")
    first, anywhere, reasonings = Counter(), Counter(), {}
    others = []
    proposals = set()
    for choice in choices:
        option = choice_option(choice)
        key = option or "unmapped"
        anywhere[key] += 1
        proposals.add(choice.proposal_id)
        if choice.rank == 1:
            first[key] += 1
            if choice.proposal.reasoning:
                reasonings.setdefault(key, []).append(choice.proposal.reasoning)
        if not choice.strategy_id and not choice.standard:
            others.append(
                {"id": choice.pk, "text": choice.other, "mapped": option,
                 "mapped_label": labels.get(option or "", "")}
            )  # fmt: skip
    rows = [
        {
            "option": key,
            "label": "Other, not mapped yet" if key == "unmapped" else labels.get(key, key),
            "first": first[key],
            "anywhere": count,
            "engine": engine.get(key),
            "reasonings": reasonings.get(key, []),
        }
        for key, count in sorted(anywhere.items(), key=lambda kv: (-first[kv[0]], -kv[1]))
    ]
    decision = BoardDecision.objects.filter(session=session, case=case).first()
    return {
        "evaluation": payload,
        "rows": rows,
        "proposals": len(proposals),
        "engine": engine,
        "others": sorted(others, key=lambda o: o["text"].lower()),
        "targets": labels,
        "decision": decision,
        "decision_items": [
            {
                **item,
                "label": labels.get(item["option"], item["option"]),
                "grade_label": EVIDENCE_LABELS.get(item["evidence_grade"], ""),
            }
            for item in (decision.options if decision else [])
        ],
    }
