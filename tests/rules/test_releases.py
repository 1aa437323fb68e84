"""Dated knowledge-base releases (issue #13): curators' changes reach users only when a
release is published; every payload, page and snapshot names its release; each release
has a changelog made from the curators' reasons and can be exported as it was."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from board.snapshots import snapshot_create
from cases.services import case_create
from rules.models import Release, Rule
from rules.releases import release_publish
from rules.reviews import change_approve, changes_blocking, changes_unapproved
from tests.factories import (
    CONTRACT_EXAMPLE,
    release_publish_now,
    rule_rows,
    token_client,
    user_create,
)

pytestmark = pytest.mark.django_db

SLUG = "pi3k-inhibitor-with-trastuzumab"


def _evaluate(user) -> dict:
    return token_client(user).post("/api/v1/evaluate/", CONTRACT_EXAMPLE, format="json").json()


def _title_in(payload: dict) -> str:
    return next(r["title"] for r in payload["recommendations"] if r["rule"] == SLUG)


@pytest.fixture
def second_curator():
    return user_create("curator2", "curator", is_staff=True)


def _approve_all(reviewer) -> None:
    """Approve what holds a release back (not the migration's unreviewed translation)."""
    for change in changes_blocking(changes_unapproved()):
        change_approve(section=change.section, key=change.key, reviewer=reviewer)


def _edit_title(curator, title: str, reason: str) -> None:
    rule = Rule.objects.get(slug=SLUG)
    response = token_client(curator).patch(
        f"/api/v1/rules/{SLUG}/",
        {"title": title, "version": rule.version, "change_reason": reason},
        format="json",
    )
    assert response.status_code == 200


def test_every_evaluation_names_the_release_it_used(trainee):
    body = _evaluate(trainee)
    release = body["knowledge_base_release"]
    assert release["name"] == "2026.3"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", release["published_at"])
    assert body["knowledge_base_version"].startswith("kb-")


def test_a_curators_edit_reaches_users_only_with_the_next_release(curator, trainee, second_curator):
    before = _evaluate(trainee)
    _edit_title(curator, "PI3K inhibition beside trastuzumab (edited)", "Title tightened.")
    assert _evaluate(trainee) == before  # users keep seeing the release

    _approve_all(second_curator)
    release = release_publish(name="2026.4", user=curator)
    after = _evaluate(trainee)
    assert _title_in(after) == "PI3K inhibition beside trastuzumab (edited)"
    assert after["knowledge_base_release"]["name"] == "2026.4"
    assert after["knowledge_base_version"] != before["knowledge_base_version"]
    assert f"rule {SLUG} changed by curator1: Title tightened." in release.changelog


def test_the_release_page_shows_the_changelog_and_pages_link_to_it(
    client, curator, trainee, second_curator
):
    _edit_title(curator, "PI3K inhibition beside trastuzumab (edited)", "Title tightened.")
    _approve_all(second_curator)
    release_publish(name="2026.4", user=curator)
    client.force_login(trainee)
    page = client.get("/knowledge/releases/2026.4/").content.decode()
    assert "Title tightened." in page and "the release users' evaluations use now" in page
    listing = client.get("/knowledge/releases/").content.decode()
    assert "2026.3" in listing and "2026.4" in listing
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    case_page = client.get(case.get_absolute_url()).content.decode()
    assert 'href="/knowledge/releases/2026.4/"' in case_page
    assert 'href="/knowledge/releases/2026.4/"' in client.get("/knowledge/").content.decode()
    assert client.get("/knowledge/releases/1999.1/").status_code == 404


def test_a_snapshot_is_pinned_to_its_release(curator, trainee, second_curator):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    snapshot = snapshot_create(case=case, user=trainee)
    assert snapshot.knowledge_base_release == "2026.3"
    _edit_title(curator, "PI3K inhibition beside trastuzumab (edited)", "Title tightened.")
    _approve_all(second_curator)
    release_publish(name="2026.4", user=curator)
    listed = token_client(trainee).get(f"/api/v1/cases/{case.code}/evaluations/").json()
    assert listed["results"][0]["knowledge_base_release"] == "2026.3"
    assert listed["results"][0]["evaluation"]["knowledge_base_release"]["name"] == "2026.3"


def test_a_release_exports_as_it_was_published(tmp_path, curator, second_curator):
    _edit_title(curator, "PI3K inhibition beside trastuzumab (edited)", "Title tightened.")
    _approve_all(second_curator)
    release_publish(name="2026.4", user=curator)
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    call_command("export_knowledge_base", str(old), "--release", "2026.3")
    call_command("export_knowledge_base", str(new), "--release", "2026.4")

    def title(path):
        data = yaml.safe_load(path.read_text())
        return next(r["title"] for r in data["rules"] if r["slug"] == SLUG)

    assert title(new) == "PI3K inhibition beside trastuzumab (edited)"
    assert title(old) != title(new)
    with pytest.raises(CommandError, match=r"No release named '1999\.1'; releases: "):
        call_command("export_knowledge_base", str(old), "--release", "1999.1")


@pytest.mark.parametrize(
    ("name", "message"),
    [("2026.1", "already exists"), ("spring", "YEAR.N"), ("2026.4", "Nothing users see")],
)
def test_a_release_is_refused_with_a_reason(name, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        release_publish(name=name)
    assert Release.objects.count() == 3


def test_curators_publish_from_the_admin_and_every_change_needs_a_reason(
    client, curator, second_curator
):
    client.force_login(curator)
    rule = Rule.objects.get(slug=SLUG)
    form = client.get(f"/admin/rules/rule/{rule.pk}/change/").context["adminform"].form

    data = {name: form[name].value() for name in form.fields}
    data.update(rule_rows(citations=rule.citations, examples=rule.examples))
    data.update(
        strategy=rule.strategy_id,
        title="Edited in the admin",
        change_reason="",
    )
    refused = client.post(f"/admin/rules/rule/{rule.pk}/change/", data)
    assert "change_reason" in refused.context["adminform"].form.errors
    data["change_reason"] = "Admin wording."
    assert client.post(f"/admin/rules/rule/{rule.pk}/change/", data).status_code == 302

    nothing_new = client.post(reverse("admin:rules_release_add"), {"name": "2026.3"})
    assert "already exists" in nothing_new.content.decode()
    waiting = client.post(reverse("admin:rules_release_add"), {"name": "2026.4"})
    assert "awaits a second curator&#x27;s approval" in waiting.content.decode()
    _approve_all(second_curator)
    published = client.post(reverse("admin:rules_release_add"), {"name": "2026.4"}, follow=True)
    assert "Published release 2026.4" in published.content.decode()
    assert any("Admin wording." in line for line in Release.objects.get(name="2026.4").changelog)


def test_the_publish_command_prints_the_changelog(curator, capsys, second_curator):
    _edit_title(curator, "PI3K inhibition beside trastuzumab (edited)", "Title tightened.")
    _approve_all(second_curator)
    call_command("publish_release", "2026.4", "--user", "curator1")
    out = capsys.readouterr().out
    assert "Published release 2026.4" in out and "Title tightened." in out
    with pytest.raises(CommandError, match="Nothing users see has changed"):
        call_command("publish_release", "2026.5")


def test_the_api_lists_releases_newest_first_with_their_changelogs(curator):
    api = token_client(curator)
    first = api.get("/api/v1/releases/").json()["results"]
    assert [r["name"] for r in first] == ["2026.3", "2026.2", "2026.1"]  # made by migrations
    rule = Rule.objects.filter(status="published").first()
    rule.rationale += " (edited)"
    rule._change_reason = "a clearer rationale"
    rule.save()
    published = release_publish_now(user=curator)
    listed = api.get("/api/v1/releases/").json()["results"]
    assert [r["name"] for r in listed] == [published.name, "2026.3", "2026.2", "2026.1"]
    one = api.get(f"/api/v1/releases/{published.name}/").json()
    assert one["published_by"] == curator.username
    assert one["version"] == published.version
    assert any("a clearer rationale" in line for line in one["changelog"])
    assert api.get("/api/v1/releases/1999.1/").status_code == 404
