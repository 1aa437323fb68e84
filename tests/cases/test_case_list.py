"""The case list page: the same filters as the API and the cohort page, kept while paging."""

import re

import pytest

from cases.services import case_create
from cases.views import CASES_PER_PAGE

pytestmark = pytest.mark.django_db


def _codes(html: str) -> list[str]:
    return re.findall(r">(TB-[0-9A-Z]{6})</a>", html)


def test_the_pager_keeps_every_filter(client, trainee, other_trainee, profile):
    mine_early = [
        case_create(data={**profile, "setting": "early"}, user=trainee).code
        for _ in range(CASES_PER_PAGE + 2)
    ]
    case_create(data={**profile, "setting": "early"}, user=other_trainee)
    case_create(data=profile, user=trainee)  # metastatic
    client.force_login(trainee)

    first = client.get("/cases/", {"setting": "early", "mine": "true"}).content.decode()
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "setting=early" in next_link and "mine=true" in next_link
    second = client.get("/cases/" + next_link).content.decode()

    assert sorted(_codes(first) + _codes(second)) == sorted(mine_early)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"setting": "early"}, {"early"}),
        ({"her2_status": "low"}, {"low"}),
        ({"trastuzumab_response": "naive"}, {"naive"}),
        ({"marker": "MUC4", "marker_result": "high"}, {"muc4"}),
    ],
)
def test_the_web_list_filters_as_the_api_does(client, trainee, profile, params, expected):
    cases = {
        "early": case_create(data={**profile, "setting": "early", "markers": {}}, user=trainee),
        "low": case_create(data={**profile, "her2_ihc": "1+", "markers": {}}, user=trainee),
        "naive": case_create(
            data={**profile, "trastuzumab_response": "naive", "markers": {}}, user=trainee
        ),
        "muc4": case_create(data={**profile, "markers": {"MUC4": "high"}}, user=trainee),
    }
    client.force_login(trainee)
    web = set(_codes(client.get("/cases/", params).content.decode()))
    api = {c["code"] for c in client.get("/api/v1/cases/", params).json()["results"]}
    assert web == api == {cases[name].code for name in expected}


def test_the_cohort_page_counts_only_the_filtered_stored_cases(client, trainee, profile):
    case_create(data={**profile, "setting": "early"}, user=trainee)
    case_create(data={**profile, "her2_ihc": "1+"}, user=trainee)
    client.force_login(trainee)
    page = client.get("/cohort/", {"her2_status": "low"}).content.decode()
    assert "1 case from stored cases" in page


def test_the_list_rows_show_each_case_in_words_with_every_value_escaped(trainee, profile):
    from cases.models import CaseProfile
    from cases.selectors import case_creator_names
    from cases.templatetags.case_rows import case_rows
    from tests.factories import user_create

    hostile = user_create("<b>x&y</b>", "trainee")
    mine = case_create(data=profile, user=trainee)
    equivocal = {"her2_ihc": "2+", "her2_ish": "not_done", "trastuzumab_response": "responding"}
    theirs = case_create(data={**profile, **equivocal, "setting": "neoadjuvant"}, user=hostile)
    anonymous = case_create(data=profile, user=None)
    cases = list(case_creator_names(CaseProfile.objects.order_by("pk")))
    rows = str(case_rows(cases, "/cases/"))

    assert rows.count("<tr>") == 3 and "<b>" not in rows
    assert "&lt;b&gt;x&amp;y&lt;/b&gt;" in rows
    assert f'<a href="/cases/{mine.code}/">{mine.code}</a>' in rows
    day = mine.updated_at.strftime("%Y-%m-%d")
    cells = re.findall(r"<tr>(.*?)</tr>", rows)
    assert re.findall(r"<td>(.*?)</td>", cells[0])[1:] == [
        "HER2-positive", "Metastatic", "Acquired resistance", "trainee1", day,
    ]  # fmt: skip
    assert theirs.code in cells[1]
    assert re.findall(r"<td>(.*?)</td>", cells[1])[1:4] == [
        "Indeterminate (ISH needed)", "Neoadjuvant", "Responding",
    ]  # fmt: skip
    assert f"{anonymous.code}</a></td>" in cells[2] and "<td>\u2014</td>" in cells[2]
    assert str(case_rows([], "/cases/")) == '<tr><td colspan="6">No cases match.</td></tr>'


def test_two_filters_at_once_each_use_their_own_request_and_data(
    trainee, other_trainee, profile, rf
):
    from cases.filtersets import CaseFilterSet
    from cases.models import CaseProfile

    mine = case_create(data={**profile, "markers": {"MUC4": "high"}}, user=trainee)
    case_create(data={**profile, "markers": {}}, user=trainee)
    theirs = case_create(data={**profile, "markers": {"MUC4": "high"}}, user=other_trainee)
    filtersets = []
    for user in (trainee, other_trainee):
        request = rf.get("/cases/")
        request.user = user
        filtersets.append(
            CaseFilterSet(
                {"mine": "true", "marker": "MUC4"},
                queryset=CaseProfile.objects.all(),
                request=request,
            )
        )
    first, second = filtersets
    assert list(second.qs) == [theirs] and list(first.qs) == [mine]
    for filterset in filtersets:  # each its own copies, methods bound to them
        for name in ("mine", "marker", "setting"):
            copied = filterset.filters[name]
            assert copied is not CaseFilterSet.base_filters[name]
            assert copied.parent is filterset
        assert filterset.filters["mine"].filter.f is filterset.filters["mine"]
    assert first.form.fields["setting"] is not second.form.fields["setting"]
