"""Scores of a proposal against the board's decision and against the engine, on one
vocabulary of options (board.options), so the same treatment from two lists, or typed as
"Other" and mapped, scores the same.

- Agreement with the board (the headline): the average overlap of the two ranked lists,
  the mean over depths d = 1..D of |trainee's first d ∩ board's first d| / d, with D the
  longer list's length. Identical lists score 1, disjoint 0, and agreeing on the first
  choice counts most. Unscored when the board recommended nothing.
- Agreement with the engine (secondary): the Jaccard index of the trainee's strategies
  and the engine's; options outside the review's strategies count for neither side.
- An "Other" answer the educator has not mapped is left out of both, so it never counts
  as agreement or disagreement; a proposal with nothing else is unscored.
"""

from collections.abc import Iterable, Sequence

from board.models import BoardDecision, ProposalChoice, TraineeProposal
from board.options import choice_option_id


def average_overlap(first: Sequence[str], second: Sequence[str]) -> float:
    """Rank-aware agreement of two ranked lists (see the module's docstring)."""
    depth = max(len(first), len(second))
    if not depth:
        return 1.0
    total = 0.0
    for d in range(1, depth + 1):
        total += len(set(first[:d]) & set(second[:d])) / d
    return total / depth


def jaccard(first: set, second: set) -> float:
    """|A ∩ B| / |A ∪ B|; two empty sets agree fully."""
    union = first | second
    return len(first & second) / len(union) if union else 1.0


def choice_option(choice: ProposalChoice) -> str | None:
    """The option a ranked choice stands for (strategy prefetched), None if unmapped."""
    return choice_option_id(
        strategy_slug=choice.strategy.slug if choice.strategy_id else None,
        standard=choice.standard,
        mapped=choice.mapped_option,
    )


def proposal_options(proposal: TraineeProposal) -> list[str]:
    """The proposal's options, best first, without its unmapped "Other" answers."""
    found = [choice_option(choice) for choice in proposal.choices.all()]
    return [option for option in found if option is not None]


def proposal_unmapped(proposal: TraineeProposal) -> int:
    return sum(choice_option(choice) is None for choice in proposal.choices.all())


def engine_options(payload: dict, slugs: dict[str, str]) -> list[str]:
    """The engine's strategies as options, strongest first (`slugs`: name -> slug)."""
    found: list[str] = []
    for item in payload["recommendations"]:
        slug = slugs.get(item.get("strategy") or "")
        if slug and f"strategy:{slug}" not in found:
            found.append(f"strategy:{slug}")
    return found


def strategies_of(options: Iterable[str]) -> set[str]:
    return {option for option in options if option.startswith("strategy:")}


def board_agreement(options: Sequence[str], decision: BoardDecision | None) -> float | None:
    """Agreement with the board's decision; None when there is none yet, when it
    recommended nothing, or when the proposal has nothing scored."""
    if decision is None or not decision.options or not options:
        return None
    return average_overlap(list(options), decision.option_ids)


def engine_agreement(options: Sequence[str], engine: Sequence[str], unscored: bool) -> float | None:
    """Agreement with the engine; None when the proposal has nothing scored (`unscored`:
    it held only unmapped answers)."""
    if unscored:
        return None
    return jaccard(strategies_of(options), set(engine))
