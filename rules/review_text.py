"""The review's own text, and quotes of it: where provenance points.

`rules/knowledge_base/review.md` is a copy of the review as ../shared/seeds holds it (a
test checks the two are the same). Its body text runs from the Introduction to the
Conclusions, headings left out; paragraphs are its blank-line-separated blocks, numbered
from 1. (The copy keeps the journal's page breaks, so a few sentences run on from one
block into the next: a quote of one is found all the same, at the paragraph it starts in.)

A quote is one or more whole sentences copied verbatim; only whitespace may differ.
"""

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from core.memory import remembered

REVIEW_FILE = Path(__file__).resolve().parent / "knowledge_base" / "review.md"
BODY_FIRST = "### Introduction"
BODY_END = "### References"
_SPACE = re.compile(r"\s+")
_SENTENCE_END = (".", "!", "?")


def _squeeze(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class ReviewBody:
    text: str  # the paragraphs, whitespace squeezed, joined by one space
    starts: tuple[int, ...]  # where each paragraph starts in `text`

    def paragraph_at(self, offset: int) -> int:
        """The 1-based number of the paragraph holding `offset`."""
        return bisect.bisect_right(self.starts, offset)


@remembered(holds="the review's body text, in paragraphs", invalidated="never (shipped data)")
def review_body() -> ReviewBody:
    text = REVIEW_FILE.read_text(encoding="utf-8")
    body = text[text.index(BODY_FIRST) : text.index(BODY_END)]
    paragraphs = [
        _squeeze(block)
        for block in re.split(r"\n\s*\n", body)
        if block.strip() and not block.lstrip().startswith("#")
    ]
    starts, offset = [], 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(paragraph) + 1
    return ReviewBody(text=" ".join(paragraphs), starts=tuple(starts))


def review_paragraph(number: int) -> str:
    """The text of a paragraph of the review's body (1-based)."""
    body = review_body()
    start = body.starts[number - 1]
    end = body.starts[number] - 1 if number < len(body.starts) else len(body.text)
    return body.text[start:end]


def quote_locate(quote: str) -> int | None:
    """The paragraph a quote starts in, if it is whole sentences of the review; else None."""
    wanted = _squeeze(quote)
    if not wanted or not wanted.endswith(_SENTENCE_END):
        return None
    body = review_body()
    at = body.text.find(wanted)
    while at != -1:
        starts_sentence = (
            at == 0 or at in body.starts or body.text[at - 2 : at] in (". ", "! ", "? ")
        )
        end = at + len(wanted)
        ends_sentence = end == len(body.text) or body.text[end] == " "
        if starts_sentence and ends_sentence:
            return body.paragraph_at(at)
        at = body.text.find(wanted, at + 1)
    return None


def provenance_problems(provenance: object) -> list[str]:
    """What is wrong with a rule's provenance: its shape, quotes not in the review, or a
    paragraph number that is not where the quote is."""
    if not isinstance(provenance, list) or not all(
        isinstance(item, dict)
        and set(item) == {"quote", "paragraph"}
        and isinstance(item["quote"], str)
        and isinstance(item["paragraph"], int)
        for item in provenance
    ):
        return ['Provenance is a list of {"quote": "…", "paragraph": 17}.']
    problems = []
    for number, item in enumerate(provenance, start=1):
        paragraph = quote_locate(item["quote"])
        if paragraph is None:
            problems.append(
                f"Quote {number} is not whole sentences of the review, copied verbatim "
                "(only whitespace may differ)."
            )
        elif paragraph != item["paragraph"]:
            problems.append(f"Quote {number} is in paragraph {paragraph}, not {item['paragraph']}.")
    return problems


def provenance_of(*quotes: str) -> list[dict]:
    """Provenance for quotes of the review, each with the paragraph it is in (curators'
    tools and the knowledge-base migrations use it; a quote not found raises)."""
    items = []
    for quote in quotes:
        paragraph = quote_locate(quote)
        if paragraph is None:
            raise ValueError(f"Not whole sentences of the review: {quote[:60]}…")
        items.append({"quote": _squeeze(quote), "paragraph": paragraph})
    return items
