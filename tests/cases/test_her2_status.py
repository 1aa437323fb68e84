"""The contract's HER2 table, row by row, over every IHC x ISH combination."""

import itertools

import pytest

from cases.choices import Her2Ihc, Her2Ish
from cases.her2 import HER2_STATUS_SOURCES, her2_status_derive

IHC = ["0", ">0<1+", "1+", "2+", "3+"]
ISH = ["amplified", "not_amplified", "equivocal", "not_done"]

# (ihc, ish) -> status, written out from the contract's table rather than computed.
EXPECTED = {
    # any | amplified -> positive
    **{(ihc, "amplified"): "positive" for ihc in IHC},
    # 3+ | anything but amplified -> positive
    ("3+", "not_amplified"): "positive",
    ("3+", "equivocal"): "positive",
    ("3+", "not_done"): "positive",
    # 2+ | not_amplified -> low; equivocal or not_done -> indeterminate
    ("2+", "not_amplified"): "low",
    ("2+", "equivocal"): "indeterminate",
    ("2+", "not_done"): "indeterminate",
    # 1+ | not amplified -> low
    ("1+", "not_amplified"): "low",
    ("1+", "equivocal"): "low",
    ("1+", "not_done"): "low",
    # >0<1+ | not amplified -> ultralow
    (">0<1+", "not_amplified"): "ultralow",
    (">0<1+", "equivocal"): "ultralow",
    (">0<1+", "not_done"): "ultralow",
    # 0 | not amplified -> zero
    ("0", "not_amplified"): "zero",
    ("0", "equivocal"): "zero",
    ("0", "not_done"): "zero",
}


def test_expected_table_covers_every_combination_of_the_contract_values():
    assert set(EXPECTED) == set(itertools.product(Her2Ihc.values, Her2Ish.values))


@pytest.mark.parametrize(("ihc", "ish"), sorted(EXPECTED))
def test_her2_status_follows_the_contract_table(ihc, ish):
    assert her2_status_derive(ihc=ihc, ish=ish) == EXPECTED[(ihc, ish)]


def test_every_status_says_where_its_label_comes_from():
    assert "DESTINY-Breast04" in HER2_STATUS_SOURCES["low"]
    assert "DESTINY-Breast06" in HER2_STATUS_SOURCES["ultralow"]
    assert "ASCO/CAP" in HER2_STATUS_SOURCES["positive"]
    assert set(HER2_STATUS_SOURCES) == set(EXPECTED.values())


def test_an_ihc_score_outside_the_contract_is_an_error():
    with pytest.raises(ValueError):
        her2_status_derive(ihc="4+", ish="not_done")
