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


def _revision(user, key: str = SLUG) -> dict:
    """The decision body for a change as `user` reads it now: its revision."""
    listed = token_client(user).get("/api/v1/revisions/").json()
    return {"revision": next(c["revision"] for c in listed if c["key"] == key)}


def _approve(user, key: str = SLUG, reviewer_reads=None):
    body = _revision(reviewer_reads or user, key)
    return token_client(user).post(f"/api/v1/revisions/rules/{key}/approve/", body, format="json")


def _english(changes: list[dict]) -> list[dict]:
    """The listed changes but the migration's Ukrainian draft, released unreviewed."""
    return [change for change in changes if not change["translation_only"]]


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
    (change,) = _english(listed)
    assert change["section"] == "rules" and change["key"] == SLUG
    assert change["authors"] == ["curator1"] and change["reasons"] == ["Title tightened."]
    assert {"field": "title", "released": change["diff"][0]["released"], "now": EDITED} in (
        change["diff"]
    )
    assert change["approved_by"] is None

    own = _approve(curator)
    assert own.status_code == 403 and "no self-approval" in own.json()["detail"]
    with pytest.raises(ValidationError, match="awaits a second curator"):
        release_publish(name="2026.4", user=curator)
    assert _titles(trainee) == before

    approved = _approve(curator_b)
    assert approved.status_code == 200
    assert _titles(trainee) == before  # approved, not yet released
    release = release_publish(name="2026.4", user=curator_b)
    assert EDITED in _titles(trainee)
    assert f"rule {SLUG} changed by curator1: Title tightened." in release.changelog


def test_a_rejection_restores_the_released_version_and_keeps_its_reason(curator, curator_b):
    released_title = Rule.objects.get(slug=SLUG).title
    _edit(curator)
    api = token_client(curator_b)
    read = _revision(curator_b)
    assert (
        api.post(f"/api/v1/revisions/rules/{SLUG}/reject/", read, format="json").status_code == 400
    )
    rejected = api.post(
        f"/api/v1/revisions/rules/{SLUG}/reject/",
        {**read, "reason": "The review's wording is closer."},
        format="json",
    )
    assert rejected.status_code == 200
    assert Rule.objects.get(slug=SLUG).title == released_title
    review = Review.objects.get(decision="rejected")
    assert review.reason == "The review's wording is closer." and review.reviewer == curator_b
    assert _english(api.get("/api/v1/revisions/").json()) == []
    newest = Rule.history.filter(slug=SLUG).order_by("-history_id").first()
    assert newest.history_change_reason == "rejected by curator2: The review's wording is closer."


def test_an_edit_after_an_approval_needs_a_new_one(curator, curator_b):
    _edit(curator)
    _approve(curator_b)
    _edit(curator, title=EDITED + " again", reason="Once more.")
    (change,) = _english(token_client(curator_b).get("/api/v1/revisions/").json())
    assert change["approved_by"] is None
    assert change["reasons"] == ["Title tightened.", "Once more."]


def test_only_curators_see_and_decide_revisions(trainee, curator):
    _edit(curator)
    api = token_client(trainee)
    assert api.get("/api/v1/revisions/").status_code == 403
    assert api.post(f"/api/v1/revisions/rules/{SLUG}/approve/", {"revision": 1}).status_code == 403


def test_deciding_on_nothing_is_a_clear_400(curator_b):
    response = token_client(curator_b).post(
        "/api/v1/revisions/rules/no-such-rule/approve/", {"revision": 1}, format="json"
    )
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
    _approve(curator_b)
    page = client.get("/admin/rules/rule/", {"q": "pi3k-inhibitor"}).content.decode()
    assert "approved by curator2" in page


# Security review 2: M9 (rename, then delete) and L8 (an approval tied to what was read).


def test_a_released_rule_keeps_its_slug(curator):
    version = Rule.objects.get(slug=SLUG).version
    response = token_client(curator).patch(
        f"/api/v1/rules/{SLUG}/",
        {"slug": "rt-renamed", "version": version, "change_reason": "tidy slug"},
        format="json",
    )
    assert response.status_code == 400 and "keeps its slug" in str(response.json())
    assert Rule.objects.filter(slug=SLUG).exists()


def test_a_curator_cannot_approve_their_own_removal_of_a_released_rule(curator, curator_b):
    api = token_client(curator)
    assert api.delete(f"/api/v1/rules/{SLUG}/").status_code == 400  # no reason given
    assert api.delete(f"/api/v1/rules/{SLUG}/?change_reason=superseded").status_code == 204
    (change,) = _english(token_client(curator_b).get("/api/v1/revisions/").json())
    assert change["action"] == "removed" and change["authors"] == ["curator1"]
    assert _approve(curator).status_code == 403
    assert _approve(curator_b).status_code == 200


def test_a_renamed_draft_keeps_its_authors(curator, curator_b):
    from rules.reviews import changes_pending

    rule = Rule.objects.get(slug=SLUG)
    draft = token_client(curator).post(
        "/api/v1/rules/",
        {"slug": "rt-draft", "title": "A draft", "kind": rule.kind, "status": "draft",
         "mechanism": rule.mechanism.slug, "strategy": rule.strategy.slug,
         "evidence_level": rule.evidence_level, "condition": rule.condition,
         "rationale": "x", "citations": rule.citations, "change_reason": "new"},
        format="json",
    )  # fmt: skip
    assert draft.status_code == 201
    moved = token_client(curator_b).patch(
        "/api/v1/rules/rt-draft/",
        {"slug": "rt-draft-2", "version": 1, "change_reason": "rename"},
        format="json",
    )
    assert moved.status_code == 200  # never released: a draft may be renamed
    (change,) = [c for c in changes_pending() if c.key == "rt-draft-2"]
    assert change.authors == ["curator1", "curator2"]


def test_an_approval_of_a_change_edited_since_it_was_read_is_refused(curator, curator_b):
    _edit(curator)
    read = _revision(curator_b)
    _edit(curator, title=EDITED + " again", reason="Once more.")
    api = token_client(curator_b)
    stale = api.post(f"/api/v1/revisions/rules/{SLUG}/approve/", read, format="json")
    assert stale.status_code == 409 and "edited since you read it" in stale.json()["detail"]
    assert _approve(curator_b).status_code == 200  # after reading it again


def test_a_decision_without_the_revision_read_is_refused_naming_the_field(curator, curator_b):
    _edit(curator)
    response = token_client(curator_b).post(f"/api/v1/revisions/rules/{SLUG}/approve/")
    assert response.status_code == 400 and "revision" in response.json()["errors"]


def test_the_release_changelog_names_who_approved_each_change(curator, curator_b):
    _edit(curator)
    _approve(curator_b)
    release = release_publish(name="2026.4", user=curator)
    assert f"rule {SLUG} approved by curator2" in release.changelog
