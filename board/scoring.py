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
from dataclasses import dataclass

from board.models import BoardDecision, ProposalChoice
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


@dataclass(frozen=True, slots=True)
class ProposalFacts:
    """What scoring needs of a proposal, read as plain values (not model instances: a
    progress page reads tens of thousands)."""

    pk: int
    session_id: int
    case_id: int
    trainee: str
    evidence_guess: str
    after_reveal: bool
    options: tuple[str, ...]  # its scored options, best first (unmapped "Other" left out)
    first: str | None  # its first choice's option, None if that is an unmapped "Other"
    unmapped: int


def proposal_facts(proposals) -> list[ProposalFacts]:
    """ProposalFacts for a queryset of proposals, in its order, in two queries."""
    rows = list(
        proposals.values_list(
            "pk", "session_id", "case_id", "trainee__username", "evidence_guess", "after_reveal"
        )
    )
    choices: dict[int, list[str | None]] = {}
    found = (
        ProposalChoice.objects.filter(proposal__in=proposals.values("pk"))
        .order_by("proposal_id", "rank")
        .values_list("proposal_id", "strategy__slug", "standard", "mapped_option")
    )
    for proposal_id, slug, standard, mapped in found:
        option = choice_option_id(strategy_slug=slug, standard=standard, mapped=mapped)
        choices.setdefault(proposal_id, []).append(option)
    facts = []
    for pk, session_id, case_id, trainee, guess, after_reveal in rows:
        ranked = choices.get(pk, [])
        options = tuple(option for option in ranked if option is not None)
        facts.append(
            ProposalFacts(
                pk, session_id, case_id, trainee, guess, after_reveal, options,
                ranked[0] if ranked else None, len(ranked) - len(options),
            )
        )  # fmt: skip
    return facts
