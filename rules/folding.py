"""Words for searching, and texts for sorting, in English and Ukrainian.

Searching folds case, accents and the Ukrainian letters a searcher may type without their
marks: "Kovács" finds Kovacs, "ї" and "й" are found as "і" and "и" (their marks are
accents to Unicode), "є" as "е" and "ґ" as "г".

Sorting follows the language's alphabet. Ukrainian puts ґ after г, є after е, і, ї and й
after и, and the soft sign before ю: neither code-point order (which puts і, ї, є and ґ
after я) nor the Unicode root collation (pyuca: ґ sorts with г, ї with і) gets it right,
and ICU's Ukrainian collation (PyICU) needs ICU built on the machine. So `sort_key` ranks
letters by the alphabet itself; for English, case and accents are set aside.
"""

import re
import unicodedata

WORD = re.compile(r"\w+")
# Ukrainian letters a searcher may type without their marks (ї and й lose theirs as
# accents when decomposed).
_PLAIN = str.maketrans({"є": "е", "ґ": "г"})
UKRAINIAN_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_RANK = {letter: rank for rank, letter in enumerate(UKRAINIAN_ALPHABET)}


def text_fold(text: str) -> str:
    """Lower case without accents: "Kovács" and "kovacs" fold alike, and so do "Їжак",
    "іжак" and "Ґанок", "ганок"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return plain.translate(_PLAIN)


def text_words(text: str) -> list[str]:
    """The whole words of a text, folded."""
    return WORD.findall(text_fold(text or ""))


def sort_key(text: str, language: str) -> tuple:
    """A key that sorts texts as the language's alphabet does: for "uk", Ukrainian letters
    by the alphabet, then other letters; otherwise case and accents set aside. Spaces sort
    before letters (a shorter word first); other punctuation is set aside."""
    if language != "uk":
        return (text_fold(text), text)
    ranks = []
    for char in unicodedata.normalize("NFC", text).casefold():
        if char in _RANK:
            ranks.append((1, _RANK[char]))
        elif char.isspace():
            ranks.append((0, 0))
        elif char.isalnum():
            ranks.append((2, ord(text_fold(char)[:1] or char)))
    return (tuple(ranks), text)
