"""The suggestions section (board.templatetags.board_evaluation) shows what the template it
replaced showed (tests/board/evaluation_reference.html): the same elements, text and
attributes, every value escaped, for generated profiles, in full and compact form, with
and without the page's "why" and a release; only whitespace a browser does not show may
differ."""

import copy
import re
from pathlib import Path

import pytest
from django.template import engines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.presentation import recommendations_why
from board.templatetags.board_evaluation import evaluation_section
from cases.services import case_create
from rules.evaluation import profile_evaluate
from rules.knowledge_base import knowledge_base_published
from tests.factories import CONTRACT_EXAMPLE, profiles

pytestmark = pytest.mark.django_db
REFERENCE = engines["django"].from_string(
    (Path(__file__).parent / "evaluation_reference.html").read_text(encoding="utf-8")
)
# Whitespace next to these tags is not rendered.
_BLOCK = r"(?:section|h2|h3|p|article|ul|li|details|summary|br)"


def _shown(html: str) -> str:
    html = re.sub(r"\{#.*?#\}", "", html)
    html = re.sub(r"\s+", " ", html)
    return re.sub(rf"\s*(</?{_BLOCK}\b[^>]*>)\s*", r"\1", html).strip()


def _both(evaluation: dict, compact: bool) -> tuple[str, str]:
    ours = evaluation_section(evaluation, compact=compact)
    theirs = REFERENCE.render({"evaluation": evaluation, "compact": compact})
    return _shown(ours), _shown(theirs)


def _example_payload() -> dict:
    return profile_evaluate(profile=case_create(data=CONTRACT_EXAMPLE, user=None).as_profile())


def _variants(payload: dict):
    with_why = {**payload, "recommendations": recommendations_why(payload)}
    for evaluation in (payload, with_why, {**with_why, "knowledge_base_release": None}):
        for compact in (False, True):
            yield evaluation, compact


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_section_shows_what_the_template_showed(data):
    kb = knowledge_base_published()
    profile = data.draw(profiles(kb.marker_scales))
    for evaluation, compact in _variants(profile_evaluate(profile=profile)):
        ours, theirs = _both(evaluation, compact)
        assert ours == theirs


def _hostile(value):
    """Every text of a payload with characters HTML must escape."""
    if isinstance(value, str):
        return value + " <b>&\"'"
    if isinstance(value, list):
        return [_hostile(item) for item in value]
    if isinstance(value, dict):
        return {key: _hostile(item) for key, item in value.items()}
    return value


def test_every_value_is_escaped_as_the_template_escaped_it():
    payload = _example_payload()
    assert payload["recommendations"] and payload["suggested_tests"]
    citations = [c for r in payload["recommendations"] for c in r["citations"]]
    assert citations
    hostile = _hostile(copy.deepcopy(payload))
    # Citations with and without identifiers, retracted or not, with caveats.
    for index, citation in enumerate(c for r in hostile["recommendations"] for c in r["citations"]):
        if index % 2:
            citation.update(doi_url="", pubmed_url="", retracted=True, caveats=["a <i>"])
    for evaluation, compact in _variants(hostile):
        ours, theirs = _both(evaluation, compact)
        assert ours == theirs
        assert "<b>" not in ours


def test_an_empty_evaluation_says_no_rule_matched_outside_the_scope():
    payload = _example_payload()
    empty = {**payload, "recommendations": [], "suggested_tests": [], "in_scope": False}
    for compact in (False, True):
        ours, theirs = _both(empty, compact)
        assert ours == theirs
        assert "No rule matched." in ours and "outside the review's scope" in ours
