"""The site shell: every page carries the research-use notice; case pages need a login."""

import re

import pytest

from cases.services import case_create

pytestmark = pytest.mark.django_db


def test_the_home_page_carries_the_disclaimer(client):
    page = client.get("/").content.decode()
    assert "Not for clinical use." in page
    assert "Research and training use only" in page


def test_health_answers_ok_without_a_login(client):
    assert client.get("/health/").json() == {"status": "ok"}


def test_a_case_page_needs_a_login(client, profile):
    case = case_create(data=profile)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 302


def test_a_signed_in_user_sees_a_case_and_where_its_her2_label_comes_from(client, trainee, profile):
    case = case_create(data={**profile, "her2_ihc": "1+"}, user=trainee)
    client.force_login(trainee)
    page = client.get(case.get_absolute_url()).content.decode()
    assert case.code in page
    assert "DESTINY-Breast04" in page
    assert "Research and training use only" in page
    home = client.get("/").content.decode()
    assert case.code in home


def test_an_unknown_case_code_is_404(client, trainee):
    client.force_login(trainee)
    assert client.get("/cases/TB-NOPE00/").status_code == 404


@pytest.mark.parametrize("prefix", ["/", "/board/"])
def test_the_header_links_where_each_page_is_under_any_script_prefix(client, staff, prefix):
    from django.test.utils import override_script_prefix
    from django.urls import reverse

    header = ["home", "case-list", "case-new", "knowledge", "session-list", "cohort",
              "account-token", "admin:index", "login", "logout"]  # fmt: skip

    def links(page: str) -> set[str]:
        return set(re.findall(r'(?:href|action)="([^"?#]*)', page))

    with override_script_prefix(prefix):
        anonymous = links(client.get("/").content.decode())
        client.force_login(staff)
        signed_in = links(client.get("/cases/").content.decode())
        expected = {name: reverse(name) for name in header}
    assert all(url.startswith(prefix) for url in expected.values())
    assert expected["login"] in anonymous
    for name, url in expected.items():
        if name != "login":
            assert url in signed_in, name
