"""The bulk import (COPY on PostgreSQL) stores what the one-by-one path stores: the same
case values and the same "+" history rows, and one audit line for the whole import."""

import io
import logging

import pandas as pd
import pytest
from django.forms.models import model_to_dict

from cases.models import CaseProfile
from cases.services import case_create, cases_import
from cases.tabular import frame_from_profiles
from tests.factories import CONTRACT_EXAMPLE

pytestmark = pytest.mark.django_db

PROFILES = [
    CONTRACT_EXAMPLE,
    {**CONTRACT_EXAMPLE, "her2_ihc": "2+", "her2_ish": "amplified", "markers": {},
     "prior_therapies": [], "her2_positive_fraction": 40, "notes": "progressed at 14 months"},
    {**CONTRACT_EXAMPLE, "setting": "neoadjuvant", "trastuzumab_response": "responding",
     "her2_ihc": "1+", "age_band": None, "brain_metastases": True},
]  # fmt: skip
IGNORED = {"id", "code", "created_at", "updated_at"}
HISTORY_IGNORED = IGNORED | {"history_id", "history_date", "history_change_reason"}


def _values(queryset, ignored) -> list[dict]:
    rows = [
        {k: v for k, v in model_to_dict(obj, fields=None).items() if k not in ignored}
        | {"created_by": obj.created_by_id}
        | ({"history_type": obj.history_type, "history_user": obj.history_user_id}
           if hasattr(obj, "history_type") else {})
        for obj in queryset
    ]  # fmt: skip
    return sorted(rows, key=repr)


def test_a_bulk_import_stores_what_one_by_one_creation_stores(trainee, caplog):
    from cases.profile import profile_clean
    from cases.selectors import marker_scales_get

    scales = marker_scales_get()
    clean = [profile_clean(data=p, marker_scales=scales) for p in PROFILES]
    for profile in clean:
        case_create(data=profile, user=trainee)
    one_by_one = _values(CaseProfile.objects.all(), IGNORED)
    history_one = _values(CaseProfile.history.all(), HISTORY_IGNORED)
    CaseProfile.objects.all().delete()
    CaseProfile.history.all().delete()  # with the deletions' own history rows

    frame = frame_from_profiles(clean, marker_codes=sorted(scales))
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    read = pd.read_csv(io.StringIO(buffer.getvalue()), dtype=str, keep_default_na=False)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="her2board.audit"):
        assert cases_import(frame=read, user=trainee) == len(PROFILES)
    assert _values(CaseProfile.objects.all(), IGNORED) == one_by_one
    # Outside a request, one-by-one creation records no history user; the import records
    # the importing user, as a web write does.
    history = _values(CaseProfile.history.all(), HISTORY_IGNORED)
    assert {row.pop("history_user") for row in history} == {trainee.pk}
    assert history == [{k: v for k, v in row.items() if k != "history_user"} for row in history_one]
    assert set(CaseProfile.history.values_list("history_change_reason", flat=True)) == {
        "Imported from a table"
    }
    lines = [r.getMessage() for r in caplog.records if r.name == "her2board.audit"]
    assert lines == [f"import model=cases.caseprofile rows={len(PROFILES)} user=trainee1"]
    codes = list(CaseProfile.objects.values_list("code", flat=True))
    assert len(set(codes)) == len(codes) and all(code.startswith("TB-") for code in codes)


def test_imported_ids_and_codes_do_not_collide_with_stored_cases(trainee):
    first = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    frame = frame_from_profiles(
        [first.as_profile()] * 5, marker_codes=sorted(first.as_profile()["markers"])
    )
    cases_import(frame=frame.astype(str).replace("None", ""), user=trainee)
    later = case_create(data=CONTRACT_EXAMPLE, user=trainee)  # the sequence moved on
    ids = list(CaseProfile.objects.values_list("id", flat=True))
    assert len(ids) == len(set(ids)) == 7 and later.pk == max(ids)


def test_case_codes_draw_every_letter_alike_and_nothing_else():
    from collections import Counter

    from cases.services import CODE_ALPHABET, CODE_LENGTH, case_code_generate

    codes = [case_code_generate() for _ in range(6000)]
    assert all(c.startswith("TB-") and len(c) == 3 + CODE_LENGTH for c in codes)
    letters = Counter("".join(c.removeprefix("TB-") for c in codes))
    assert set(letters) == set(CODE_ALPHABET)
    # 36,000 letters, 1,125 expected each (standard deviation ~33): a letter drawn twice
    # as often, or never, is far outside these bounds.
    assert all(900 < n < 1350 for n in letters.values()), letters
