"""A worker reads whether the knowledge base changed at most once per
KNOWLEDGE_BASE_RECHECK_SECONDS: a release published by another worker reaches it within
that interval; one published (or a marker saved) in the same worker reaches it at once."""

from types import SimpleNamespace

import pytest
from django.db.models.signals import post_save

from cases.models import Marker
from rules import knowledge_base as kb_module
from rules.knowledge_base import knowledge_base_cache_clear, knowledge_base_published
from rules.models import Release, Rule
from rules.releases import release_publish
from rules.reviews import change_approve, changes_blocking, changes_unapproved
from tests.factories import user_create

pytestmark = pytest.mark.django_db

SLUG = "pi3k-inhibitor-with-trastuzumab"


@pytest.fixture
def clock(monkeypatch, settings):
    settings.KNOWLEDGE_BASE_RECHECK_SECONDS = 1.0
    now = [1000.0]
    monkeypatch.setattr(kb_module, "time", SimpleNamespace(monotonic=lambda: now[0]))
    return now


def _title() -> str:
    return next(r.title for r in knowledge_base_published().rules if r.slug == SLUG)


def _publish_edited_title(title: str, *, here: bool) -> None:
    """Publish a release with the rule retitled; `here=False` as another worker would (this
    process is not told)."""
    rule = Rule.objects.get(slug=SLUG)
    rule.title = title
    rule._change_reason = "Retitled for the test."
    rule.save()
    # The edit has no recorded curator (saved without a user): a superuser approves it.
    reviewer = user_create("curator2", "curator", is_staff=True, is_superuser=True)
    for change in changes_blocking(changes_unapproved()):
        change_approve(section=change.section, key=change.key, reviewer=reviewer)
    if here:
        release_publish(name="2026.9")
        return
    post_save.disconnect(knowledge_base_cache_clear, sender=Release)
    try:
        release_publish(name="2026.9")
    finally:
        post_save.connect(knowledge_base_cache_clear, sender=Release, weak=False)


def test_a_release_from_another_worker_arrives_within_the_interval(clock):
    before = _title()
    _publish_edited_title("Retitled elsewhere", here=False)
    clock[0] += 0.9
    assert _title() == before  # not asked yet: the interval has not passed
    clock[0] += 0.2
    assert _title() == "Retitled elsewhere"


def test_a_release_published_in_this_worker_is_seen_at_once(clock):
    _title()
    _publish_edited_title("Retitled here", here=True)
    assert _title() == "Retitled here"


def test_a_marker_saved_in_this_worker_changes_what_profiles_may_say_at_once(clock):
    marker = Marker.objects.get(code="MUC4")
    assert "high" in knowledge_base_published().marker_scales["MUC4"]
    marker.scale = "presence"
    marker.save()
    assert "high" not in knowledge_base_published().marker_scales["MUC4"]


def test_nothing_is_read_again_within_the_interval(clock, django_assert_num_queries):
    knowledge_base_published()
    clock[0] += 0.5
    with django_assert_num_queries(0):
        knowledge_base_published()
    clock[0] += 0.6
    with django_assert_num_queries(1):  # the fingerprint; nothing changed, nothing rebuilt
        knowledge_base_published()
