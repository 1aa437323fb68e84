"""Who gets what (security review 2, L10 and L9's admin routes): a user in no group gets
nothing beyond their own account pages; a staff user who owes a proposal for a case sees
neither its snapshots' payloads nor rule previews against it in the admin."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from board.snapshots import snapshot_create
from board.training import session_case_add, session_create
from cases.services import case_create
from rules.models import Rule
from tests.factories import CDS_SERVICE, CONTRACT_EXAMPLE, token_client, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def nogroup():
    return user_create("nogroup")


API = [
    ("post", "/api/v1/evaluate/", CONTRACT_EXAMPLE),
    ("post", "/api/v1/fhir/profile/", []),
    ("get", "/api/v1/rules/", None),
    ("get", "/api/v1/strategies/", None),
    ("get", "/api/v1/mechanisms/", None),
    ("get", "/api/v1/references/", None),
    ("get", "/api/v1/markers/", None),
    ("get", "/api/v1/releases/", None),
    ("get", "/api/v1/cases/", None),
]


@pytest.mark.parametrize(("method", "path", "body"), API)
def test_a_user_in_no_group_gets_403_from_the_api_saying_why(nogroup, trainee, method, path, body):
    response = getattr(token_client(nogroup), method)(path, body, format="json")
    assert response.status_code == 403
    assert "in no group" in response.json()["detail"] or path == "/api/v1/cases/"
    # The same call by a trainee is answered.
    assert getattr(token_client(trainee), method)(path, body, format="json").status_code < 400


def test_a_cds_call_acting_as_a_user_in_no_group_is_403(client, ehr_key, settings, nogroup):
    from tests.factories import CDS_ISSUER, cds_jwt

    settings.CDS_HOOKS_ISSUERS[CDS_ISSUER]["user"] = nogroup.username
    body = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"patientId": "p1", "profile": CONTRACT_EXAMPLE},
    }
    response = client.post(
        CDS_SERVICE,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {cds_jwt(ehr_key)}",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "path",
    ["/knowledge/", "/knowledge/releases/", "/knowledge/releases/2026.3/", "/sessions/",
     "/cohort/template.csv", "/cases/", "/cohort/"],
)  # fmt: skip
def test_a_user_in_no_group_gets_403_from_the_pages(client, nogroup, path):
    client.force_login(nogroup)
    assert client.get(path).status_code == 403


def test_a_user_in_no_group_keeps_their_account_pages_and_sees_no_session(client, nogroup):
    educator = user_create("educator1", "educator")
    session_create(title="Tuesday board", educator=educator)
    client.force_login(nogroup)
    home = client.get("/")
    assert home.status_code == 200 and "Tuesday board" not in home.content.decode()
    assert client.get("/accounts/token/").status_code == 200
    assert client.get("/accounts/password_change/").status_code == 200


@pytest.fixture
def owed_case(trainee):
    """trainee1's case in an open session that the staff trainee has not proposed for."""
    educator = user_create("educator1", "educator")
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    session = session_create(title="Open", educator=educator)
    session_case_add(session=session, code=case.code)
    return case


def test_the_admin_hides_a_snapshot_payload_from_a_staff_trainee_who_owes_a_proposal(
    client, trainee, owed_case
):
    snapshot = snapshot_create(case=owed_case, user=trainee)
    staff = user_create("stafftrainee", "trainee", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename="view_evaluationsnapshot"))
    client.force_login(staff)
    url = reverse("admin:board_evaluationsnapshot_change", args=[snapshot.pk])
    assert client.get(url).status_code == 403
    client.force_login(user_create("root", is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200  # who owes nothing reads it


def test_the_admin_withholds_a_rule_preview_against_a_case_a_staff_user_owes(client, owed_case):
    user = user_create("traincur", "trainee", is_staff=True)
    user.groups.add(Group.objects.get(name="curator"))
    client.force_login(user)
    rule = Rule.objects.get(slug="muc4-epitope-masking")
    url = reverse("admin:rules_rule_preview", args=[rule.pk])
    page = client.get(url, {"case": owed_case.code}).content.decode()
    assert "You owe a proposal for this case" in page
    assert "The rule <strong>fires</strong>" not in page
