"""Stored evaluations (board.stored): the dashboard counted from stored rows equals the
dashboard counted directly; a new or edited case, a new release and a changed marker
catalogue each make rows stale, and stale rows are evaluated again before counting."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.cohort import cases_frame, cohort_dashboard
from board.models import StoredEvaluation
from board.stored import stored_basis, stored_dashboard, stored_evaluations_refresh
from cases.models import CaseProfile, Marker
from cases.services import case_create, case_update
from rules.knowledge_base import knowledge_base_published
from rules.models import Rule
from tests.factories import CONTRACT_EXAMPLE, profiles, release_publish_now

pytestmark = pytest.mark.django_db
SLOW_FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def _direct(queryset, kb) -> dict:
    return cohort_dashboard(cases_frame(queryset, knowledge_base=kb), knowledge_base=kb)


@settings(max_examples=12, deadline=None, suppress_health_check=SLOW_FIXTURES)
@given(data=st.data())
def test_the_stored_dashboard_equals_the_direct_dashboard(data, trainee):
    kb = knowledge_base_published()
    CaseProfile.objects.all().delete()
    for profile in data.draw(st.lists(profiles(kb.marker_scales), min_size=0, max_size=8)):
        case_create(data={**profile, "notes": ""}, user=trainee)
    setting = data.draw(st.sampled_from([None, "metastatic", "early"]))
    queryset = CaseProfile.objects.all()
    if setting:
        queryset = queryset.filter(setting=setting)
    assert stored_dashboard(queryset=queryset, knowledge_base=kb) == _direct(queryset, kb)


def test_rows_are_stored_once_and_only_stale_ones_are_evaluated_again(trainee):
    kb = knowledge_base_published()
    cases = [case_create(data=CONTRACT_EXAMPLE, user=trainee) for _ in range(3)]
    everything = CaseProfile.objects.all()
    assert stored_evaluations_refresh(queryset=everything, knowledge_base=kb) == 3
    assert stored_evaluations_refresh(queryset=everything, knowledge_base=kb) == 0
    case_update(case=cases[0], data={**CONTRACT_EXAMPLE, "markers": {}})
    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    assert stored_evaluations_refresh(queryset=everything, knowledge_base=kb) == 2
    assert StoredEvaluation.objects.count() == 4


def test_an_edited_case_is_counted_as_it_is_now(trainee):
    kb = knowledge_base_published()
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    before = stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb)
    case_update(case=case, data={**CONTRACT_EXAMPLE, "her2_ihc": "0", "her2_ish": "not_done"})
    after = stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb)
    assert after != before
    assert after == _direct(CaseProfile.objects.all(), kb)
    assert [row[:2] for row in after["her2_status"]] == [("HER2-zero", 1)]


def test_a_new_release_makes_every_row_stale(trainee):
    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    kb = knowledge_base_published()
    stored_evaluations_refresh(queryset=CaseProfile.objects.all(), knowledge_base=kb)
    rule = Rule.objects.get(slug="pi3k-inhibitor-with-trastuzumab")
    rule.title = rule.title + " (edited)"
    rule._change_reason = "Edited for the test."
    rule.save()
    release_publish_now()
    newer = knowledge_base_published()
    assert stored_basis(knowledge_base=newer) != stored_basis(knowledge_base=kb)
    assert stored_evaluations_refresh(queryset=CaseProfile.objects.all(), knowledge_base=newer) == 1
    assert stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=newer) == _direct(
        CaseProfile.objects.all(), newer
    )


def test_a_changed_marker_catalogue_makes_every_row_stale(trainee):
    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    kb = knowledge_base_published()
    stored_evaluations_refresh(queryset=CaseProfile.objects.all(), knowledge_base=kb)
    marker = Marker.objects.get(code="MUC4")
    marker.scale = "presence"
    marker.save()
    newer = knowledge_base_published()
    assert stored_basis(knowledge_base=newer) != stored_basis(knowledge_base=kb)
    assert stored_evaluations_refresh(queryset=CaseProfile.objects.all(), knowledge_base=newer) == 1


def test_a_deleted_case_takes_its_row_with_it(trainee):
    kb = knowledge_base_published()
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    stored_evaluations_refresh(queryset=CaseProfile.objects.all(), knowledge_base=kb)
    case.delete()
    assert StoredEvaluation.objects.count() == 0
    assert stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb)["total"] == 0


def _publish_an_edit(capture_on_commit) -> None:
    """Edit a rule and publish a release, running what waits for the commit."""
    rule = Rule.objects.get(slug="pi3k-inhibitor-with-trastuzumab")
    rule.title = rule.title + " (edited)"
    rule._change_reason = "Edited for the test."
    rule.save()
    with capture_on_commit(execute=True):
        release_publish_now()


def test_publishing_a_release_rebuilds_the_rows_once_committed(
    trainee, django_capture_on_commit_callbacks
):
    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    stored_evaluations_refresh(
        queryset=CaseProfile.objects.all(), knowledge_base=knowledge_base_published()
    )
    _publish_an_edit(django_capture_on_commit_callbacks)
    basis = stored_basis(knowledge_base=knowledge_base_published())
    assert list(StoredEvaluation.objects.values_list("basis", flat=True)) == [basis]


def test_the_cohort_page_counts_stored_cases_from_stored_rows(client, trainee):
    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    client.force_login(trainee)
    page = client.get("/cohort/")
    assert page.status_code == 200
    assert page.context["dashboard"]["total"] == 1
    assert StoredEvaluation.objects.count() == 1


def test_cases_written_after_a_dashboard_are_counted_in_the_next(
    trainee, django_assert_num_queries
):
    kb = knowledge_base_published()
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb)
    case_create(
        data={**CONTRACT_EXAMPLE, "setting": "early", "trastuzumab_response": "naive"}, user=trainee
    )
    case_update(case=case, data={**CONTRACT_EXAMPLE, "her2_ihc": "0", "her2_ish": "not_done"})
    assert stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb) == _direct(
        CaseProfile.objects.all(), kb
    )
    # Nothing written since, so no case is read: 1 the newest history id, 2 the mark, then
    # on PostgreSQL one binary COPY of the rows, which Django does not count; elsewhere
    # 3-4 the counts by result and by marker.
    from django.db import connection

    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 4):
        stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb)


def test_without_its_mark_every_case_is_checked(trainee):
    from board.models import StoredEvaluationMark

    kb = knowledge_base_published()
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb)
    StoredEvaluationMark.objects.all().delete()
    CaseProfile.objects.filter(pk=case.pk).update(her2_ihc="0", her2_status="zero", version=9)
    assert stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb) == _direct(
        CaseProfile.objects.all(), kb
    )


def test_the_mark_lives_in_the_database_beside_the_rows(trainee):
    # A cache emptied (or shared by another database) must not decide what is current:
    # the mark is a table row, restored or rebuilt with the rows it describes.
    from django.core.cache import cache

    from board.models import StoredEvaluationMark

    kb = knowledge_base_published()
    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb)
    cache.clear()
    mark = StoredEvaluationMark.objects.get(basis=stored_basis(knowledge_base=kb))
    assert mark.history_id == CaseProfile.history.latest("history_id").history_id
    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    assert stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb)["total"] == 2


def test_more_waiting_cases_than_a_request_should_evaluate_are_counted_directly(
    client, trainee, monkeypatch
):
    from django.core.management import call_command

    monkeypatch.setattr("board.stored.REFRESH_IN_REQUEST", 1)
    kb = knowledge_base_published()
    for _ in range(2):
        case_create(data=CONTRACT_EXAMPLE, user=trainee)
    assert stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb) is None
    client.force_login(trainee)
    assert client.get("/cohort/").context["dashboard"]["total"] == 2  # direct, still right
    assert StoredEvaluation.objects.count() == 0

    call_command("stored_evaluations_rebuild", stdout=io.StringIO())
    assert StoredEvaluation.objects.count() == 2
    assert stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb) == _direct(
        CaseProfile.objects.all(), kb
    )


def test_a_release_over_a_large_store_leaves_the_rebuild_to_the_command(
    trainee, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("board.stored.REFRESH_IN_REQUEST", 0)
    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    _publish_an_edit(django_capture_on_commit_callbacks)
    assert StoredEvaluation.objects.count() == 0
    assert "stored_evaluations_rebuild" in caplog.text


def test_a_filter_that_matches_nothing_counts_nothing(client, trainee):
    # An unknown marker code makes the filter's queryset none(): no SQL at all, so the
    # PostgreSQL paths must not ask for it. A filter with SQL that matches no case reads
    # an empty aggregate (NULL).
    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    kb = knowledge_base_published()
    assert stored_dashboard(queryset=CaseProfile.objects.none(), knowledge_base=kb)["total"] == 0
    other = "early" if CONTRACT_EXAMPLE["setting"] != "early" else "metastatic"
    unmatched = CaseProfile.objects.filter(setting=other)
    assert stored_dashboard(queryset=unmatched, knowledge_base=kb) == _direct(unmatched, kb)
    assert stored_dashboard(queryset=unmatched, knowledge_base=kb)["total"] == 0
    assert len(cases_frame(CaseProfile.objects.none(), knowledge_base=kb)) == 0
    client.force_login(trainee)
    page = client.get("/cohort/?marker=NOT-A-MARKER")
    assert page.status_code == 200
    assert page.context["dashboard"]["total"] == 0


def test_past_the_stored_ceiling_the_dashboard_counts_directly_and_curators_are_told(
    client, trainee, staff, monkeypatch
):
    from rules import knowledge_base as kb_module

    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    kb = knowledge_base_published()
    rules = len(kb.ruleset.rules)
    assert rules <= kb_module.STORED_EVALUATION_MOST  # today's knowledge base fits
    monkeypatch.setattr(kb_module, "STORED_EVALUATION_MOST", rules - 1)

    assert stored_basis(knowledge_base=kb) is None
    assert stored_dashboard(queryset=CaseProfile.objects.all(), knowledge_base=kb) is None
    client.force_login(trainee)
    page = client.get("/cohort/")
    assert page.context["dashboard"] == _direct(CaseProfile.objects.all(), kb)
    assert page.context["dashboard"]["total"] == 1
    assert StoredEvaluation.objects.count() == 0
    client.force_login(staff)
    listing = client.get("/admin/rules/rule/").content.decode()
    assert f"{rules} evaluated rules (more than {rules - 1})" in listing
    assert "counts every case directly" in listing
