"""The suggestions section (board/jinja2/board/_evaluation.jinja2) shows every suggestion of
the payload in its order, with its evidence, mechanism, rationale, why it fires and its
citations; every value escaped; full on the case page, compact on session pages."""

import copy
import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.presentation import recommendations_why
from board.templatetags.board_evaluation import evaluation_section
from cases.services import case_create
from rules.evaluation import profile_evaluate
from rules.knowledge_base import knowledge_base_published
from tests.factories import contract_example, profiles

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """The tags opened, and the text of each <h3> and <p> (entities decoded)."""

    def __init__(self, markup: str):
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[str] = []
        self._in_heading = False
        self.text = ""
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_heading = tag == "h3"
        if self._in_heading:
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag == "h3":
            self._in_heading = False

    def handle_data(self, data):
        self.text += data
        if self._in_heading:
            self.headings[-1] += data


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _example_payload() -> dict:
    data = contract_example(pik3ca="unknown")  # one standard test to suggest
    return profile_evaluate(profile=case_create(data=data, user=None).as_profile())


def _variants(payload: dict):
    with_why = {**payload, "recommendations": recommendations_why(payload)}
    for evaluation in (payload, with_why, {**with_why, "knowledge_base_release": None}):
        for compact in (False, True):
            yield evaluation, compact


def _check(evaluation: dict, compact: bool) -> _Page:
    markup = str(evaluation_section(evaluation, compact=compact))
    page = _Page(markup)
    leads = evaluation["research_leads"]
    recommendations = evaluation["recommendations"] + leads
    titles = [_plain(r["title"]) for r in recommendations]
    sections = {"Suggested tests", "Research assays: not clinically validated"}
    lead_heading = f"Research leads ({len(leads)}): not for curative-intent decisions"
    items = [_plain(h) for h in page.headings if _plain(h) not in sections | {lead_heading}]
    assert items == titles  # in order, the research leads after the recommendations
    assert (lead_heading in [_plain(h) for h in page.headings]) == bool(leads)
    assert page.tags.count("article") == len(recommendations)
    text = _plain(page.text)
    for r in recommendations:
        for quote in r["provenance"]:
            assert _plain(quote["quote"]) in text and f"paragraph {quote['paragraph']}" in text
    for warning in evaluation["profile_warnings"]:
        assert _plain(warning["message"]) in text
    for r in recommendations:
        for value in (r["evidence_label"], r["mechanism"], r["rationale"]):
            assert _plain(value) in text
        for citation in r["citations"]:
            assert _plain(citation["title"]) in text
            assert _plain(citation["label"] if compact else citation["authors"]) in text
        if r.get("why"):
            assert f"Why it fires here: {_plain(r['why'])}." in text
    assert ("In the knowledge browser" in text) == (
        not compact and any(r["citations"] for r in recommendations)
    )
    released = evaluation["knowledge_base_release"]
    assert ("Knowledge base release" in text) == (not compact and released is not None)
    for test in evaluation["suggested_tests"]:
        assert _plain(test["label"]) in text
    return page


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_section_shows_every_suggestion_of_generated_profiles(data):
    kb = knowledge_base_published()
    profile = data.draw(profiles(kb.marker_scales))
    for evaluation, compact in _variants(profile_evaluate(profile=profile)):
        _check(evaluation, compact)


def _hostile(value):
    """Every text of a payload with characters HTML must escape."""
    if isinstance(value, str):
        return value + " <b>&\"'"
    if isinstance(value, list):
        return [_hostile(item) for item in value]
    if isinstance(value, dict):
        return {key: _hostile(item) for key, item in value.items()}
    return value


def test_every_value_is_escaped():
    payload = _example_payload()
    assert payload["recommendations"] and payload["suggested_tests"]
    hostile = _hostile(copy.deepcopy(payload))
    # Citations with and without identifiers, retracted or not, with caveats.
    for index, citation in enumerate(c for r in hostile["recommendations"] for c in r["citations"]):
        if index % 2:
            citation.update(doi_url="", pubmed_url="", retracted=True, caveats=["a <i>"])
    for evaluation, compact in _variants(hostile):
        page = _check(evaluation, compact)
        assert "b" not in page.tags and "i" not in page.tags
        assert "Caveat: a <i>" in page.text and "RETRACTED" in page.text


def test_a_citation_without_identifiers_links_a_pubmed_search_for_its_title():
    payload = _example_payload()
    recommendation = copy.deepcopy(payload["recommendations"][0])
    recommendation["citations"] = [
        {**recommendation["citations"][0], "doi_url": "", "pubmed_url": "", "title": "A & B/C"}
    ]
    markup = str(evaluation_section({**payload, "recommendations": [recommendation]}))
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/?term=A%20%26%20B/C"' in markup
    assert "no identifier was verified" in html.unescape(markup)


def test_an_empty_evaluation_says_no_rule_matched_outside_the_scope():
    payload = _example_payload()
    empty = {**payload, "recommendations": [], "suggested_tests": [], "in_scope": False}
    for compact in (False, True):
        text = _plain(_check(empty, compact).text)
        assert "No rule matched." in text and "outside the review's scope" in text
