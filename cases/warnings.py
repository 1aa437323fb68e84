"""Profile warnings: profiles that are valid but clinically contradictory.

A warning names the fields it reads and says what to re-check. It never blocks saving or
evaluation (../shared/spec/case-profile.md, third version, `profile_warnings`): a board
may have reasons the form cannot know. Django-free, like the rest of the contract; the
messages are in English (the payload's), marked for a page to translate.
"""

from collections.abc import Callable, Mapping
from typing import Any

from cases.contract import N_

Profile = Mapping[str, Any]
ADCS = ("t_dm1", "t_dxd")
RESISTANT = ("primary_resistance", "acquired_resistance")


def _hormone_negative(profile: Profile) -> bool:
    return profile["er"] == "negative" and profile["pr"] == "negative"


# (fields it reads, whether it applies, the message), in the contract's field order.
CHECKS: tuple[tuple[tuple[str, ...], Callable[[Profile], bool], str], ...] = (
    (
        ("trastuzumab_response", "prior_therapies"),
        lambda p: p["trastuzumab_response"] == "naive" and "trastuzumab" in p["prior_therapies"],
        N_(
            "The response is trastuzumab-naive, but trastuzumab is among prior therapies. "
            "Re-check one of the two."
        ),
    ),
    (
        ("trastuzumab_response", "prior_therapies"),
        lambda p: (
            p["trastuzumab_response"] != "naive"
            and not {"trastuzumab", *ADCS} & set(p["prior_therapies"])
        ),
        N_(
            "A response to trastuzumab is given, but neither trastuzumab nor a trastuzumab "
            "conjugate (T-DM1, T-DXd) is among prior therapies."
        ),
    ),
    (
        ("setting", "trastuzumab_response", "prior_therapies"),
        lambda p: (
            p["setting"] in ("early", "neoadjuvant")
            and p["trastuzumab_response"] == "acquired_resistance"
            and bool(set(ADCS) & set(p["prior_therapies"]))
        ),
        N_(
            "Acquired resistance after an antibody-drug conjugate in an early or neoadjuvant "
            "setting: such a history usually means recurrent or metastatic disease. Re-check "
            "the setting."
        ),
    ),
    (
        ("setting", "prior_therapies"),
        lambda p: p["setting"] == "residual_disease" and not p["prior_therapies"],
        N_(
            "Residual disease is residual invasive disease after neoadjuvant therapy, but no "
            "prior therapy is listed."
        ),
    ),
    (
        ("setting", "brain_metastases"),
        lambda p: p["brain_metastases"] and p["setting"] != "metastatic",
        N_("Brain metastases are metastatic disease, but the setting is not metastatic."),
    ),
    (
        ("prior_therapies", "er", "pr"),
        lambda p: _hormone_negative(p) and "endocrine" in p["prior_therapies"],
        N_(
            "Endocrine therapy is among prior therapies, but ER and PR are both negative. "
            "Re-check the receptors or the therapies."
        ),
    ),
    (
        ("prior_therapies", "er", "pr"),
        lambda p: _hormone_negative(p) and "cdk46_inhibitor" in p["prior_therapies"],
        N_(
            "A CDK4/6 inhibitor is among prior therapies, but ER and PR are both negative. "
            "Re-check the receptors or the therapies."
        ),
    ),
    (
        ("her2_ihc", "her2_ish"),
        lambda p: p["her2_ihc"] == "0" and p["her2_ish"] == "amplified",
        N_(
            "IHC 0 with amplified ISH is a discordance: re-check both results (the profile is "
            "read as HER2-positive, from ISH)."
        ),
    ),
    (
        ("her2_ihc", "her2_positive_fraction"),
        lambda p: p["her2_ihc"] == "3+" and p.get("her2_positive_fraction") == 0,
        N_("IHC 3+ with no HER2-positive tumour cells: re-check the fraction."),
    ),
)


def profile_warnings(profile: Profile) -> list[dict[str, Any]]:
    """The contradictions a clinician would flag in a clean profile (empty when none)."""
    return [
        {"fields": list(fields), "message": message}
        for fields, applies, message in CHECKS
        if applies(profile)
    ]
