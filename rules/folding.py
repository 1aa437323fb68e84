"""Words for searching: lower case without accents, split into whole words."""

import re
import unicodedata

WORD = re.compile(r"\w+")


def text_fold(text: str) -> str:
    """Lower case without accents: "Kovács" and "kovacs" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def text_words(text: str) -> list[str]:
    """The whole words of a text, folded."""
    return WORD.findall(text_fold(text or ""))
