"""Queries compiled once (core.queries.raw_compiled): the rows are those of the queryset
for every value, on SQLite and PostgreSQL; a value the compiler changes is refused."""

import pytest
from django.db.models import F

from cases.models import CaseProfile
from cases.selectors import case_get
from cases.services import case_create
from core.queries import raw_compiled
from tests.factories import CONTRACT_EXAMPLE

pytestmark = pytest.mark.django_db


def _cases(*, setting: str, created_by: int):
    return (
        CaseProfile.objects.filter(setting=setting, created_by_id=created_by)
        .annotate(author=F("created_by__username"))
        .order_by("id")
    )


def test_each_call_gives_the_querysets_rows_for_its_own_values(trainee, other_trainee):
    made = {
        (user.pk, setting): [
            case_create(data={**CONTRACT_EXAMPLE, "setting": setting}, user=user).pk
            for _ in range(2)
        ]
        for user in (trainee, other_trainee)
        for setting in ("metastatic", "early")
    }
    for (user_pk, setting), expected in made.items():
        rows = list(raw_compiled(_cases, setting=setting, created_by=user_pk))
        assert [row.pk for row in rows] == expected
        assert [row.pk for row in _cases(setting=setting, created_by=user_pk)] == expected
        assert {row.author for row in rows} == {"trainee1" if user_pk == trainee.pk else "trainee2"}
    assert list(raw_compiled(_cases, setting="early", created_by=10**9)) == []


def test_a_case_is_found_by_its_code_with_every_field(trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    found = case_get(code=case.code)
    fields = [field.attname for field in CaseProfile._meta.concrete_fields]
    assert [getattr(found, name) for name in fields] == [getattr(case, name) for name in fields]
    assert case_get(code="TB-NOSUCH") is None
    assert case_get(code="'; DROP TABLE cases_caseprofile; --") is None


def _pattern(*, text: str):
    return CaseProfile.objects.filter(code__contains=text)


def test_a_value_the_compiler_changes_is_refused():
    with pytest.raises(ValueError, match="not a plain parameter"):
        raw_compiled(_pattern, text="TB")
