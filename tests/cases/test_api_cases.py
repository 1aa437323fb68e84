"""/api/v1/cases/: the contract's representation, strict input, filters, snapshots."""

import pytest

from cases.models import CaseProfile
from cases.services import case_create
from tests.factories import release_publish_now, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(trainee):
    return token_client(trainee)


def test_create_returns_the_contract_representation(api, profile):
    response = api.post("/api/v1/cases/", profile, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["code"].startswith("TB-")
    assert body["her2_status"] == "positive"
    assert body["created_by"] == "trainee1"
    assert body["web_url"].endswith(f"/cases/{body['code']}/")
    assert {k: body[k] for k in profile} == profile
    assert {"created_at", "updated_at"} <= set(body)


@pytest.mark.parametrize(
    "field", ["code", "her2_status", "created_by", "created_at", "updated_at", "patient_name"]
)
def test_read_only_and_unknown_fields_are_refused_not_mass_assigned(api, profile, field):
    response = api.post("/api/v1/cases/", {**profile, field: "TB-HACKED"}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert CaseProfile.objects.count() == 0


def test_invalid_input_names_each_field_and_what_it_accepts(api, profile):
    response = api.post(
        "/api/v1/cases/", {**profile, "her2_ihc": "4+", "markers": {"MUC4": "yes"}}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "3+" in errors["her2_ihc"][0]
    assert "MUC4 accepts: high, normal, low" in errors["markers"][0]


def test_patch_changes_only_what_is_sent_and_rederives_status(api, trainee, profile):
    case = case_create(data=profile, user=trainee)
    response = api.patch(
        f"/api/v1/cases/{case.code}/", {"her2_ihc": "1+", "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["her2_status"] == "low"
    assert response.json()["pik3ca"] == "mutated"


def test_an_unknown_code_is_404_in_json(api):
    response = api.get("/api/v1/cases/TB-NONE00/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_list_filters_by_status_setting_response_marker_and_mine(
    api, trainee, other_trainee, profile
):
    mine = case_create(data=profile, user=trainee)
    other = case_create(
        data={**profile, "her2_ihc": "1+", "setting": "early", "markers": {}}, user=other_trainee
    )

    def codes(**params):
        return [c["code"] for c in api.get("/api/v1/cases/", params).json()["results"]]

    assert codes(her2_status="positive") == [mine.code]
    assert codes(setting="early") == [other.code]
    assert codes(trastuzumab_response="acquired_resistance", her2_status="low") == [other.code]
    assert codes(marker="MUC4", marker_result="high") == [mine.code]
    assert codes(marker="MUC4") == [mine.code]
    assert codes(marker="NOT_A_CODE") == []
    assert codes(mine="true") == [mine.code]
    assert api.get("/api/v1/cases/", {"her2_status": "purple"}).status_code == 400


def test_case_list_reads_a_fixed_number_of_queries(
    api, trainee, profile, django_assert_num_queries
):
    for _ in range(5):
        case_create(data=profile, user=trainee)
    # 1 token and its user, 2 the user's own and groups' permissions (view_caseprofile),
    # 3-4 the user throttle's counter in the shared database cache: read, then
    # insert or update (core.cache; with REDIS_URL it is in Redis instead).
    # 5 the page of cases with their creators' names (keyset pages: no count).
    with django_assert_num_queries(5):
        assert api.get("/api/v1/cases/").status_code == 200
    for _ in range(5):
        case_create(data=profile, user=trainee)
    # Again: the token and the permissions from this worker's memory (core.auth_memory) and
    # the throttle from the first request's lease (core.throttling); 1 the page.
    with django_assert_num_queries(1):
        assert len(api.get("/api/v1/cases/").json()["results"]) == 10


def test_the_case_list_pages_by_cursor_newest_first_and_keeps_filters(api, trainee, profile):
    made = [case_create(data=profile, user=trainee).code for _ in range(5)]
    case_create(data={**profile, "setting": "neoadjuvant", "trastuzumab_response": "responding"},
                user=trainee)  # fmt: skip
    first = api.get("/api/v1/cases/", {"setting": "metastatic", "page_size": 2}).json()
    assert "count" not in first and first["previous"] is None
    seen = [case["code"] for case in first["results"]]
    link = first["next"]
    while link:
        page = api.get(link).json()
        seen += [case["code"] for case in page["results"]]
        link = page["next"]
    assert seen == list(reversed(made))  # newest first, every metastatic case once
    assert api.get("/api/v1/cases/", {"cursor": "not-a-cursor"}).status_code == 404


def test_case_evaluation_reads_a_fixed_number_of_queries(
    api, trainee, profile, django_assert_num_queries
):
    case = case_create(data=profile, user=trainee)
    # 1 token and user, 2 the user's permissions (may they read cases?), 3-4 the user
    # throttle's counter in the shared database cache: read, then insert or update
    # (core.cache; with REDIS_URL it is in Redis instead), 5 the case, 6 whether the user
    # owes a proposal for it (an open session, propose first), 7 knowledge-base
    # fingerprint, 8 the latest release (the whole knowledge base in one row), 9 marker
    # catalogue (warm, 8-9 are not needed).
    with django_assert_num_queries(9):
        body = api.get(f"/api/v1/cases/{case.code}/evaluation/").json()
    assert body["disclaimer"] and body["knowledge_base_version"]
    assert "pi3k-inhibitor-with-trastuzumab" in [r["rule"] for r in body["recommendations"]]


def test_a_snapshot_pins_what_the_engine_said_and_shows_what_changed(api, trainee, profile):
    from rules.curation import rule_status_set
    from rules.models import Rule

    case = case_create(data=profile, user=trainee)
    snapshot = api.post(f"/api/v1/cases/{case.code}/evaluations/", format="json").json()
    assert snapshot["knowledge_base_version"] == snapshot["evaluation"]["knowledge_base_version"]

    rule_status_set(rule=Rule.objects.get(slug="muc4-epitope-masking"), status="retired")
    release_publish_now()
    changes = api.get(f"/api/v1/cases/{case.code}/evaluations/{snapshot['id']}/changes/").json()
    assert changes == {
        "knowledge_base_changed": True,
        "added": [],
        "removed": ["muc4-epitope-masking"],
        "changed": [],
    }
    listed = api.get(f"/api/v1/cases/{case.code}/evaluations/").json()["results"]
    assert [s["id"] for s in listed] == [snapshot["id"]]


def test_trainees_see_only_published_rules_and_curators_see_drafts(trainee, curator):
    from rules.models import Rule

    Rule.objects.filter(slug="met-overexpression").update(status="draft")
    trainee_slugs = {
        r["slug"]
        for r in token_client(trainee).get("/api/v1/rules/?page_size=500").json()["results"]
    }
    curator_api = token_client(curator)
    slugs = set()
    url = "/api/v1/rules/"
    while url:
        page = curator_api.get(url).json()
        slugs |= {r["slug"] for r in page["results"]}
        url = page["next"]
    assert "met-overexpression" not in trainee_slugs
    assert "met-overexpression" in slugs


def test_a_curator_rule_write_through_the_api_gets_the_admins_checks_and_history(curator):
    from rules.models import Rule

    api = token_client(curator)
    version = Rule.objects.get(slug="met-overexpression").version
    bad = api.patch(
        "/api/v1/rules/met-overexpression/",
        {"condition": 'pik3ca == "mutatd"', "version": version, "change_reason": "test edit"},
        format="json",
    )
    assert bad.status_code == 400
    assert '"mutatd" is not a value of pik3ca' in bad.json()["errors"]["condition"][0]

    good = api.patch(
        "/api/v1/rules/met-overexpression/",
        {"title": "MET (edited)", "version": version, "change_reason": "test edit"},
        format="json",
    )
    assert good.status_code == 200
    rule = Rule.objects.get(slug="met-overexpression")
    assert rule.history.first().history_user == curator


def test_a_token_is_issued_from_the_users_page(client, trainee):
    client.force_login(trainee)
    page = client.post("/accounts/token/")
    key = page.context["new_key"]
    assert key in page.content.decode()
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/cases/").status_code == 200


def test_staff_issue_a_token_with_an_admin_action(client, staff, trainee):
    client.force_login(staff)
    response = client.post(
        "/admin/auth/user/",
        {"action": "issue_api_token", "_selected_action": [trainee.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "API token for trainee1" in page
    key = page.split("API token for trainee1: ")[1].split("<")[0].strip()
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/cases/").status_code == 200


def test_anonymous_throttle_is_not_reset_by_a_spoofed_forwarded_for(api_client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "1000/min"})
    statuses = [
        api_client.get("/cds-services", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_list_and_detail_render_exactly_as_drf_fields_would(api, trainee, profile):
    from rest_framework import serializers
    from rest_framework.test import APIRequestFactory

    from cases.api.serializers import CaseProfileSerializer
    from cases.selectors import case_list

    case_create(data=profile, user=trainee)
    case_create(data={**profile, "age_band": None, "her2_positive_fraction": None, "markers": {},
                      "prior_therapies": [], "notes": ""}, user=None)  # fmt: skip
    request = APIRequestFactory().get("/api/v1/cases/")
    from django.utils import timezone

    # Timestamps in the time zone active at the time (UTC, "Z"; or another's offset).
    for zone in ("UTC", "Europe/Warsaw"):
        with timezone.override(zone):
            for case in [*case_list(), *CaseProfile.objects.all()]:  # annotated and plain
                serializer = CaseProfileSerializer(case, context={"request": request})
                expected = serializers.Serializer.to_representation(serializer, case)
                assert serializer.data == expected
                assert list(serializer.data) == list(serializer.fields)
                assert expected["created_at"].endswith("Z") == (zone == "UTC")
    listed = api.get("/api/v1/cases/").json()["results"]
    assert [c["created_by"] for c in listed] == [None, "trainee1"]
    assert listed[0]["web_url"] == f"http://testserver/cases/{listed[0]['code']}/"
