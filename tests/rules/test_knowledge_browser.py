"""The knowledge browser: facets with counts, whole-word accent-insensitive search with
highlighting, contents, labels, linked citations, and "not covered by this review"."""

import re
from pathlib import Path

import pytest

from rules.browser import knowledge_base_search
from rules.knowledge_base import knowledge_base_published
from rules.not_covered import NOT_COVERED

pytestmark = pytest.mark.django_db
REVIEW = Path(__file__).resolve().parents[1] / "data" / "shared" / "seeds"


def _search(**kwargs):
    return knowledge_base_search(knowledge_base=knowledge_base_published(), **kwargs)


def _slugs(result) -> list[str]:
    return [item["rule"].slug for _, group in result["mechanisms"] for item in group["items"]]


def test_search_matches_whole_words_not_parts_of_words():
    kb = knowledge_base_published()
    rules = [*kb.rules, *kb.background]

    def text(rule) -> str:
        return " ".join([rule.title, rule.rationale, *(c["label"] for c in rule.citations)])

    # "Han" is the retracted source's author; "enhance" must not match it.
    assert [r for r in rules if "enhanc" in text(r).lower()]  # the trap is there
    expected = sorted(r.slug for r in rules if re.search(r"\bHan\b", text(r)))
    han = _search(query="Han")
    assert sorted(_slugs(han)) == expected
    assert han["references"]
    assert all(re.search(r"\bHan\b", i["reference"].authors) for i in han["references"])


def test_search_ignores_case_and_accents_and_highlights_the_words():
    plain = _search(query="alpelisib")
    assert _slugs(_search(query="ALPELÍSIB")) == _slugs(plain)
    title = next(
        item["title"]
        for _, group in plain["mechanisms"]
        for item in group["items"]
        if "alpelisib" in item["rule"].title.lower()
    )
    assert "<mark>alpelisib</mark>" in title


def test_facets_count_what_they_would_show_and_narrow_the_list():
    result = _search()
    evidence = {item["value"]: item["count"] for item in result["facets"]["evidence"]}
    assert sum(evidence.values()) == result["total_count"]
    narrowed = _search(selected={"evidence": "approved_indication"})
    assert narrowed["shown_count"] == evidence["approved_indication"]
    assert all(
        item["rule"].evidence_level == "approved_indication"
        for _, group in narrowed["mechanisms"]
        for item in group["items"]
    )
    markers = {item["value"]: item["count"] for item in result["facets"]["marker"]}
    assert markers.get("MUC4", 0) >= 1
    muc4 = _search(selected={"marker": "MUC4"})
    assert muc4["shown_count"] == markers["MUC4"]
    labels = [item["label"] for item in result["facets"]["evidence"]]
    assert labels[0] == "Approved indication"  # labels, strongest first


def test_a_drug_the_review_does_not_discuss_is_said_to_be_not_covered(client, trainee):
    client.force_login(trainee)
    page = client.get("/knowledge/", {"q": "neratinib"}).content.decode()
    assert "Not covered by this review." in page and "“neratinib”" in page
    assert 'id="references-title"' not in page  # no empty heading
    nothing = client.get("/knowledge/", {"q": "zzzz"}).content.decode()
    assert "Not covered by this review." not in nothing and "No rule matches" in nothing


def test_every_not_covered_term_is_absent_from_the_review():
    text = " ".join(p.read_text() for p in REVIEW.iterdir()).lower()
    assert text  # the review's copy is there
    for term in NOT_COVERED:
        assert not re.search(rf"\b{re.escape(term)}\b", text), term


def test_the_page_has_contents_labels_counts_and_linked_citations(client, trainee):
    client.force_login(trainee)
    response = client.get("/knowledge/")
    page = response.content.decode()
    assert 'id="toc-title">Contents' in page
    first_slug, _ = response.context["mechanisms"][0]
    assert f'href="#mech-{first_slug}"' in page and f'id="mech-{first_slug}"' in page
    assert re.search(r"<strong>\d+ of \d+ rules</strong>", page)
    assert ">approved_indication<" not in page  # slugs are not shown as labels
    cited = re.findall(r'<a href="#ref-([\w-]+)">', page)
    assert cited and all(f'id="ref-{key}"' in page for key in set(cited))
    unlinked = re.findall(r'<li id="ref-[^"]+">(.*?)</li>', page, re.S)
    assert all("doi.org" in ref or "PubMed" in ref for ref in unlinked)


def test_facet_links_toggle_and_keep_the_search(client, trainee):
    client.force_login(trainee)
    response = client.get("/knowledge/", {"q": "trastuzumab"})
    kinds = response.context["facets"]["kind"]
    link = kinds[0]["href"]
    assert "q=trastuzumab" in link and f"kind={kinds[0]['value']}" in link
    chosen = client.get("/knowledge/" + link).context
    assert chosen["selected"] == {"kind": kinds[0]["value"]}
    again = next(i for i in chosen["facets"]["kind"] if i["selected"])
    assert "kind=" not in again["href"]
