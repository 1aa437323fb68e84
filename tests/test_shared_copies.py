"""tests/data/shared holds verbatim copies of ../shared inputs the suite reads (FHIR examples,
the de-identification dev corpus, the review itself), so a clone runs its tests alone.
Where ../shared is present, the copies must still be identical to it."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COPIES = ROOT / "tests" / "data" / "shared"
SHARED = ROOT.parent / "shared"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not next to this clone")
@pytest.mark.parametrize("folder", ["fhir-examples", "deid", "seeds"])
def test_copies_of_shared_inputs_are_verbatim(folder):
    originals = {p.name: p.read_bytes() for p in (SHARED / folder).iterdir() if p.is_file()}
    copies = {p.name: p.read_bytes() for p in (COPIES / folder).iterdir() if p.is_file()}
    if folder == "deid":
        originals = {k: v for k, v in originals.items() if k == "dev-corpus.json"}
    assert copies == originals
