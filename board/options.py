"""One vocabulary of options: every option a trainee, an educator (recording the board) or
the engine can name has one id, so the same treatment from two lists is one option.

- `strategy:<slug>`: a strategy of the knowledge base (what the engine suggests);
- `standard:<code>`: a standard-of-care regimen (board.choices.StandardOfCare), unless it
  is the same treatment as a strategy: then its id is the strategy's (T-DXd from either
  list is one option);
- `no-change`: continue the current therapy;
- `trial`: a clinical trial (named in free text, screened for identifiers);
- `new-idea`: an "Other" answer the educator judged to be none of these.

An "Other" answer has no id until the educator maps it (board.decisions.choice_map); until
then it counts neither as agreement nor as disagreement.
"""

from dataclasses import dataclass

from board.choices import StandardOfCare

NO_CHANGE = "no-change"
TRIAL = "trial"
NEW_IDEA = "new-idea"

# Standard-of-care regimens that are the same treatment as a strategy of the review.
STANDARD_SAME_AS = {
    StandardOfCare.T_DXD: "t-dxd",
    StandardOfCare.T_DM1: "t-dm1-metastatic",
    StandardOfCare.ENDOCRINE_ANTI_HER2: "endocrine-anti-her2",
    StandardOfCare.KATHERINE_T_DM1: "t-dm1-residual-disease",
}
STANDARD_SPECIAL = {
    StandardOfCare.CONTINUE_TRASTUZUMAB: NO_CHANGE,
    StandardOfCare.CLINICAL_TRIAL: TRIAL,
}
# Where the review itself mentions a regimen (its own words, paragraphs 164 and 172, and
# the bibliography); the others are standard of care it does not discuss.
STANDARD_IN_REVIEW = {
    StandardOfCare.T_DXD: "approved, the review says (Lee et al., 2022; Modi et al., 2022)",
    StandardOfCare.T_DM1: "approved in 2013 for metastatic disease, the review says",
    StandardOfCare.KATHERINE_T_DM1: "the phase III KATHERINE study (Huang et al., 2021)",
    StandardOfCare.ENDOCRINE_ANTI_HER2: "a strategy of the review",
    StandardOfCare.TRASTUZUMAB_PERTUZUMAB_CHEMO: (
        "named in the title of a trial in the review's bibliography (KRISTINE, Hurvitz et al., "
        "2018); the review does not discuss the regimen itself"
    ),
}


def standard_option_id(code: str) -> str:
    """The option a standard-of-care code stands for."""
    if code in STANDARD_SAME_AS:
        return f"strategy:{STANDARD_SAME_AS[code]}"
    return STANDARD_SPECIAL.get(code, f"standard:{code}")


def choice_option_id(*, strategy_slug: str | None, standard: str, mapped: str) -> str | None:
    """A ranked choice's option: its strategy, its standard-of-care code, or (for "Other")
    what the educator mapped it to; None while an "Other" answer is unmapped."""
    if strategy_slug:
        return f"strategy:{strategy_slug}"
    if standard:
        return standard_option_id(standard)
    return mapped or None


@dataclass(frozen=True)
class OptionEntry:
    """One item of a list a user picks from, and the option it stands for."""

    id: str
    choose_as: str  # what a form or the API sends: "strategy:<slug>" or "standard:<code>"
    label: str
    kind: str  # strategy, standard, no_change, trial
    in_review: bool
    review_note: str = ""


def options_list(*, strategies) -> list[OptionEntry]:
    """Every option that can be chosen: the knowledge base's strategies (`strategies`:
    slug and name pairs), then the standard-of-care list. Two entries with one `id` are
    one option (T-DXd from either list)."""
    entries = [
        OptionEntry(
            id=f"strategy:{slug}",
            choose_as=f"strategy:{slug}",
            label=name,
            kind="strategy",
            in_review=True,
            review_note="a strategy of the review",
        )
        for slug, name in strategies
    ]
    for code, label in StandardOfCare.choices:
        option = standard_option_id(code)
        entries.append(
            OptionEntry(
                id=option,
                choose_as=f"standard:{code}",
                label=label,
                kind="strategy"
                if option.startswith("strategy:")
                else {NO_CHANGE: "no_change", TRIAL: "trial"}.get(option, "standard"),
                in_review=code in STANDARD_IN_REVIEW,
                review_note=STANDARD_IN_REVIEW.get(code, ""),
            )
        )
    return entries


def mapping_targets(*, strategies) -> dict[str, str]:
    """What an "Other" answer may be mapped to: option id -> label (one label per id)."""
    targets: dict[str, str] = {}
    for entry in options_list(strategies=strategies):
        targets.setdefault(entry.id, entry.label)
    targets[NEW_IDEA] = "A new idea: none of the listed options"
    return targets
