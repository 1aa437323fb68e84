"""A rule's title as a CDS card summary: under 140 characters, cut at a word, the evidence
qualifier in brackets kept; a title that cannot be shortened so is refused at release."""

import pytest
from django.core.exceptions import ValidationError

from rules.knowledge_base import knowledge_base_get
from rules.titles import title_summary

pytestmark = pytest.mark.django_db


def test_every_published_title_has_a_summary_under_140_characters_with_its_qualifier():
    for rule in knowledge_base_get().ruleset.rules:
        summary = title_summary(rule.title)
        assert summary is not None and len(summary) < 140, rule.slug
        if rule.title.rstrip().endswith(")"):
            qualifier = rule.title[rule.title.rindex("(") :]
            assert summary.endswith(qualifier), rule.slug


def test_a_long_title_is_cut_at_a_word_and_keeps_its_qualifier():
    title = "Finding " + "word " * 40 + "(preclinical)"
    summary = title_summary(title)
    assert len(summary) < 140
    assert summary.endswith("word… (preclinical)")
    assert title_summary("Short (phase III)") == "Short (phase III)"


def test_a_title_whose_qualifier_leaves_no_room_cannot_be_published(curator):
    from rules.models import Rule
    from tests.factories import release_publish_now

    # An evaluated rule (background statements never become cards).
    rule = Rule.objects.get(slug=knowledge_base_get().ruleset.rules[0].slug)
    rule.title = "A finding that matters here, " + "(" + "a very long qualifier " * 5 + ")"
    rule._change_reason = "test"
    rule.save()
    assert title_summary(rule.title) is None
    with pytest.raises(ValidationError) as refused:
        release_publish_now(user=curator)
    assert rule.slug in str(refused.value)
    assert "CDS card's summary" in str(refused.value)
