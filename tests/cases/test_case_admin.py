"""The admin uses the same validation as every other entry path."""

import pytest
from django.urls import reverse

from cases.models import CaseProfile

pytestmark = pytest.mark.django_db


def _form(profile, **overrides):
    data = {**profile, **overrides}
    post = {k: v for k, v in data.items() if k not in ("markers", "prior_therapies", "age_band")}
    post["markers"] = overrides.get("markers", '{"MUC4": "high"}')
    post["prior_therapies"] = data["prior_therapies"]
    post["age_band"] = data.get("age_band") or ""
    post["brain_metastases"] = "on" if data["brain_metastases"] else ""
    post["notes"] = data.get("notes", "")
    post["her2_positive_fraction"] = ""
    return post


def test_staff_creates_a_case_in_the_admin_with_derived_status(client, staff, profile):
    client.force_login(staff)
    response = client.post(reverse("admin:cases_caseprofile_add"), _form(profile))
    assert response.status_code == 302
    case = CaseProfile.objects.get()
    assert case.her2_status == "positive"
    assert case.markers == {"MUC4": "high"}
    assert case.created_by == staff


def test_admin_refuses_identifiers_and_out_of_scale_markers_beside_the_field(
    client, staff, profile
):
    client.force_login(staff)
    response = client.post(
        reverse("admin:cases_caseprofile_add"),
        _form(profile, notes="seen by Dr Petrenko", markers='{"MUC4": "positive"}'),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "name" in errors["notes"][0] and "Petrenko" not in errors["notes"][0]
    assert "MUC4 accepts: high, normal, low" in errors["markers"][0]
    assert CaseProfile.objects.count() == 0


def test_case_list_in_admin_filters_by_her2_status(client, staff, profile):
    from cases.services import case_create

    case_create(data=profile)
    case_create(data={**profile, "her2_ihc": "1+"})
    client.force_login(staff)
    response = client.get(reverse("admin:cases_caseprofile_changelist"), {"her2_status": "low"})
    assert response.context["cl"].result_count == 1
