"""HER2 status derivation: the contract's table, as one pure function (no Django).

ASCO/CAP 2018 (affirmed 2023) bins positive vs negative; the low/ultralow split of
HER2-negative disease is trial-defined (DESTINY-Breast04 and -06), and ASCO/CAP calls it
premature as a category. HER2_STATUS_SOURCES says where each label comes from.
"""

from cases.contract import N_

# In English (payloads read them); marked for a page to translate.
HER2_STATUS_SOURCES: dict[str, str] = {
    "positive": N_("ASCO/CAP 2018 (affirmed 2023): HER2-positive."),
    "indeterminate": N_("ASCO/CAP 2018: IHC 2+ is equivocal until ISH is resulted."),
    "low": N_(
        "Trial-defined (DESTINY-Breast04; T-DXd label): HER2-low within ASCO/CAP "
        "HER2-negative. ASCO/CAP calls this category premature."
    ),
    "ultralow": N_(
        "Trial-defined (DESTINY-Breast06): HER2-ultralow within ASCO/CAP HER2-negative. "
        "ASCO/CAP calls this category premature."
    ),
    "zero": N_("ASCO/CAP 2018: HER2-negative, IHC 0 (outside the review's scope)."),
}


def her2_status_derive(*, ihc: str, ish: str) -> str:
    """Return the contract's her2_status for an IHC score and an ISH result."""
    if ish == "amplified" or ihc == "3+":
        return "positive"
    if ihc == "2+":
        return "low" if ish == "not_amplified" else "indeterminate"
    if ihc == "1+":
        return "low"
    if ihc == ">0<1+":
        return "ultralow"
    if ihc == "0":
        return "zero"
    raise ValueError(f"her2_ihc {ihc!r} is not one of the contract's values")
