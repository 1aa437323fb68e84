"""Names: after a title or a relation, a known first name with a surname, Slavic surnames.

First names, surnames and their Latin transliterations come from cases.deid.gazetteer.
"""

import re

from cases.contract import N_
from cases.deid import gazetteer
from cases.deid.screens import _UPPER, RegexScreen, Screen, Span

SLAVIC_ENDINGS = (
    "enko",
    "chuk",
    "czuk",
    "wicz",
    "owski",
    "ewski",
    "owska",
    "ewska",
    "skyi",
    "ckyi",
)


class _AbbreviatedTitles(RegexScreen):
    """ "Mrs Smith", "dr wilson", "Dr.Smith": a title abbreviation and the word after it."""

    patterns = (
        (
            ("mr", "ms", "mx", "dr", "prof", "sr", "jr", "miss"),
            r"\b(?:mr|mrs|ms|mss|miss|mx|dr|prof|sr|jr)\b\.?\s*"
            r"(?!(?:to|the|and|of|in|on|at|for|with|a|an|is|was|will|review|re)\b)"
            r"[a-zà-ÿā-ž'’]{2,}",
        ),
    )

    def find(self, text: str) -> list[Span]:
        # Not after a number: "430 ms" is a unit.
        return [
            (start, end)
            for start, end in super().find(text)
            if not re.search(r"\d\s?$", text[max(0, start - 2) : start])
        ]


_ABBREVIATED_TITLES = _AbbreviatedTitles()


def _keyword_then(keywords: re.Pattern, name: re.Pattern, text: str, lowered: str):
    """(keyword start, name start, name end) for each keyword, at a word start in the
    lower-cased text, followed by a name in the original text."""
    for m in keywords.finditer(lowered):
        start = m.start()
        if start and (lowered[start - 1].isalnum() or lowered[start - 1] in "_-"):
            continue
        if found := name.match(text, m.end()):
            yield start, found.start(), found.end()


class NameScreen(Screen):
    """People's names: after a title or a relation, or a known first name with a surname."""

    kind = N_("a person's name")
    # Keywords are found in the lower-cased text (fast), the name after them in the original.
    _TITLES = re.compile(
        r"(?:mister|missus|madam|mistress|doctor|professor|sir|dame|lady|lord|mme|mlle|herr|"
        r"frau|pani|pan|señora|señor|sra\.|sr\.)\s+"
    )
    _TITLES_UK = re.compile(
        r"(?:д-р|др\.|доктор|професор|проф\.?|пані|пан|лікарка|лікаря|лікар|господин|госпожа)\s*"
    )
    _RELATIONS = re.compile(
        r"(?:patient|pt|husband|wife|partner|spouse|daughter|son|mother|father|sister|"
        r"brother|niece|nephew|aunt|uncle|grandson|granddaughter|grandmother|grandfather|"
        r"friend|carer|caregiver|neighbour|neighbor|named|called|пацієнтк[аи]|пацієнта|пацієнт|"
        r"хвор(?:а|ий|ої)|чоловіка|чоловік|дружин[аи]|доньк[аи]|дочк[аи]|син|мат(?:и|ір)|"
        r"батьк[оа]|сестр[аи]|брат)\b[,:]?\s+"
    )
    _NAME = re.compile(rf"{_UPPER}[\w'’\-]+")
    _NAME_UK = re.compile(r"[А-ЯІЇЄҐЁ][а-яіїєґё'’\-]+")
    _RELATIVE = re.compile(rf"{_UPPER}[a-zà-ÿā-žа-яіїєґё'’\-]+")
    _CAPITALISED = re.compile(rf"{_UPPER}(?<![\w\-].)[a-zà-ÿā-žа-яіїєґё'’]+(?:-{_UPPER}[\w'’]+)?")

    def find(self, text: str) -> list[Span]:
        lowered = text.lower()
        spans = _ABBREVIATED_TITLES.find(text)
        spans += [(k, n) for k, _, n in _keyword_then(self._TITLES, self._NAME, text, lowered)]
        spans += [
            (k, n) for k, _, n in _keyword_then(self._TITLES_UK, self._NAME_UK, text, lowered)
        ]
        first, last = gazetteer.first_names(), gazetteer.surnames()
        clinical = gazetteer.CLINICAL_WORDS
        for start, name_start, end in _keyword_then(self._RELATIONS, self._RELATIVE, text, lowered):
            trigger = lowered[start:name_start].split()[0].strip(",:")
            name = lowered[name_start:end]
            # After "patient", only what is known to be a name: "Patient Reported Outcome".
            if trigger not in {"patient", "pt"} or (
                name in first or name in last or name.endswith(SLAVIC_ENDINGS)
            ):
                spans.append((name_start, end))
        words = list(self._CAPITALISED.finditer(text))
        for index, this in enumerate(words):
            following = words[index + 1] if index + 1 < len(words) else None
            word = this.group().lower()
            if following is not None and (word in first or word.split("-")[0] in first):
                between = text[this.end() : following.start()]
                nxt = following.group().lower()
                if between.strip() == "" and nxt not in clinical:
                    spans.append((this.start(), following.end()))
                    continue
            # Cyrillic surnames stand alone ("Коваленко"): the list, or the -енко ending.
            if (
                re.match(r"[А-ЯІЇЄҐЁ]", this.group())
                and (word in last or word.endswith(("енко", "ейко", "чук", "щук")))
            ) or (len(word) >= 6 and word.endswith(SLAVIC_ENDINGS)):
                spans.append(this.span())
        return spans
