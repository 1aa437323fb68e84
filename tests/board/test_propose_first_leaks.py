"""Propose first, without leaks (issue #31, section 5): while a trainee owes a proposal for
a case, the cohort dashboard and its export hold back that case's evaluation, and the
evaluate API and the case form refuse a profile with its facts."""

import csv
import io

import pytest

from board.models import BoardSession
from cases.models import CaseProfile
from cases.services import case_create
from tests.factories import CONTRACT_EXAMPLE, form_data, proposal_post, token_client

pytestmark = pytest.mark.django_db

OWED = {**CONTRACT_EXAMPLE, "notes": "teaching case"}


@pytest.fixture
def owed(educator):
    session = BoardSession.objects.create(title="Open week", educator=educator)
    case = case_create(data=OWED, user=educator)
    session.sessioncase_set.create(case=case, position=0)
    case_create(data={**CONTRACT_EXAMPLE, "pik3ca": "wild_type"}, user=educator)
    return session, case


def _propose(client, trainee, session, case):
    client.force_login(trainee)
    client.post(f"/sessions/{session.pk}/cases/{case.code}/", proposal_post("strategy:t-dxd"))


def test_the_cohort_dashboard_and_export_hold_back_an_owed_case(client, owed, trainee, educator):
    session, case = owed
    client.force_login(trainee)
    page = client.get("/cohort/")
    assert page.context["dashboard"]["total"] == 1 and page.context["owed_left_out"] == 1
    assert "you owe a proposal for" in page.content.decode()
    rows = list(csv.DictReader(io.StringIO(client.get("/cohort/export.csv").content.decode())))
    mine = next(row for row in rows if row["case.code"] == case.code)
    assert mine["evaluation.rule_slugs"].startswith("propose first")
    other = next(row for row in rows if row["case.code"] != case.code)
    assert other["evaluation.rule_slugs"] and not other["evaluation.rule_slugs"].startswith(
        "propose"
    )
    client.force_login(educator)  # the educator owes nothing
    assert client.get("/cohort/").context["dashboard"]["total"] == 2
    _propose(client, trainee, session, case)
    assert client.get("/cohort/").context["dashboard"]["total"] == 2


def test_evaluate_refuses_the_facts_of_an_owed_case_until_the_proposal(client, owed, trainee):
    session, case = owed
    api = token_client(trainee)
    copy = {**CONTRACT_EXAMPLE, "notes": "a copy, other words"}
    refused = api.post("/api/v1/evaluate/", copy, format="json")
    assert refused.status_code == 403 and "Propose first" in refused.json()["detail"]
    assert case.code in refused.json()["detail"]
    different = {**CONTRACT_EXAMPLE, "pik3ca": "wild_type"}
    assert api.post("/api/v1/evaluate/", different, format="json").status_code == 200
    _propose(client, trainee, session, case)
    assert api.post("/api/v1/evaluate/", copy, format="json").status_code == 200


def test_the_case_form_refuses_a_copy_of_an_owed_case(client, owed, trainee):
    _, case = owed
    client.force_login(trainee)
    before = CaseProfile.objects.count()
    page = client.post("/cases/new/", form_data(CONTRACT_EXAMPLE))
    assert "Propose first" in page.content.decode() and case.code in page.content.decode()
    assert CaseProfile.objects.count() == before


def _csv(rows: list[dict]) -> bytes:
    from cases.selectors import marker_scales_get
    from cases.tabular import frame_from_profiles

    frame = frame_from_profiles(rows, marker_codes=sorted(marker_scales_get()))
    return frame.to_csv(index=False).encode()


def test_an_uploaded_copy_of_an_owed_case_is_held_back_and_never_imported(client, owed, trainee):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, case = owed
    client.force_login(trainee)
    other = CaseProfile.objects.exclude(pk=case.pk).get()
    rows = [{**case.as_profile(), "notes": ""}, {**other.as_profile(), "notes": ""}]
    upload = SimpleUploadedFile("copy.csv", _csv(rows))
    page = client.post("/cohort/", {"file": upload, "action": "dashboard"})
    assert page.context["dashboard"]["total"] == 1 and page.context["owed_left_out"] == 1
    before = CaseProfile.objects.count()
    upload = SimpleUploadedFile("copy.csv", _csv(rows))
    refused = client.post("/cohort/", {"file": upload, "action": "import"})
    assert "nothing was imported" in refused.content.decode()
    assert "Propose first" in refused.content.decode()
    assert CaseProfile.objects.count() == before
