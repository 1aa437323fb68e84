"""A second curator reviews every change before it can be released (issue #13): the
whole flow through the API, the refusals, and a rejection that restores the release."""

import pytest
from django.core.exceptions import ValidationError

from rules.models import Review, Rule
from rules.releases import release_publish
from tests.factories import CONTRACT_EXAMPLE, token_client, user_create

pytestmark = pytest.mark.django_db

SLUG = "pi3k-inhibitor-with-trastuzumab"
EDITED = "PI3K inhibition beside trastuzumab (edited)"


@pytest.fixture
def curator_b():
    return user_create("curator2", "curator", is_staff=True)


def _edit(curator, title: str = EDITED, reason: str = "Title tightened.") -> None:
    version = Rule.objects.get(slug=SLUG).version
    response = token_client(curator).patch(
        f"/api/v1/rules/{SLUG}/",
        {"title": title, "version": version, "change_reason": reason},
        format="json",
    )
    assert response.status_code == 200


def _titles(user) -> list[str]:
    body = token_client(user).post("/api/v1/evaluate/", CONTRACT_EXAMPLE, format="json").json()
    return [r["title"] for r in body["recommendations"]]


def test_an_edit_goes_live_only_after_another_curator_approves_and_a_release(
    curator, curator_b, trainee
):
    before = _titles(trainee)
    _edit(curator)
    assert _titles(trainee) == before

    listed = token_client(curator_b).get("/api/v1/revisions/").json()
    (change,) = listed
    assert change["section"] == "rules" and change["key"] == SLUG
    assert change["authors"] == ["curator1"] and change["reasons"] == ["Title tightened."]
    assert {"field": "title", "released": change["diff"][0]["released"], "now": EDITED} in (
        change["diff"]
    )
    assert change["approved_by"] is None

    own = token_client(curator).post(f"/api/v1/revisions/rules/{SLUG}/approve/")
    assert own.status_code == 403 and "no self-approval" in own.json()["detail"]
    with pytest.raises(ValidationError, match="await a second curator"):
        release_publish(name="2026.3", user=curator)
    assert _titles(trainee) == before

    approved = token_client(curator_b).post(f"/api/v1/revisions/rules/{SLUG}/approve/")
    assert approved.status_code == 200
    assert _titles(trainee) == before  # approved, not yet released
    release = release_publish(name="2026.3", user=curator_b)
    assert EDITED in _titles(trainee)
    assert f"rule {SLUG} changed by curator1: Title tightened." in release.changelog


def test_a_rejection_restores_the_released_version_and_keeps_its_reason(curator, curator_b):
    released_title = Rule.objects.get(slug=SLUG).title
    _edit(curator)
    api = token_client(curator_b)
    assert api.post(f"/api/v1/revisions/rules/{SLUG}/reject/", {}, format="json").status_code == 400
    rejected = api.post(
        f"/api/v1/revisions/rules/{SLUG}/reject/",
        {"reason": "The review's wording is closer."},
        format="json",
    )
    assert rejected.status_code == 200
    assert Rule.objects.get(slug=SLUG).title == released_title
    review = Review.objects.get(decision="rejected")
    assert review.reason == "The review's wording is closer." and review.reviewer == curator_b
    assert api.get("/api/v1/revisions/").json() == []
    newest = Rule.history.filter(slug=SLUG).order_by("-history_id").first()
    assert newest.history_change_reason == "rejected by curator2: The review's wording is closer."


def test_an_edit_after_an_approval_needs_a_new_one(curator, curator_b):
    _edit(curator)
    token_client(curator_b).post(f"/api/v1/revisions/rules/{SLUG}/approve/")
    _edit(curator, title=EDITED + " again", reason="Once more.")
    (change,) = token_client(curator_b).get("/api/v1/revisions/").json()
    assert change["approved_by"] is None
    assert change["reasons"] == ["Title tightened.", "Once more."]


def test_only_curators_see_and_decide_revisions(trainee, curator):
    _edit(curator)
    api = token_client(trainee)
    assert api.get("/api/v1/revisions/").status_code == 403
    assert api.post(f"/api/v1/revisions/rules/{SLUG}/approve/").status_code == 403


def test_deciding_on_nothing_is_a_clear_400(curator_b):
    response = token_client(curator_b).post("/api/v1/revisions/rules/no-such-rule/approve/")
    assert response.status_code == 400
    assert "awaits review" in str(response.json())


def test_an_api_write_without_a_reason_is_refused_naming_the_field(curator):
    version = Rule.objects.get(slug=SLUG).version
    response = token_client(curator).patch(
        f"/api/v1/rules/{SLUG}/", {"title": EDITED, "version": version}, format="json"
    )
    assert response.status_code == 400
    assert "change_reason" in response.json()["errors"]
    assert Rule.objects.get(slug=SLUG).title != EDITED


def test_the_rule_list_says_which_rules_await_review(client, curator, curator_b):
    _edit(curator)
    client.force_login(curator_b)
    page = client.get("/admin/rules/rule/", {"q": "pi3k-inhibitor"}).content.decode()
    assert "awaits review" in page
    token_client(curator_b).post(f"/api/v1/revisions/rules/{SLUG}/approve/")
    page = client.get("/admin/rules/rule/", {"q": "pi3k-inhibitor"}).content.decode()
    assert "approved by curator2" in page
