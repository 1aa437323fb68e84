"""Stored rule examples: each lists only what differs from this baseline profile."""

from collections.abc import Mapping
from typing import Any

# A HER2-positive metastatic breast case with acquired resistance and nothing else known:
# few rules fire on it, so an example states just the facts that matter to its rule.
EXAMPLE_BASELINE: dict[str, Any] = {
    "tumour_site": "breast",
    "setting": "metastatic",
    "trastuzumab_response": "acquired_resistance",
    "prior_therapies": ["trastuzumab"],
    "brain_metastases": False,
    "her2_ihc": "3+",
    "her2_ish": "not_done",
    "her2_heterogeneity": "unknown",
    "er": "negative",
    "pr": "negative",
    "pik3ca": "unknown",
    "pten": "unknown",
    "markers": {},
}


def example_profile(example: Mapping[str, Any]) -> dict[str, Any]:
    """The full (unvalidated) profile of a stored example."""
    return {**EXAMPLE_BASELINE, **example["profile"]}
