"""HER2 status derivation: the contract's table, as one pure function.

ASCO/CAP 2018 (affirmed 2023) bins positive vs negative; the low/ultralow split of
HER2-negative disease is trial-defined (DESTINY-Breast04 and -06), and ASCO/CAP calls it
premature as a category. HER2_STATUS_SOURCES says where each label comes from.
"""

from cases.choices import Her2Ihc, Her2Ish, Her2Status

HER2_STATUS_SOURCES: dict[str, str] = {
    Her2Status.POSITIVE: "ASCO/CAP 2018 (affirmed 2023): HER2-positive.",
    Her2Status.INDETERMINATE: "ASCO/CAP 2018: IHC 2+ is equivocal until ISH is resulted.",
    Her2Status.LOW: (
        "Trial-defined (DESTINY-Breast04; T-DXd label): HER2-low within ASCO/CAP "
        "HER2-negative. ASCO/CAP calls this category premature."
    ),
    Her2Status.ULTRALOW: (
        "Trial-defined (DESTINY-Breast06): HER2-ultralow within ASCO/CAP HER2-negative. "
        "ASCO/CAP calls this category premature."
    ),
    Her2Status.ZERO: "ASCO/CAP 2018: HER2-negative, IHC 0 (outside the review's scope).",
}


def her2_status_derive(*, ihc: str, ish: str) -> str:
    """Return the contract's her2_status for an IHC score and an ISH result."""
    if ish == Her2Ish.AMPLIFIED or ihc == Her2Ihc.THREE:
        return Her2Status.POSITIVE.value
    if ihc == Her2Ihc.TWO:
        if ish == Her2Ish.NOT_AMPLIFIED:
            return Her2Status.LOW.value
        return Her2Status.INDETERMINATE.value
    if ihc == Her2Ihc.ONE:
        return Her2Status.LOW.value
    if ihc == Her2Ihc.ULTRALOW:
        return Her2Status.ULTRALOW.value
    if ihc == Her2Ihc.ZERO:
        return Her2Status.ZERO.value
    raise ValueError(f"her2_ihc {ihc!r} is not one of the contract's values")
