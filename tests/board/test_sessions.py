"""Board sessions that teach: ranked proposals with "Other", the reveal with evidence
calibration, lock and close, the educator's picking, progress, summary, debrief and export."""

import csv
import io

import pytest

from board.agreement import EVIDENCE_RANK, calibration, fleiss_kappa, jaccard, session_summary
from board.choices import SessionState
from board.models import BoardSession, ProposalChoice, TraineeProposal
from cases.services import case_create
from rules.models import Strategy
from tests.factories import CONTRACT_EXAMPLE, proposal_post, token_client

pytestmark = pytest.mark.django_db

# Fleiss (1971) as Wikipedia works it: 10 subjects, 14 raters, 5 categories, kappa 0.210.
FLEISS_COUNTS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip
ALPELISIB = "strategy:alpelisib-trastuzumab"


def test_the_agreement_measures_give_the_textbook_values():
    ratings = [
        [c for c, n in zip("abcde", row, strict=True) for _ in range(n)] for row in FLEISS_COUNTS
    ]
    assert fleiss_kappa(ratings) == pytest.approx(0.210, abs=0.001)
    assert fleiss_kappa([["a", "a"], ["b", "b"]]) == 1
    assert fleiss_kappa([["a", "b"], ["a", "b"]]) == -1
    assert fleiss_kappa([["a", "a"], ["a", "a"]]) is None  # one category: undefined
    assert fleiss_kappa([["a", "b"]]) is None  # one subject
    assert jaccard({"x", "y"}, {"y", "z"}) == pytest.approx(1 / 3)
    assert jaccard(set(), set()) == 1
    assert calibration("approved_indication", "preclinical_in_vitro") == "over"
    assert calibration("preclinical", "phase_iii_trial") == "under"
    assert calibration("clinical_study", "clinical_study") == "exact"
    assert calibration("", "clinical_study") is None


@pytest.fixture
def session(educator):
    session = BoardSession.objects.create(title="Week 6", educator=educator)
    for position, data in enumerate(
        (CONTRACT_EXAMPLE, {**CONTRACT_EXAMPLE, "pik3ca": "wild_type"})
    ):
        case = case_create(data=data, user=educator)
        session.sessioncase_set.create(case=case, position=position)
    return session


def _cases(session):
    """The session's cases in order: PIK3CA mutated, then wild type."""
    return list(session.cases.order_by("sessioncase__position"))


def _url(session, case, suffix=""):
    return f"/sessions/{session.pk}/cases/{case.code}/{suffix}"


def test_a_proposal_has_up_to_three_ranked_options_and_other_is_screened(client, session, trainee):
    case = _cases(session)[0]
    client.force_login(trainee)
    named = client.post(_url(session, case), proposal_post("other:ask Dr. Kowalski"))
    assert "a person's name" in named.context["form"].errors["other_1"][0]
    twice = client.post(_url(session, case), proposal_post(ALPELISIB, ALPELISIB))
    assert "Already chosen above." in twice.context["form"].errors["choice_2"]
    empty_other = client.post(_url(session, case), proposal_post("other:"))
    assert "Say what you propose." in empty_other.context["form"].errors["other_1"]
    assert not TraineeProposal.objects.exists()

    client.post(
        _url(session, case),
        proposal_post(ALPELISIB, "standard:continue-trastuzumab", "other:clinical trial referral"),
    )
    proposal = TraineeProposal.objects.get()
    alpelisib = Strategy.objects.get(slug="alpelisib-trastuzumab")
    assert [(c.rank, c.label) for c in proposal.choices.all()] == [
        (1, alpelisib.name),
        (2, "Continue the current therapy (no change)"),
        (3, "Other: clinical trial referral"),
    ]
    assert proposal.evidence_guess == "clinical_study"


def test_the_form_groups_strategies_by_mechanism_with_standard_of_care_and_other(
    client, session, trainee
):
    client.force_login(trainee)
    page = client.get(_url(session, _cases(session)[0])).content.decode()
    assert '<optgroup label="Mechanism: ' in page
    assert '<optgroup label="Standard of care">' in page
    assert '<option value="other">Other (in your own words)</option>' in page
    assert 'id="option-search"' in page


def test_the_reveal_orders_by_evidence_and_says_where_the_evidence_was_over_rated(
    client, session, trainee
):
    case = _cases(session)[0]
    client.force_login(trainee)
    client.post(_url(session, case), proposal_post(ALPELISIB, guess="approved_indication"))
    reveal = client.get(_url(session, case))
    context = reveal.context
    assert context["reference_source"] == "the review"
    assert context["reference_level_label"] != "Approved indication"
    assert context["calibration"] == "over"
    page = reveal.content.decode()
    assert "You rated the evidence stronger than the review reports it." in page
    assert f'href="{case.get_absolute_url()}"' in page
    levels = [r["evidence_level"] for r in context["evaluation"]["recommendations"]]
    assert levels == sorted(levels, key=EVIDENCE_RANK.__getitem__)


def test_locking_reveals_the_engine_to_every_trainee_and_takes_no_more_proposals(
    client, session, educator, trainee
):
    case = _cases(session)[0]
    api = token_client(trainee)
    assert api.get(f"/api/v1/cases/{case.code}/evaluation/").status_code == 403
    client.force_login(educator)
    page = client.post(
        f"/sessions/{session.pk}/state/", {"state": "locked", "confirmed": "yes"}, follow=True
    )
    assert "Session now: Locked" in page.content.decode()
    assert api.get(f"/api/v1/cases/{case.code}/evaluation/").status_code == 200
    client.force_login(trainee)
    shown = client.post(_url(session, case), proposal_post(ALPELISIB))
    assert "Proposals are closed for this session" in shown.content.decode()
    assert shown.context["evaluation"]["recommendations"]
    assert not TraineeProposal.objects.exists()
    assert (
        client.post(
            f"/sessions/{session.pk}/state/", {"state": "open", "confirmed": "yes"}
        ).status_code
        == 403
    )


def test_the_educator_picks_cases_from_a_filtered_list(client, educator, trainee):
    session = BoardSession.objects.create(title="Week 7", educator=educator)
    metastatic = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    early = case_create(
        data={**CONTRACT_EXAMPLE, "setting": "neoadjuvant", "trastuzumab_response": "responding"},
        user=trainee,
    )
    client.force_login(educator)
    listed = client.get(f"/sessions/{session.pk}/", {"setting": "metastatic"}).context
    assert [row["case"].code for row in listed["candidates"]] == [metastatic.code]
    added = client.post(
        f"/sessions/{session.pk}/cases/", {"codes": [metastatic.code, early.code]}, follow=True
    )
    assert f"Added to the session: {metastatic.code} (HER2-positive, Metastatic)" in (
        added.content.decode()
    )
    assert set(session.cases.all()) == {metastatic, early}
    again = client.get(f"/sessions/{session.pk}/", {"setting": "metastatic"}).context
    assert list(again["candidates"]) == []  # cases already in the session are not offered


def _propose_all(client, session, trainee, other_trainee):
    first, second = _cases(session)
    for user, choices in (
        (trainee, [(first, [ALPELISIB]), (second, ["standard:continue-trastuzumab"])]),
        (
            other_trainee,
            [
                (first, [ALPELISIB, "other:trial"]),
                (second, ["standard:trastuzumab-pertuzumab-chemotherapy"]),
            ],
        ),
    ):
        client.force_login(user)
        for case, picks in choices:
            client.post(_url(session, case), proposal_post(*picks, guess="clinical_study"))
    return first, second


def test_the_summary_gives_agreement_kappa_and_calibration_with_a_chart(
    client, session, educator, trainee, other_trainee
):
    first, second = _propose_all(client, session, trainee, other_trainee)
    client.force_login(educator)
    page = client.get(f"/sessions/{session.pk}/summary/")
    context = page.context
    # First choices: both alpelisib on the first case; two standard options on the second.
    # P = (1 + 0) / 2; categories 2/4, 1/4, 1/4 give Pe = 0.375; kappa = 0.2.
    assert context["kappa"] == pytest.approx(0.2)
    by_code = {row.case.code: row for row in context["cases"]}
    assert by_code[second.code].mean_jaccard == 0  # standard of care is not the engine's
    assert 0 < by_code[first.code].mean_jaccard < 1
    assert {row["trainee"] for row in context["calibration"]} == {"trainee1", "trainee2"}
    html = page.content.decode()
    assert "<svg" in html and "Fleiss' kappa on the first choice: 0.20" in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>")[0]


def test_the_summary_costs_the_same_queries_for_more_proposals(
    session, trainee, other_trainee, client, django_assert_num_queries
):
    # The cases, the strategies' slugs, the board's decisions, the outcomes, the proposals
    # (plain values, with their trainees' names), their choices (with their strategies'
    # slugs), and the proposals made after the reveal (the knowledge base is cached, and
    # checked within its interval).
    first, _ = _cases(session)
    client.force_login(trainee)
    client.post(_url(session, first), proposal_post(ALPELISIB, guess="clinical_study"))
    session_summary(session=session)  # reads the knowledge base once
    with django_assert_num_queries(7):
        session_summary(session=session)
    _propose_all(client, session, trainee, other_trainee)
    with django_assert_num_queries(7):
        session_summary(session=session)


def test_the_debrief_counts_choices_without_names_and_the_export_has_every_choice(
    client, session, educator, trainee, other_trainee
):
    first, _ = _propose_all(client, session, trainee, other_trainee)
    client.force_login(educator)
    debrief = client.get(_url(session, first, "debrief/"))
    rows = {row["label"]: row for row in debrief.context["rows"]}
    alpelisib = next(label for label in rows if label != "Other, not mapped yet")
    assert rows[alpelisib]["first"] == 2 and rows[alpelisib]["engine"]
    assert rows["Other, not mapped yet"]["anywhere"] == 1
    html = debrief.content.decode()
    assert "trainee1" not in html and "trainee2" not in html

    export = client.get(f"/sessions/{session.pk}/results.csv")
    assert export["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert len(table) == 5  # 1 + 1 + 2 + 1 ranked choices
    assert {row["trainee"] for row in table} == {"trainee1", "trainee2"}
    kinds = {row["option_kind"] for row in table}
    assert kinds == {"strategy", "standard_of_care", "other_unmapped"}


def test_only_the_educator_reads_the_summary_debrief_and_export(client, session, trainee):
    client.force_login(trainee)
    case = _cases(session)[0]
    for path in (
        f"/sessions/{session.pk}/summary/",
        f"/sessions/{session.pk}/results.csv",
        _url(session, case, "debrief/"),
    ):
        assert client.get(path).status_code == 403, path


def test_a_closed_session_is_listed_as_closed(client, session, educator):
    session.state = SessionState.CLOSED
    session.save()
    client.force_login(educator)
    assert "Week 6</a> — educator1 — Closed</li>" in client.get("/sessions/").content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_earlier_proposals_as_ranked_choices(educator, trainee):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    case = case_create(data=CONTRACT_EXAMPLE, user=educator)
    before, after = [("board", "0004_snapshot_release")], [("board", "0005_proposals_ranked")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Session = old.get_model("board", "BoardSession")
    session = Session.objects.create(title="Old", educator_id=educator.pk, is_open=False)
    proposal = old.get_model("board", "TraineeProposal").objects.create(
        session=session, case_id=case.pk, trainee_id=trainee.pk, reasoning="old"
    )
    strategies = old.get_model("rules", "Strategy").objects.filter(
        slug__in=["alpelisib-trastuzumab", "t-dxd"]
    )
    proposal.strategies.set(strategies)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    try:
        # Only the columns that migration knew (later ones are not there yet).
        migrated = BoardSession.objects.only("state").get(title="Old")
        assert migrated.state == SessionState.CLOSED
        proposal = TraineeProposal.objects.only("id").get(session=migrated)
        labels = ProposalChoice.objects.filter(proposal=proposal).order_by("rank")
        assert list(labels.values_list("label", flat=True)) == sorted(s.name for s in strategies)
    finally:  # back to the latest migrations, for the tests that follow
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_hostile_code_in_the_picked_list_is_refused_not_a_server_error(client, educator):
    session = BoardSession.objects.create(title="Week 11", educator=educator)
    client.force_login(educator)
    page = client.post(
        f"/sessions/{session.pk}/cases/", {"codes": ["TB-\x00X", "x" * 500]}, follow=True
    )
    assert page.status_code == 200
    assert page.content.decode().count("No case has that code.") == 2
    assert session.cases.count() == 0


def test_the_one_case_and_the_bulk_propose_first_checks_agree(
    educator, trainee, other_trainee, curator
):
    # proposal_due (one case, compiled SQL: case pages, evaluations) and
    # proposal_due_case_ids (many cases: lists) are two queries of one rule.
    from board.training import (
        Option,
        proposal_due,
        proposal_due_case_ids,
        proposal_submit,
        session_case_add,
        session_create,
        session_state_set,
    )

    cases = [case_create(data=CONTRACT_EXAMPLE, user=educator) for _ in range(4)]
    running = session_create(title="Open", educator=educator)
    mine = session_create(title="Run by the trainee", educator=trainee)
    locked = session_create(title="Locked", educator=educator)
    for case in cases[:3]:
        session_case_add(session=running, code=case.code)
    session_case_add(session=mine, code=cases[3].code)
    session_case_add(session=locked, code=cases[3].code)
    session_state_set(session=locked, user=educator, state=SessionState.LOCKED)
    proposal_submit(session=running, case=cases[0], trainee=trainee,
                    options=[Option(standard="continue-trastuzumab")])  # fmt: skip

    owed = {}
    for user in (trainee, other_trainee, educator, curator):
        bulk = proposal_due_case_ids(user=user, case_ids=[c.pk for c in cases])
        one = {c.pk for c in cases if proposal_due(user=user, case=c) is not None}
        assert bulk == one, user.get_username()
        owed[user.get_username()] = one
    assert owed["trainee1"] == {cases[1].pk, cases[2].pk}
    assert owed["trainee2"] == {c.pk for c in cases}  # the other trainee runs "mine"
    assert owed["educator1"] == owed["curator1"] == set()
