"""The demo `make run` loads (fictional cases, a ready session, local logins that work only
with DEBUG on) and the home page a newcomer lands on."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from board.management.commands.demo_load import DEMO_PASSWORD, EDUCATOR, SESSION_TITLE, TRAINEES
from board.models import BoardSession
from cases.models import CaseProfile
from cases.services import case_create
from tests.factories import CONTRACT_EXAMPLE

pytestmark = pytest.mark.django_db


def test_make_run_loads_the_demo_unless_demo_is_0():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:") : makefile.index("\ndemo:")]
    assert re.search(r'if \[ "\$\(DEMO\)" != "0" \]; then .*manage\.py demo_load', run)


def test_the_demo_is_a_ready_session_with_an_educator_and_two_trainees(capsys):
    call_command("demo_load")
    call_command("demo_load")  # a second run changes nothing
    session = BoardSession.objects.get(title=SESSION_TITLE)
    assert session.educator.get_username() == EDUCATOR and session.is_open
    cases = CaseProfile.objects.filter(created_by__username="demo")
    assert set(session.cases.all()) == set(cases) and cases.count() == 3
    assert all(case.notes.startswith("Fictional teaching case") for case in cases)
    out = capsys.readouterr().out
    assert all(name in out for name in (EDUCATOR, *TRAINEES)) and DEMO_PASSWORD in out
    assert "DEBUG is off: the demo logins will not sign in." in out


def test_demo_logins_work_only_with_debug_on(client, api_client, settings):
    call_command("demo_load")
    login = {"username": TRAINEES[0], "password": DEMO_PASSWORD}
    settings.DEBUG = False
    client.post("/accounts/login/", login)
    assert "_auth_user_id" not in client.session
    assert api_client.post("/api/v1/token/", login, format="json").status_code == 400
    settings.DEBUG = True
    client.post("/accounts/login/", login)
    assert "_auth_user_id" in client.session
    token = api_client.post("/api/v1/token/", login, format="json").json()["token"]
    settings.DEBUG = False
    assert client.get("/sessions/").status_code == 302  # the session no longer holds
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/markers/").status_code == 401


def test_a_newcomer_sees_where_to_start_and_what_each_recent_case_is(client, trainee):
    call_command("demo_load")
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    client.force_login(trainee)
    page = client.get("/").content.decode()
    assert "Where to start" in page and 'href="/knowledge/"' in page
    assert 'href="/sessions/"' in page
    demo_case = CaseProfile.objects.filter(created_by__username="demo").first()
    assert f'href="{demo_case.get_absolute_url()}"' in page
    row = re.search(rf"{case.code}</a> — (.*?)</li>", page).group(1)
    assert case.created_at.strftime("%Y-%m-%d") in row
    assert "Metastatic" in row and "HER2-positive" in row
    assert re.search(r"\d+ suggestions", row)


def test_the_home_page_shows_no_count_for_a_case_with_a_proposal_due(client, educator, trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    session = BoardSession.objects.create(title="Week 9", educator=educator)
    session.sessioncase_set.create(case=case)
    client.force_login(trainee)
    row = re.search(rf"{case.code}</a> — (.*?)</li>", client.get("/").content.decode()).group(1)
    assert "your proposal is due first" in row and "suggestion" not in row


def test_the_demo_has_a_decided_session_to_try_the_summary_progress_and_reveal(client, settings):
    from board.management.commands.demo_load import DECIDED_TITLE
    from board.models import BoardDecision, BoardSession, CaseOutcome

    call_command("demo_load")
    call_command("demo_load")  # a second run changes nothing
    decided = BoardSession.objects.get(title=DECIDED_TITLE)
    assert not decided.is_open and decided.proposals.count() == 6
    assert BoardDecision.objects.filter(session=decided).count() == 1
    assert CaseOutcome.objects.count() == 1
    settings.DEBUG = True
    client.post("/accounts/login/", {"username": "demo-educator", "password": DEMO_PASSWORD})
    summary = client.get(f"/sessions/{decided.pk}/summary/")
    assert summary.status_code == 200 and summary.context["unmapped"] == 1
    participants = summary.context["trainees"]
    assert [row["trainee"] for row in participants] == list(TRAINEES)  # not the "demo" curator
    client.post("/accounts/login/", {"username": TRAINEES[0], "password": DEMO_PASSWORD})
    case = decided.cases.order_by("sessioncase__position").first()
    reveal = client.get(f"/sessions/{decided.pk}/cases/{case.code}/")
    assert reveal.context["board_agreement"] == pytest.approx(0.75)  # T-DXd first, as the board
    assert "What happened" in reveal.content.decode()
    assert client.get("/progress/").status_code == 200
