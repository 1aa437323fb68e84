"""The teaching API (issue #31, section 8): options, the board's decision, mappings,
outcomes, a session's summary and a trainee's progress, each checking who may and what
it accepts."""

import pytest

from board.models import BoardSession, ProposalChoice
from cases.services import case_create
from tests.factories import CONTRACT_EXAMPLE, proposal_post, token_client

pytestmark = pytest.mark.django_db

T_DXD = "strategy:t-dxd"
DECISION = {"options": [{"option": T_DXD, "evidence_grade": "approved_indication"}]}


@pytest.fixture
def session(educator):
    session = BoardSession.objects.create(title="API week", educator=educator)
    case = case_create(data=CONTRACT_EXAMPLE, user=educator)
    session.sessioncase_set.create(case=case, position=0)
    return session


@pytest.fixture
def case(session):
    return session.cases.get()


def _url(session, case, tail):
    return f"/api/v1/sessions/{session.pk}/cases/{case.code}/{tail}/"


def test_the_options_list_gives_one_id_to_one_treatment_from_either_list(trainee):
    options = token_client(trainee).get("/api/v1/options/").json()
    t_dxd = [o for o in options if o["id"] == T_DXD]
    assert {o["choose_as"] for o in t_dxd} == {T_DXD, "standard:t-dxd"}
    tucatinib = next(o for o in options if o["choose_as"].startswith("standard:tucatinib"))
    assert tucatinib["in_review"] is False and tucatinib["kind"] == "standard"
    assert any(o["id"] == "no-change" for o in options) and any(o["id"] == "trial" for o in options)


def test_the_decision_waits_for_the_lock_and_the_educator_and_refuses_a_stale_version(
    client, session, case, educator, trainee
):
    api = token_client(educator)
    early = api.put(_url(session, case, "decision"), DECISION, format="json")
    assert early.status_code == 400 and "Lock the session" in early.json()["detail"]
    session.state = "locked"
    session.save()
    assert (
        token_client(trainee)
        .put(_url(session, case, "decision"), DECISION, format="json")
        .status_code
        == 403
    )
    first = api.put(_url(session, case, "decision"), DECISION, format="json")
    assert first.status_code == 200 and first.json()["version"] == 1
    again = api.put(_url(session, case, "decision"), {**DECISION, "version": 1}, format="json")
    assert again.json()["version"] == 2
    stale = api.put(_url(session, case, "decision"), {**DECISION, "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    unknown = api.put(_url(session, case, "decision"), {**DECISION, "extra": 1}, format="json")
    assert unknown.status_code == 400 and "extra" in unknown.json()["errors"]
    assert (
        token_client(trainee).get(_url(session, case, "decision")).json()["options"][0]["option"]
        == T_DXD
    )


def test_an_other_answer_is_mapped_through_the_api_and_the_summary_recomputes(
    client, session, case, educator, trainee
):
    client.force_login(trainee)
    client.post(f"/sessions/{session.pk}/cases/{case.code}/", proposal_post("other:enhertu"))
    session.state = "locked"
    session.save()
    api = token_client(educator)
    api.put(_url(session, case, "decision"), DECISION, format="json")
    summary = api.get(f"/api/v1/sessions/{session.pk}/summary/").json()
    assert summary["unmapped"] == 1 and summary["trainees"][0]["board"] is None
    choice = ProposalChoice.objects.get(other="enhertu")
    mapped = api.post(
        _url(session, case, "mappings"), {"choice": choice.pk, "option": T_DXD}, format="json"
    )
    assert mapped.status_code == 200
    summary = api.get(f"/api/v1/sessions/{session.pk}/summary/").json()
    assert summary["unmapped"] == 0 and summary["trainees"][0]["board"] == 1
    assert token_client(trainee).get(f"/api/v1/sessions/{session.pk}/summary/").status_code == 403
    progress = token_client(trainee).get("/api/v1/trainees/trainee1/progress/").json()
    assert progress["sessions"][0]["board"] == 1 and progress["sessions"][0]["title"] == "API week"
    assert token_client(trainee).get("/api/v1/trainees/educator1/progress/").status_code == 403
    assert api.get("/api/v1/trainees/trainee1/progress/").status_code == 200
    group = api.get("/api/v1/progress/").json()
    assert group["trainees"][0]["board"] == 1 and group["group"][0]["title"] == "API week"
    assert token_client(trainee).get("/api/v1/progress/").status_code == 403


def test_an_outcome_through_the_api_takes_months_and_refuses_dates(case, educator, trainee):
    api = token_client(educator)
    url = f"/api/v1/cases/{case.code}/outcome/"
    dated = api.put(url, {"implemented": "yes", "months_followed": "2024-03-01"}, format="json")
    assert dated.status_code == 400 and "months_followed" in dated.json()["errors"]
    noted = api.put(url, {"implemented": "yes", "notes": "seen 03/12/2024"}, format="json")
    assert noted.status_code == 400 and "notes" in noted.json()["errors"]
    done = api.put(
        url,
        {"implemented": "yes", "best_response": "CR", "progressed": False, "months_followed": 24},
        format="json",
    )
    assert done.status_code == 200 and done.json()["months_followed"] == 24
    assert token_client(trainee).put(url, {"implemented": "no"}, format="json").status_code == 403


def test_progress_pages_show_a_chart_with_its_table_and_download_as_csv(
    client, session, case, educator, trainee
):
    client.force_login(trainee)
    client.post(f"/sessions/{session.pk}/cases/{case.code}/", proposal_post(T_DXD))
    session.state = "locked"
    session.save()
    client.force_login(educator)
    before = client.get("/progress/group/").context["trainees"][0]
    assert before["board"] is None  # no decision yet
    token_client(educator).put(_url(session, case, "decision"), DECISION, format="json")
    after = client.get("/progress/group/").context["trainees"][0]
    assert after["board"] == 1  # the decision moved the session's revision on: re-scored
    detail = client.get("/progress/?trainee=trainee1").content.decode()
    assert "Progress of trainee1" in detail and "API week" in detail
    client.force_login(trainee)
    assert client.get("/progress/?trainee=educator1").status_code == 403
    mine = client.get("/progress/").content.decode()
    assert "<svg" in mine and "API week" in mine and "1.00" in mine
    assert client.get("/progress/group/").status_code == 403
    csv = client.get("/progress/?format=csv")
    assert csv["Content-Type"].startswith("text/csv") and "API week" in csv.content.decode()
    client.force_login(educator)
    group = client.get("/progress/group/").content.decode()
    assert "trainee1" in group and "Never chosen as the board did" in group
    assert "trainee1" in client.get("/progress/group/?format=csv").content.decode()
