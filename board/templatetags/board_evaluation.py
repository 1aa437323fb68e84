"""The engine's suggestions for one evaluation payload, as HTML:
`{% evaluation_section evaluation %}` on the case page, with `compact=True`
on board-session pages (no release line, no knowledge-browser links, short citations).

Written in Python, every value escaped: through the template engine this section was
about a fifth of a case page's CPU (dozens of lookups and filters per suggestion). The
markup is the template's that it replaced, kept as the reference in
tests/board/evaluation_reference.html; a test compares the two over generated profiles.
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.html import escaped

register = template.Library()


# A value as {{ value }} writes it (no localisation applies to these payload values).
_e = escaped


def _joined(values, separator: str) -> str:
    """{{ values|join:separator }}"""
    return _e(separator).join(_e(value) for value in values)


def _release(evaluation: Mapping[str, Any]) -> str:
    release, version = evaluation["knowledge_base_release"], evaluation["knowledge_base_version"]
    if release:
        return format_html(
            'Knowledge base release <a href="{}">{}</a> (published {}; content <code>{}</code>)',
            reverse("knowledge-release", args=[release["name"]]),
            release["name"],
            str(release["published_at"])[:10],
            version,
        )
    return format_html("Knowledge base <code>{}</code> (not yet released)", version)


def _facts(recommendation: Mapping[str, Any]) -> str:
    why = recommendation.get("why")
    if why is not None:
        return f'<p class="facts"><strong>Why it fires here:</strong> {_e(why)}.</p>' if why else ""
    facts = []
    for name, value in recommendation["matched_facts"].items():
        if name == "markers":
            facts.append(", ".join(f"{_e(code)} = {_e(result)}" for code, result in value.items()))
        else:
            facts.append(f"{_e(name)} = {_e(value)}")
    return f'<p class="facts"><strong>Triggered by:</strong> {"; ".join(facts)}</p>'


def _citation(citation: Mapping[str, Any], *, compact: bool, knowledge_url: str) -> str:
    c = citation
    written = [
        "<li>",
        _e(c["label"]) if compact else f"{_e(c['authors'])} ({_e(c['year'])})",
        f". {_e(c['title'])}. <em>{_e(c['journal'])}</em>.",
    ]
    if c["doi_url"]:
        written.append(f' <a href="{_e(c["doi_url"])}" rel="noopener">doi:{_e(c["doi"])}</a>')
    if c["pubmed_url"]:
        written.append(
            f' <a href="{_e(c["pubmed_url"])}" rel="noopener">PubMed {_e(c["pmid"])}</a>'
        )
    if not c["doi_url"] and not c["pubmed_url"]:
        search = _e(quote(str(c["title"]), safe="/"))
        written.append(
            f' <a href="https://pubmed.ncbi.nlm.nih.gov/?term={search}" rel="noopener">'
            "Search PubMed for this title</a> <small>(a search: no identifier was verified)"
            "</small>"
        )
    if not compact:
        written.append(
            f' <a href="{_e(knowledge_url)}#ref-{_e(c["key"])}">In the knowledge browser</a>'
        )
    if c["retracted"]:
        written.append(' <strong class="retracted">RETRACTED</strong>')
    written += [
        f'<br><small class="caveat">Caveat: {_e(caveat)}</small>' for caveat in c["caveats"]
    ]
    written.append("</li>")
    return "".join(written)


def _recommendation(r: Mapping[str, Any], *, compact: bool, knowledge_url: str) -> str:
    mapping = r["evidence_mapping"]
    written = [
        f'<article class="recommendation kind-{_e(r["kind"])}">',
        f'<p class="labels"><span class="badge evidence-{_e(r["evidence_level"])}" '
        f'title="CIViC {_e(mapping["civic"])}; AMP/ASCO/CAP {_e(mapping["amp_asco_cap"])}">'
        f"{_e(r['evidence_label'])}</span> "
        f'<span class="kind">{_e(r["kind_label"])}</span> · '
        f'<span class="mechanism">{_e(r["mechanism"])}</span></p>',
        f"<h3>{_e(r['title'])}</h3>",
    ]
    if r["strategy"]:
        agents = f" ({_joined(r['agents'], ', ')})" if r["agents"] else ""
        written.append(f"<p><strong>Strategy:</strong> {_e(r['strategy'])}{agents}</p>")
    written += [f"<p>{_e(r['rationale'])}</p>", _facts(r)]
    if r["citations"]:
        written.append('<ul class="citations">')
        written += [
            _citation(c, compact=compact, knowledge_url=knowledge_url) for c in r["citations"]
        ]
        written.append("</ul>")
    written.append("</article>")
    return "".join(written)


def _tests(tests) -> str:
    items = []
    for t in tests:
        adds = f": would add {_joined(t['adds'], '; ')}" if t["adds"] else ""
        removes = ""
        if t["removes"]:
            removes = f"{',' if t['adds'] else ':'} would remove {_joined(t['removes'], '; ')}"
        items.append(f"<li><strong>{_e(t['label'])}</strong>{adds}{removes}.</li>")
    return "".join(items)


@register.simple_tag
def evaluation_section(evaluation: Mapping[str, Any], compact: bool = False) -> SafeString:
    """The suggestions section of an evaluation payload (with `why` on each suggestion
    where the page explains it), in the payload's order: strongest evidence first."""
    knowledge_url = "" if compact else reverse("knowledge")
    written = [
        '<section aria-labelledby="suggestions-title" class="evaluation">',
        '<h2 id="suggestions-title">Suggestions from the review</h2>',
        '<p class="kb">',
        "" if compact else f"{_release(evaluation)}.",
        " ",
        ""
        if evaluation["in_scope"]
        else ("<strong>This profile is outside the review's scope.</strong>"),
        "</p>",
    ]
    recommendations = evaluation["recommendations"]
    written += [
        _recommendation(r, compact=compact, knowledge_url=knowledge_url) for r in recommendations
    ]
    if not recommendations:
        written.append(
            "<p><strong>No rule matched.</strong> That does not mean there is nothing to "
            "consider: the engine encodes one review only.</p>"
        )
    tests = evaluation["suggested_tests"]
    if tests:
        written.append("<h3>Suggested tests</h3>")
        if compact:
            labels = ", ".join(_e(t["label"]) for t in tests)
            written.append(
                f'<p class="tests">Results that would change these suggestions: {labels}.</p>'
            )
        else:
            written.append(f'<ul class="tests">{_tests(tests)}</ul>')
    assays = evaluation.get("research_assays")
    if assays and not compact:
        written.append(
            '<details class="research"><summary>Research assays '
            f"({len(assays)}): not clinically validated</summary>"
            f"<ul>{_tests(assays)}</ul></details>"
        )
    written.append("</section>")
    return mark_safe("".join(written))  # noqa: S308 - every value above is escaped
