"""The web case list numbers pages over at most LIST_CAP matches and says when more match,
counting no further (a million stored cases must not be counted for every page)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.services import case_create
from tests.factories import CONTRACT_EXAMPLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_cases(trainee):
    return [case_create(data=CONTRACT_EXAMPLE, user=trainee) for _ in range(7)]


def test_more_matches_than_the_cap_are_listed_newest_first_with_a_note(
    client, trainee, seven_cases, monkeypatch
):
    monkeypatch.setattr("core.paginator.LIST_CAP", 5)
    monkeypatch.setattr("cases.views.CASES_PER_PAGE", 2)
    client.force_login(trainee)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/cases/").content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 6" in counts[0]
    assert "More than 5 cases match: the newest 5 are listed." in first
    assert "Page 1 of 3" in first
    newest = list(reversed(seven_cases))
    assert newest[0].code in first and newest[2].code not in first
    last = client.get("/cases/?page=3").content.decode()
    assert newest[4].code in last and newest[5].code not in last


def test_fewer_matches_than_the_cap_are_all_paged_without_a_note(
    client, trainee, seven_cases, monkeypatch
):
    monkeypatch.setattr("cases.views.CASES_PER_PAGE", 2)
    client.force_login(trainee)
    page = client.get("/cases/").content.decode()
    assert "Page 1 of 4" in page and "More than" not in page
    # Stored values in words, each case linked to its page.
    assert "<td>HER2-positive</td>" in page and "<td>Metastatic</td>" in page
    assert f'href="/cases/{seven_cases[-1].code}/"' in page
    assert seven_cases[0].code in client.get("/cases/?page=4").content.decode()
