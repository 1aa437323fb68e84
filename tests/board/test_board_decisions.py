"""Teaching v2 (issue #31): the board's decision is the answer key, "Other" answers are
mapped before they count, the same treatment from two lists scores the same, outcomes are
months and never dates, and proposals made after the reveal are marked and left out."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from board.agreement import session_summary
from board.decisions import decision_record, outcome_record
from board.models import BoardDecision, BoardSession, CaseOutcome, ProposalChoice
from board.scoring import average_overlap
from cases.services import case_create
from core.concurrency import StaleVersion
from tests.factories import CONTRACT_EXAMPLE, proposal_post, user_create

pytestmark = pytest.mark.django_db

T_DXD = "strategy:t-dxd"


@pytest.fixture
def session(educator):
    session = BoardSession.objects.create(title="Week 7", educator=educator)
    case = case_create(data=CONTRACT_EXAMPLE, user=educator)
    session.sessioncase_set.create(case=case, position=0)
    return session


@pytest.fixture
def case(session):
    return session.cases.get()


def _propose(client, user, session, case, *choices, guess="approved_indication"):
    client.force_login(user)
    response = client.post(
        f"/sessions/{session.pk}/cases/{case.code}/", proposal_post(*choices, guess=guess)
    )
    assert response.status_code == 302, response.content.decode()[-2000:]


def _lock(client, educator, session):
    client.force_login(educator)
    client.post(f"/sessions/{session.pk}/state/", {"state": "locked", "confirmed": "yes"})
    session.refresh_from_db()


def _by_trainee(session) -> dict:
    return {row["trainee"]: row for row in session_summary(session=session)["trainees"]}


def test_average_overlap_is_rank_aware():
    assert average_overlap(["a", "b", "c"], ["a", "b", "c"]) == 1
    assert average_overlap(["a"], ["b"]) == 0
    assert average_overlap(["a", "b"], ["b", "a"]) == pytest.approx(0.5)  # (0 + 1) / 2
    assert average_overlap(["a"], ["a", "b"]) > average_overlap(["b"], ["a", "b"])


def test_the_same_drug_from_either_list_or_typed_and_mapped_scores_the_same(
    client, session, case, educator, trainee, other_trainee
):
    third = user_create("trainee3", "trainee")
    _propose(client, trainee, session, case, "standard:t-dxd")
    _propose(client, other_trainee, session, case, "other:trastuzumab deruxtecan")
    _propose(client, third, session, case, T_DXD)
    _lock(client, educator, session)
    decision_record(
        session=session,
        case=case,
        user=educator,
        options=[{"option": T_DXD, "evidence_grade": "approved_indication", "rationale": ""}],
    )
    before = _by_trainee(session)
    assert before["trainee2"]["board"] is None and before["trainee2"]["engine"] is None
    assert session_summary(session=session)["unmapped"] == 1

    other = ProposalChoice.objects.get(other="trastuzumab deruxtecan")
    page = client.post(
        f"/sessions/{session.pk}/cases/{case.code}/mappings/",
        {"choice": other.pk, "option": T_DXD},
        follow=True,
    )
    assert "Mapped; the scores recompute." in page.content.decode()
    after = _by_trainee(session)
    assert (
        after["trainee1"]["board"] == after["trainee2"]["board"] == after["trainee3"]["board"] == 1
    )
    assert after["trainee1"]["engine"] == after["trainee2"]["engine"] == after["trainee3"]["engine"]
    calibrations = {row["trainee"]: row for row in session_summary(session=session)["calibration"]}
    assert all(row["exact"] == 1 for row in calibrations.values())


def test_one_treatment_from_both_lists_in_one_proposal_is_refused(client, session, case, trainee):
    client.force_login(trainee)
    page = client.post(
        f"/sessions/{session.pk}/cases/{case.code}/", proposal_post("standard:t-dxd", T_DXD)
    )
    assert "the same choice appears twice" in page.content.decode()


def test_the_reveal_shows_the_trainee_the_board_and_the_engine(
    client, session, case, educator, trainee
):
    _propose(client, trainee, session, case, T_DXD, "standard:tucatinib-trastuzumab-capecitabine")
    page = client.get(f"/sessions/{session.pk}/cases/{case.code}/").content.decode()
    assert "Decided after proposals lock" in page
    _lock(client, educator, session)
    client.force_login(educator)
    response = client.post(
        f"/sessions/{session.pk}/cases/{case.code}/decision/",
        {"option_1": "standard:tucatinib-trastuzumab-capecitabine", "grade_1": "phase_iii_trial",
         "rationale_1": "after T-DXd", "option_2": T_DXD, "grade_2": "approved_indication"},
    )  # fmt: skip
    assert response.status_code == 302
    client.force_login(trainee)
    reveal = client.get(f"/sessions/{session.pk}/cases/{case.code}/")
    html = reveal.content.decode()
    assert "The board" in html and "Tucatinib + trastuzumab + capecitabine" in html
    assert "after T-DXd" in html
    assert reveal.context["board_agreement"] == pytest.approx(0.5)  # swapped order


def test_the_board_decision_waits_for_the_lock_and_the_educator_and_keeps_its_versions(
    client, session, case, educator, trainee
):
    option = [{"option": T_DXD, "evidence_grade": "approved_indication", "rationale": ""}]
    with pytest.raises(ValidationError, match="Lock the session"):
        decision_record(session=session, case=case, user=educator, options=option)
    _lock(client, educator, session)
    with pytest.raises(PermissionDenied):
        decision_record(session=session, case=case, user=trainee, options=option)
    first = decision_record(session=session, case=case, user=educator, options=option)
    second = decision_record(
        session=session, case=case, user=educator, options=[], no_recommendation_reason="no_target",
        version=first.version,
    )  # fmt: skip
    assert second.version == 2 and BoardDecision.objects.count() == 1
    assert second.history.count() == 2
    with pytest.raises(StaleVersion):
        decision_record(session=session, case=case, user=educator, options=option, version=1)
    with pytest.raises(ValidationError, match="not both, not neither"):
        decision_record(session=session, case=case, user=educator, options=[])
    with pytest.raises(ValidationError):
        decision_record(
            session=session, case=case, user=educator,
            options=[{"option": "strategy:no-such", "evidence_grade": "preclinical"}],
        )  # fmt: skip
    with pytest.raises(ValidationError):
        decision_record(
            session=session, case=case, user=educator,
            options=[{**option[0], "rationale": "seen by Dr Smith on 12/03/2024"}],
        )  # fmt: skip


def test_an_outcome_takes_months_and_refuses_a_date_anywhere(client, case, educator):
    client.force_login(educator)
    url = f"/cases/{case.code}/outcome/"
    dated = client.post(url, {"implemented": "yes", "months_followed": "2024-03"})
    assert "Enter a whole number" in dated.content.decode()
    noted = client.post(url, {"implemented": "yes", "notes": "progressed on 12 March 2024"})
    assert "a date" in noted.content.decode()
    assert not CaseOutcome.objects.exists()
    done = client.post(
        url,
        {"implemented": "partly", "not_implemented_reason": "toxicity", "best_response": "PR",
         "progressed": "true", "months_to_progression": "9", "months_followed": "14"},
    )  # fmt: skip
    assert done.status_code == 302
    outcome = CaseOutcome.objects.get(case=case)
    assert (outcome.months_to_progression, outcome.months_followed) == (9, 14)
    with pytest.raises(ValidationError) as refused:
        outcome_record(
            case=case, user=educator,
            data={"implemented": "no", "months_followed": "2024-03-01", "progressed": "yes"},
        )  # fmt: skip
    assert set(refused.value.message_dict) == {
        "months_followed", "progressed", "not_implemented_reason",
    }  # fmt: skip
    with pytest.raises(ValidationError, match="Not more than months_followed"):
        outcome_record(
            case=case, user=educator,
            data={"implemented": "yes", "progressed": True, "months_to_progression": 20,
                  "months_followed": 10},
        )  # fmt: skip


def test_a_trainee_may_not_record_an_outcome(client, case, trainee):
    client.force_login(trainee)
    assert client.get(f"/cases/{case.code}/outcome/").status_code == 403


def test_proposals_after_a_lock_and_reopen_are_marked_and_left_out(
    client, session, case, educator, trainee, other_trainee
):
    _propose(client, trainee, session, case, T_DXD)
    _lock(client, educator, session)
    client.post(f"/sessions/{session.pk}/state/", {"state": "open", "confirmed": "yes"})
    _propose(client, other_trainee, session, case, T_DXD)
    late = session.proposals.get(trainee=other_trainee)
    assert late.after_reveal and not session.proposals.get(trainee=trainee).after_reveal
    summary = session_summary(session=session)
    assert [row["trainee"] for row in summary["trainees"]] == ["trainee1"]
    assert summary["after_reveal_left_out"] == 1
    included = session_summary(session=session, after_reveal=True)
    assert len(included["trainees"]) == 2


def test_lock_close_reopen_and_remove_ask_first_on_a_page_of_their_own(
    client, session, case, educator, trainee
):
    _propose(client, trainee, session, case, T_DXD)
    client.force_login(educator)
    detail = client.get(f"/sessions/{session.pk}/").content.decode()
    assert f'href="/sessions/{session.pk}/state/?state=locked"' in detail
    ask = client.get(f"/sessions/{session.pk}/state/?state=locked").content.decode()
    assert "Lock proposals" in ask and "<script" not in ask.split("<main", 1)[1]
    unconfirmed = client.post(f"/sessions/{session.pk}/state/", {"state": "locked"})
    assert unconfirmed.status_code == 200
    session.refresh_from_db()
    assert session.is_open  # nothing changed without the confirmation
    client.post(f"/sessions/{session.pk}/state/", {"state": "locked", "confirmed": "yes"})
    reopen = client.get(f"/sessions/{session.pk}/state/?state=open").content.decode()
    assert "This session was locked before" in reopen
    remove = client.get(f"/sessions/{session.pk}/cases/{case.code}/remove/").content.decode()
    assert "1 proposal for this case will be lost" in remove
    client.post(f"/sessions/{session.pk}/state/", {"state": "closed", "confirmed": "yes"})
    closed = client.get(f"/sessions/{session.pk}/").content.decode()
    assert f"Remove {case.code}" not in closed
    refused = client.post(
        f"/sessions/{session.pk}/cases/{case.code}/remove/", {"confirmed": "yes"}, follow=True
    )
    assert "The session is closed" in refused.content.decode()
    assert session.cases.filter(pk=case.pk).exists()


def test_the_case_picker_tells_cases_apart_and_warns_about_a_participants_case(
    client, session, educator, trainee
):
    case_create(data={**CONTRACT_EXAMPLE, "pten": "lost"}, user=trainee)
    client.force_login(educator)
    page = client.get(f"/sessions/{session.pk}/?setting=metastatic")
    rows = page.context["candidates"]
    mine = next(row for row in rows if row["case"].created_by == trainee)
    assert mine["by_participant"] and mine["suggestions"] >= 1
    html = page.content.decode()
    assert "Written by a participant" in html and "PIK3CA" in html and "Markers set" in html


def test_the_reveal_says_why_in_plain_words(client, session, case, trainee):
    _propose(client, trainee, session, case, T_DXD)
    html = client.get(f"/sessions/{session.pk}/cases/{case.code}/").content.decode()
    assert "prior_therapies = [" not in html and "Triggered by:" not in html
