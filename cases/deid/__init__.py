"""The de-identification screen for every stored free-text field.

Identifiers are refused, never cleaned. `text_findings` reports what the screens found as
(kind, start, end) without the text; `text_screen` raises one ValidationError per kind,
naming it and its character offsets, and never echoing the matched text. `text_validate`
is the same check as a model-field validator: every stored free-text field carries it
(tests/cases/test_deid_fields.py enumerates them).

Pipeline: prepare the text (drop invisible format characters, fold look-alike and
other-script digits, fold Cyrillic and Greek look-alikes inside words that mix them with
Latin letters), keeping where each prepared character came from, so that messages point at
the user's own characters; blank out clinical references that look like identifiers
(cases.deid.allowlist); run the screens (cases.deid.screens, cases.deid.names, and
cases.deid.worded for identifiers in words, other languages or context) and keep, where two
overlap, the one listed first.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from cases.deid import screens, worded
from cases.deid.allowlist import clinical_references_mask
from cases.deid.names import NameScreen
from cases.deid.screens import ControlCharacterScreen, Screen
from core.memory import remembered

CONTROL_CHARACTERS = ControlCharacterScreen()

SCREENS: tuple[Screen, ...] = (
    CONTROL_CHARACTERS,
    screens.MarkupScreen(),
    screens.UrlScreen(),
    screens.EmailScreen(),
    worded.SpacedEmailScreen(),
    screens.HandleScreen(),
    screens.IpAddressScreen(),
    screens.DateScreen(),
    worded.WordedDateScreen(),
    screens.AgeOver89Screen(),
    worded.WordedAgeScreen(),
    screens.PhoneScreen(),
    worded.WordedPhoneScreen(),
    screens.RecordNumberScreen(),
    worded.AccessionScreen(),
    screens.VehicleIdScreen(),
    screens.DigitRunScreen(),
    screens.PostalCodeScreen(),
    screens.PlaceScreen(),
    worded.ForeignStreetScreen(),
    NameScreen(),
    worded.NameInContextScreen(),
    worded.DeclinedNameScreen(),
)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int


@remembered(holds="each character's folded form", invalidated="never (Unicode data)")
def _fold_cached(char: str) -> str:
    return _fold(char)


def _fold(char: str) -> str:
    if char.isdigit() and not char.isascii():
        try:
            return str(unicodedata.decimal(char))
        except ValueError:
            pass  # superscript, subscript and circled digits: NFKC gives the digit
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def text_normalise(text: str) -> str:
    """Fold full-width, mathematical, other-script, superscript, subscript and circled
    digits and look-alikes, one for one."""
    if text.isascii():
        return text
    table = {}
    for char in set(text):
        if not char.isascii() and (folded := _fold_cached(char)) != char:
            table[ord(char)] = folded
    return text.translate(table) if table else text


# Format characters that change the direction of text: never dropped, so that the control
# character screen refuses them (they can hide what a text says).
DIRECTION_CHARACTERS = frozenset(
    "\u200e\u200f"
    + "".join(map(chr, range(0x202A, 0x202F)))
    + "".join(map(chr, range(0x2066, 0x206A)))
)


@remembered(
    holds="Cyrillic and Greek letters that look like a Latin letter, and that letter",
    invalidated="never (Unicode's confusables data, shipped with confusable-homoglyphs)",
)
def _look_alikes() -> dict[str, str]:
    from confusable_homoglyphs import categories, confusables

    folded = {}
    for char, homoglyphs in confusables.confusables_data.items():
        if len(char) != 1 or categories.alias(char) not in ("CYRILLIC", "GREEK"):
            continue
        latin = [h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii()]
        if latin and latin[0].isalpha():
            folded[char] = latin[0]
    return folded


@remembered(
    holds="the format characters dropped (a translate table) and the look-alikes' pattern",
    invalidated="never (Unicode data)",
)
def _patterns() -> tuple[dict[int, None], re.Pattern, re.Pattern]:
    dropped = {
        code: None
        for code in range(0x110000)
        if unicodedata.category(chr(code)) == "Cf" and chr(code) not in DIRECTION_CHARACTERS
    }
    look_alikes = "".join(re.escape(char) for char in _look_alikes())
    return dropped, re.compile(f"[{look_alikes}]"), re.compile(f"[{_ranges(dropped)}]")


def _ranges(codes) -> str:
    """A character class of code points, as ranges (a class of single characters is slow)."""
    ordered, parts = sorted(codes), []
    start = previous = ordered[0]
    for code in [*ordered[1:], -1]:
        if code != previous + 1:
            parts.append(
                re.escape(chr(start)) + (f"-{re.escape(chr(previous))}" if previous > start else "")
            )
            start = code
        previous = code
    return "".join(parts)


def _mixed_words_folded(text: str) -> str:
    """Each word that mixes Latin letters with Cyrillic or Greek look-alikes, folded to
    Latin one for one ("Kоwalska" with a Cyrillic о). A word wholly in one script is left
    as it is: Ukrainian prose stays Ukrainian."""
    found = _patterns()[1].search(text)
    if found is None:  # the usual case: no look-alike at all
        return text
    look_alikes = _look_alikes()
    chars = list(text)
    end = 0
    while found is not None:
        start = found.start()
        if start >= end:  # a word not folded yet: from its first to its last letter
            while start > 0 and text[start - 1].isalnum():
                start -= 1
            end = found.end()
            while end < len(text) and text[end].isalnum():
                end += 1
            word = text[start:end]
            if any(c.isascii() and c.isalpha() for c in word):
                chars[start:end] = [look_alikes.get(c, c) for c in word]
        found = _patterns()[1].search(text, max(end, found.end()))
    return "".join(chars)


def text_prepare(text: str) -> tuple[str, list[int] | range]:
    """The text the screens read, and for each of its characters the offset of the user's
    character it came from: format characters (Unicode category Cf: zero-width spaces and
    joiners, soft hyphens) are dropped, but for direction controls, which the control
    character screen refuses; look-alikes are folded one for one."""
    if text.isascii():
        return _refanged(text, range(len(text)))
    dropped, _, present = _patterns()
    offsets: list[int] | range = range(len(text))
    if present.search(text):
        offsets = [i for i, c in enumerate(text) if ord(c) not in dropped]
        text = text.translate(dropped)
    text, offsets = _refanged(text_normalise(text), offsets)
    return _mixed_words_folded(text), offsets


# Defanged addresses, read as what they stand for: "jane [at] example [.] org",
# "hxxps://", "10[.]0[.]0[.]1" (security review 2, M4).
_DEFANGED = re.compile(r"[\[({](?:at|@|\.|dot|:)[\])}]|hxxp", re.IGNORECASE)


def _refang(match: re.Match) -> str:
    found = match.group().strip().lower()
    if found == "hxxp":
        return "http"
    return (
        "@" if "at" in found or "@" in found else ("." if "." in found or "dot" in found else ":")
    )


def _refanged(text: str, offsets: list[int] | range) -> tuple[str, list[int] | range]:
    """`text` with defanged addresses restored, and where each character came from (a
    restored character stands for the first and last of what it replaced)."""
    if _DEFANGED.search(text) is None:
        return text, offsets
    parts, mapped, last = [], [], 0
    for match in _DEFANGED.finditer(text):
        start, end = match.span()
        if match.group().lower() != "hxxp":  # "jane [at] example": the spaces go too
            while start > last and text[start - 1] == " ":
                start -= 1
            while end < len(text) and text[end] == " ":
                end += 1
        parts.append(text[last:start])
        mapped.extend(offsets[last:start])
        restored = _refang(match)
        parts.append(restored)
        mapped.extend([offsets[start]] * (len(restored) - 1) + [offsets[end - 1]])
        last = end
    parts.append(text[last:])
    mapped.extend(offsets[last:])
    return "".join(parts), mapped


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:  # overlapping, or one space apart
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def text_findings(text: str) -> list[Finding]:
    """Every identifier found in `text`, by kind and character offsets, first screen first."""
    if not text:
        return []
    prepared, offsets = text_prepare(text)
    prepared = clinical_references_mask(prepared)
    claimed: list[tuple[int, int]] = []
    findings: list[Finding] = []
    for screen in SCREENS:
        spans = screen.find(prepared)
        if not spans:
            continue
        for start, end in _merged(spans):
            if any(start < b and a < end for a, b in claimed):
                continue
            claimed.append((start, end))
            # Where the user typed it: offsets of their own characters.
            findings.append(Finding(screen.kind, offsets[start], offsets[end - 1] + 1))
    return findings


def text_screen(text: str) -> None:
    """Raise ValidationError naming each kind of identifier in `text` and where it is."""
    findings = text_findings(text)
    if not findings:
        return
    by_kind: dict[str, list[Finding]] = {}
    for finding in findings:
        by_kind.setdefault(finding.kind, []).append(finding)
    raise ValidationError(
        [
            ValidationError(
                gettext_lazy(
                    "This text must be de-identified; it appears to contain %(kind)s "
                    "(characters %(where)s). Nothing was stored."
                ),
                code="identifier",
                params={
                    "kind": gettext(kind),
                    "where": ", ".join(f"{f.start + 1}–{f.end}" for f in found),
                    "start": found[0].start,
                    "end": found[0].end,
                },
            )
            for kind, found in by_kind.items()
        ]
    )


def text_validate(value: str) -> None:
    """Model-field validator: the screen, for any stored free-text field."""
    if isinstance(value, str):
        text_screen(value)


def control_characters_validate(value: str) -> None:
    """Model-field validator for text that is not screened (curators' knowledge base)."""
    if not isinstance(value, str):
        return
    if spans := CONTROL_CHARACTERS.find(value):
        raise ValidationError(
            gettext_lazy(
                "This text contains control characters (such as NUL or text-direction "
                "overrides) at characters %(where)s; remove them. Nothing was stored."
            ),
            code="control_characters",
            params={"where": ", ".join(str(start + 1) for start, _ in spans)},
        )
