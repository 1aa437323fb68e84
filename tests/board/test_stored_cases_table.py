"""Stored cases read as a table in one pass (cases.table_db) hold exactly the cells the
case-by-case path made, and the cohort dashboard over them is the same, on SQLite and on
PostgreSQL (COPY)."""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.cohort import cases_frame, cohort_dashboard
from cases.models import CaseProfile
from cases.services import case_create
from cases.table_db import cases_table_read
from cases.tabular import frame_clean, frame_from_profiles
from rules.knowledge_base import knowledge_base_published
from tests.factories import profiles

pytestmark = pytest.mark.django_db


def _case_by_case(queryset, codes) -> pd.DataFrame:
    cases = list(queryset.order_by("id"))
    frame = frame_from_profiles([case.as_profile() for case in cases], marker_codes=codes)
    return frame.drop(columns=["notes"])


SLOW_FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=15, deadline=None, suppress_health_check=SLOW_FIXTURES)
@given(data=st.data())
def test_the_table_holds_the_cells_of_the_case_by_case_path(data, trainee):
    kb = knowledge_base_published()
    CaseProfile.objects.all().delete()
    for profile in data.draw(st.lists(profiles(kb.marker_scales), min_size=1, max_size=6)):
        case_create(data={**profile, "notes": ""}, user=trainee)
    codes = sorted(kb.marker_scales)
    queryset = CaseProfile.objects.all()
    read = cases_table_read(queryset=queryset, marker_codes=codes)
    expected = _case_by_case(queryset, codes)
    # Same cells; the row order of a dashboard's table does not matter.
    key = list(expected.columns)
    read = read.astype(str).sort_values(key).reset_index(drop=True)
    expected = expected.astype(str).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(read[key], expected, check_dtype=False)


def test_the_dashboard_over_stored_cases_is_the_case_by_case_dashboard(trainee):
    from tests.factories import CONTRACT_EXAMPLE

    kb = knowledge_base_published()
    variants = [
        {},
        {"her2_ihc": "0", "her2_ish": "not_done", "markers": {}},
        {"prior_therapies": [], "brain_metastases": True, "her2_positive_fraction": 40},
        {"setting": "early", "trastuzumab_response": "naive", "markers": {"MUC4": "low"}},
    ]
    for changes in variants:
        case_create(data={**CONTRACT_EXAMPLE, **changes}, user=trainee)
    queryset = CaseProfile.objects.filter(setting__in=["metastatic", "early"])
    codes = sorted(kb.marker_scales)
    old, _ = frame_clean(_case_by_case(queryset, codes), marker_scales=kb.marker_scales)
    assert cohort_dashboard(cases_frame(queryset, knowledge_base=kb), knowledge_base=kb) == (
        cohort_dashboard(old, knowledge_base=kb)
    )
    assert (
        cohort_dashboard(cases_frame(queryset, knowledge_base=kb), knowledge_base=kb)["total"]
        == queryset.count()
    )
