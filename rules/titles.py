"""A rule's title as a CDS card's summary: under 140 characters (CDS Hooks 2.0 asks for a
"<140-character summary"), cut at a word, with the trailing evidence qualifier kept.

Titles end with what kind of evidence they report, in brackets ("(preclinical)", "(phase
III)"); a summary that dropped it would state a research finding as if it were settled.
So a long title keeps its last bracketed part whole and loses words before it. A title
whose qualifier leaves too little room for the finding cannot be a summary: release_check
refuses to publish it (rules.releases).
"""

import re

SUMMARY_MOST = 139
FINDING_LEAST = 40  # characters of the finding a shortened summary keeps, at least
_QUALIFIER = re.compile(r"\s*(\([^()]*\))\s*$")


def title_summary(title: str) -> str | None:
    """The summary of `title`, or None when it cannot be shortened with its qualifier kept."""
    title = " ".join(title.split())
    if len(title) <= SUMMARY_MOST:
        return title
    match = _QUALIFIER.search(title)
    qualifier = f" {match.group(1)}" if match else ""
    finding = title[: match.start()] if match else title
    room = SUMMARY_MOST - len(qualifier) - 1  # the ellipsis
    if room < FINDING_LEAST:
        return None
    cut = finding[: room + 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else cut[:room]
    return cut.rstrip(" ,;:") + "…" + qualifier


def titles_too_long(titles: dict[str, str]) -> list[str]:
    """The slugs whose titles cannot be a card summary."""
    return sorted(slug for slug, title in titles.items() if title_summary(title) is None)
