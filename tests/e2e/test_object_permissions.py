"""One rule for changing a case, on every surface (security review M1): only its author or a
superuser changes or deletes it, in the admin, the API and the web form alike."""

import pytest
from django.urls import reverse

from cases.models import CaseProfile
from cases.services import case_create, case_update
from tests.factories import CONTRACT_EXAMPLE, token_client, user_create

pytestmark = pytest.mark.django_db

# who -> may they change / delete trainee1's case?
WHO = {
    "author": True,
    "other_trainee": False,
    "staff_curator": False,
    "staff_trainee": False,
    "superuser": True,
}


@pytest.fixture
def people(trainee):
    return {
        "author": trainee,
        "other_trainee": user_create("trainee2", "trainee"),
        "staff_curator": user_create("curator1", "curator", is_staff=True),
        "staff_trainee": user_create("stafftrainee", "trainee", is_staff=True),
        "superuser": user_create("root", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def case(trainee):
    return case_create(data={**CONTRACT_EXAMPLE, "notes": "written by the author"}, user=trainee)


def _admin_form(case, notes: str) -> dict:
    profile = case.as_profile()
    post = {k: v for k, v in profile.items() if k not in ("markers", "prior_therapies", "age_band")}
    post.update(
        markers="{}",
        prior_therapies=profile["prior_therapies"],
        age_band=profile["age_band"] or "",
        brain_metastases="on" if profile["brain_metastases"] else "",
        her2_positive_fraction="",
        notes=notes,
        version=case.version,
    )
    return post


@pytest.mark.parametrize("who", WHO)
def test_the_admin_change_form_saves_only_for_the_author_or_a_superuser(client, people, case, who):
    user = people[who]
    user.is_staff = True
    user.save()
    client.force_login(user)
    url = reverse("admin:cases_caseprofile_change", args=[case.pk])
    response = client.post(url, _admin_form(case, f"edited by {who}"))
    case.refresh_from_db()
    if WHO[who]:
        assert response.status_code == 302
        assert case.notes == f"edited by {who}" and case.version == 2
    else:
        assert response.status_code == 403
        assert case.notes == "written by the author" and case.version == 1
        # They still read it: the page opens as a read-only view.
        page = client.get(url)
        assert page.status_code == 200 and b'name="_save"' not in page.content


@pytest.mark.parametrize("who", WHO)
def test_the_admin_deletes_only_for_the_author_or_a_superuser(client, people, case, who):
    user = people[who]
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("admin:cases_caseprofile_delete", args=[case.pk]), {"post": "yes"}
    )
    assert CaseProfile.objects.filter(pk=case.pk).exists() is not WHO[who]
    assert response.status_code == (302 if WHO[who] else 403)


@pytest.mark.parametrize("who", WHO)
def test_the_admin_bulk_delete_spares_other_peoples_cases(client, people, case, who):
    user = people[who]
    user.is_staff = True
    user.save()
    client.force_login(user)
    client.post(
        reverse("admin:cases_caseprofile_changelist"),
        {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"},
    )
    assert CaseProfile.objects.filter(pk=case.pk).exists() is not WHO[who]


@pytest.mark.parametrize("who", WHO)
def test_the_api_changes_and_deletes_only_for_the_author_or_a_superuser(people, case, who):
    api = token_client(people[who])
    url = f"/api/v1/cases/{case.code}/"
    changed = api.patch(url, {"notes": "api edit", "version": 1}, format="json")
    assert changed.status_code == (200 if WHO[who] else 403)
    deleted = api.delete(url)
    assert deleted.status_code == (204 if WHO[who] else 403)
    assert CaseProfile.objects.filter(pk=case.pk).exists() is not WHO[who]


@pytest.mark.parametrize("who", WHO)
def test_the_web_form_opens_only_for_the_author_or_a_superuser(client, people, case, who):
    client.force_login(people[who])
    response = client.get(f"/cases/{case.code}/edit/")
    assert response.status_code == (200 if WHO[who] else 403)


def test_an_overwritten_note_stays_in_the_case_history(case):
    case_update(case=case, data={**case.as_profile(), "notes": "corrected"}, expected_version=1)
    assert list(case.history.order_by("history_id").values_list("notes", flat=True)) == [
        "written by the author",
        "corrected",
    ]


@pytest.mark.parametrize("who", WHO)
def test_the_admin_history_revert_form_follows_the_same_rule(client, people, case, who):
    # Security review 2, M8: a past version posted back through the history form.
    user = people[who]
    user.is_staff = True
    user.save()
    client.force_login(user)
    version = case.history.earliest()
    url = reverse("admin:cases_caseprofile_simple_history", args=[case.pk, version.history_id])
    response = client.post(url, _admin_form(case, f"reverted by {who}"))
    case.refresh_from_db()
    if WHO[who]:
        assert response.status_code == 302
        assert case.notes == f"reverted by {who}" and case.version == 2
    else:
        assert response.status_code == 403
        assert case.notes == "written by the author" and case.version == 1
        page = client.get(url)  # the past version is still shown, read-only
        assert page.status_code == 200 and b'name="_save"' not in page.content
