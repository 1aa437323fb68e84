"""Who sees a case (security review L2, L3; issue #16): a signed-in user in no group gets
nothing of a case on any path, and a closed session takes no proposals."""

import pytest

from board.choices import SessionState
from board.models import BoardSession, SessionCase, TraineeProposal
from board.snapshots import snapshot_create
from cases.services import case_create
from rules.models import Strategy
from tests.factories import CONTRACT_EXAMPLE, proposal_post, token_client, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting_up(trainee, educator):
    case = case_create(data={**CONTRACT_EXAMPLE, "notes": "teaching notes"}, user=trainee)
    snapshot = snapshot_create(case=case, user=trainee)
    session = BoardSession.objects.create(title="Week 6", educator=educator)
    SessionCase.objects.create(session=session, case=case, position=0)
    return case, snapshot, session


@pytest.fixture
def nobody():
    return user_create("no-group-user")


def test_a_user_in_no_group_gets_nothing_of_a_case_from_the_api(nobody, setting_up):
    case, snapshot, _ = setting_up
    api = token_client(nobody)
    base = f"/api/v1/cases/{case.code}"
    assert api.get(f"{base}/").status_code == 403
    assert api.get(f"{base}/evaluation/").status_code == 403
    assert api.get(f"{base}/evaluations/").status_code == 403
    assert api.post(f"{base}/evaluations/").status_code == 403
    assert api.get(f"{base}/evaluations/{snapshot.pk}/changes/").status_code == 403
    cds = api.post(
        "/cds-services/her2-trastuzumab-resistance",
        {
            "hook": "patient-view",
            "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"userId": "Practitioner/1", "patientId": "1", "caseCode": case.code},
        },
        format="json",
    )
    assert cds.status_code == 403


def test_a_user_in_no_group_gets_nothing_of_a_case_on_the_web(client, nobody, setting_up):
    case, _, session = setting_up
    client.force_login(nobody)
    for path in (
        f"/cases/{case.code}/",
        f"/cases/{case.code}/print/",
        f"/sessions/{session.pk}/",
        f"/sessions/{session.pk}/cases/{case.code}/",
        f"/sessions/{session.pk}/cases/{case.code}/debrief/",
        f"/sessions/{session.pk}/summary/",
        f"/sessions/{session.pk}/results.csv",
        "/cohort/",
        "/cohort/export.csv",
        "/cohort/upload/abcdefghijklmnop.csv",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert b"teaching notes" not in response.content
    assert client.post(f"/cases/{case.code}/snapshot/").status_code == 403
    strategy = Strategy.objects.first()
    posted = client.post(
        f"/sessions/{session.pk}/cases/{case.code}/", proposal_post(f"strategy:{strategy.slug}")
    )
    assert posted.status_code == 403
    assert not TraineeProposal.objects.exists()


def test_a_trainee_still_reads_evaluations_and_takes_snapshots(trainee, setting_up):
    case, snapshot, session = setting_up
    session.state = SessionState.CLOSED  # no proposal is owed (see the propose-first tests)
    session.save()
    api = token_client(trainee)
    assert api.get(f"/api/v1/cases/{case.code}/evaluation/").status_code == 200
    assert api.post(f"/api/v1/cases/{case.code}/evaluations/").status_code == 201
    changes = api.get(f"/api/v1/cases/{case.code}/evaluations/{snapshot.pk}/changes/")
    assert changes.status_code == 200


def test_the_educator_closes_a_session_and_it_takes_no_more_proposals(
    client, educator, other_trainee, setting_up
):
    case, _, session = setting_up
    client.force_login(educator)
    page = client.post(
        f"/sessions/{session.pk}/state/", {"state": "closed", "confirmed": "yes"}, follow=True
    )
    assert "Session now: Closed." in page.content.decode()
    session.refresh_from_db()
    assert session.is_open is False

    client.force_login(other_trainee)
    strategy = Strategy.objects.first()
    response = client.post(
        f"/sessions/{session.pk}/cases/{case.code}/", proposal_post(f"strategy:{strategy.slug}")
    )
    assert response.status_code == 200
    assert "Proposals are closed for this session" in response.content.decode()
    assert not TraineeProposal.objects.exists()


def test_only_the_educator_opens_or_closes_a_session(client, trainee, setting_up):
    _, _, session = setting_up
    client.force_login(trainee)
    assert (
        client.post(
            f"/sessions/{session.pk}/state/", {"state": "closed", "confirmed": "yes"}
        ).status_code
        == 403
    )
    session.refresh_from_db()
    assert session.is_open is True


PROPOSE_FIRST = "Propose first"


def test_a_trainee_who_owes_a_proposal_gets_no_suggestions_anywhere(
    client, other_trainee, setting_up
):
    case, snapshot, session = setting_up
    api = token_client(other_trainee)
    base = f"/api/v1/cases/{case.code}"
    for response in (
        api.get(f"{base}/evaluation/"),
        api.get(f"{base}/evaluations/"),
        api.post(f"{base}/evaluations/"),
        api.get(f"{base}/evaluations/{snapshot.pk}/changes/"),
        api.post(
            "/cds-services/her2-trastuzumab-resistance",
            {
                "hook": "patient-view",
                "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
                "context": {"userId": "Practitioner/1", "patientId": "1", "caseCode": case.code},
            },
            format="json",
        ),
    ):
        assert response.status_code == 403
        assert PROPOSE_FIRST in response.json()["detail"]
    client.force_login(other_trainee)
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert PROPOSE_FIRST in page and "Suggestions from the review" not in page
    assert f'href="/sessions/{session.pk}/cases/{case.code}/"' in page
    printed = client.get(f"/cases/{case.code}/print/")
    assert printed.status_code == 403 and PROPOSE_FIRST in printed.content.decode()
    assert client.post(f"/cases/{case.code}/snapshot/").status_code == 403


def test_after_proposing_or_once_the_session_closes_the_suggestions_show(
    client, educator, other_trainee, setting_up
):
    case, _, session = setting_up
    client.force_login(other_trainee)
    strategy = Strategy.objects.first()
    client.post(
        f"/sessions/{session.pk}/cases/{case.code}/", proposal_post(f"strategy:{strategy.slug}")
    )
    assert (
        token_client(other_trainee).get(f"/api/v1/cases/{case.code}/evaluation/").status_code == 200
    )

    third = user_create("trainee3", "trainee")
    assert token_client(third).get(f"/api/v1/cases/{case.code}/evaluation/").status_code == 403
    session.state = SessionState.LOCKED
    session.save()
    assert token_client(third).get(f"/api/v1/cases/{case.code}/evaluation/").status_code == 200


def test_a_proposal_for_one_case_frees_that_case_only(client, trainee, other_trainee, setting_up):
    case, _, session = setting_up
    second = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    SessionCase.objects.create(session=session, case=second, position=1)
    elsewhere = case_create(data=CONTRACT_EXAMPLE, user=trainee)  # in no session
    client.force_login(other_trainee)
    strategy = Strategy.objects.first()
    client.post(
        f"/sessions/{session.pk}/cases/{case.code}/", proposal_post(f"strategy:{strategy.slug}")
    )
    api = token_client(other_trainee)
    assert api.get(f"/api/v1/cases/{case.code}/evaluation/").status_code == 200
    assert api.get(f"/api/v1/cases/{second.code}/evaluation/").status_code == 403
    assert api.get(f"/api/v1/cases/{elsewhere.code}/evaluation/").status_code == 200


def test_educators_and_curators_are_not_held_back(educator, curator, setting_up):
    case, _, _ = setting_up
    for user in (educator, curator):
        assert token_client(user).get(f"/api/v1/cases/{case.code}/evaluation/").status_code == 200


def test_the_educator_is_told_what_was_added_and_can_remove_it(client, educator, trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    session = BoardSession.objects.create(title="Week 8", educator=educator)
    client.force_login(educator)
    added = client.post(f"/sessions/{session.pk}/cases/", {"code": case.code}, follow=True)
    assert f"Added to the session: {case.code} (HER2-positive, Metastatic)." in (
        added.content.decode()
    )
    again = client.post(f"/sessions/{session.pk}/cases/", {"code": case.code}, follow=True)
    assert "Already in the session: " in again.content.decode()
    removed = client.post(
        f"/sessions/{session.pk}/cases/{case.code}/remove/", {"confirmed": "yes"}, follow=True
    )
    assert f"Case {case.code} removed from the session." in removed.content.decode()
    assert not SessionCase.objects.filter(session=session).exists()


def test_only_the_educator_removes_a_case(client, other_trainee, setting_up):
    case, _, session = setting_up
    client.force_login(other_trainee)
    assert client.post(f"/sessions/{session.pk}/cases/{case.code}/remove/").status_code == 403
    assert SessionCase.objects.filter(session=session, case=case).exists()
