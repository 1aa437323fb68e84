"""A session's results export: one row per ranked choice, with its option, its scores
(board.agreement) and whether it was made after the reveal."""

from typing import Any

from board.agreement import session_cases_evaluated
from board.models import BoardSession, ProposalChoice, TraineeProposal
from board.scoring import choice_option

RESULT_COLUMNS = [
    "case", "trainee", "rank", "option", "option_id", "option_kind", "engine_suggests",
    "engine_evidence_level", "evidence_guess", "calibration", "agreement_with_board",
    "agreement_with_engine", "after_reveal", "reasoning", "proposed_at",
]  # fmt: skip


def _kind(choice: ProposalChoice, option: str | None) -> str:
    if option is None:
        return "other_unmapped"
    if choice.strategy_id:
        return "strategy"
    return "standard_of_care" if choice.standard else "other_mapped"


def session_results_rows(*, session: BoardSession) -> list[dict[str, Any]]:
    """One row per ranked choice, for the results export (proposals made after the reveal
    included, and marked)."""
    summaries = {
        summary.case.pk: summary
        for summary in session_cases_evaluated(session=session, after_reveal=True)
    }
    facts = {p.pk: p for summary in summaries.values() for p in summary.proposals}
    proposals = (
        TraineeProposal.objects.filter(session=session)
        .select_related("trainee", "case")
        .prefetch_related("choices__strategy")
        .order_by("case_id", "created_at", "pk")
    )
    rows = []
    for proposal in proposals:
        summary = summaries.get(proposal.case_id)
        if summary is None:
            continue
        scores = summary.scores(facts[proposal.pk])
        for choice in proposal.choices.all():
            option = choice_option(choice)
            engine = summary.engine.get(option or "")
            rows.append(
                {
                    "case": proposal.case.code,
                    "trainee": proposal.trainee.get_username(),
                    "rank": choice.rank,
                    "option": choice.label,
                    "option_id": option or "",
                    "option_kind": _kind(choice, option),
                    "engine_suggests": "yes" if engine else "no",
                    "engine_evidence_level": engine["evidence_level"] if engine else "",
                    "evidence_guess": proposal.evidence_guess if choice.rank == 1 else "",
                    "calibration": (scores["calibration"] or "") if choice.rank == 1 else "",
                    "agreement_with_board": _score_text(scores["board"]),
                    "agreement_with_engine": _score_text(scores["engine"]),
                    "after_reveal": "yes" if proposal.after_reveal else "no",
                    "reasoning": proposal.reasoning,
                    "proposed_at": proposal.created_at.isoformat(),
                }
            )
    return rows


def _score_text(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"
