"""The de-identification screen for every stored free-text field.

Identifiers are refused, never cleaned. `text_findings` reports what the screens found as
(kind, start, end) without the text; `text_screen` raises one ValidationError per kind,
naming it and its character offsets, and never echoing the matched text. `text_validate`
is the same check as a model-field validator: every stored free-text field carries it
(tests/cases/test_deid_fields.py enumerates them).

Pipeline: fold look-alike characters one for one (so offsets stay true), blank out clinical
references that look like identifiers (cases.deid.allowlist), run the screens
(cases.deid.screens) and keep, where two overlap, the one listed first.
"""

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from cases.deid import screens
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
    screens.IpAddressScreen(),
    screens.DateScreen(),
    screens.AgeOver89Screen(),
    screens.PhoneScreen(),
    screens.RecordNumberScreen(),
    screens.VehicleIdScreen(),
    screens.DigitRunScreen(),
    screens.PostalCodeScreen(),
    screens.PlaceScreen(),
    NameScreen(),
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
            return char
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def text_normalise(text: str) -> str:
    """Fold full-width, mathematical and other-script digits and look-alikes, one for one."""
    if text.isascii():
        return text
    table = {}
    for char in set(text):
        if not char.isascii() and (folded := _fold_cached(char)) != char:
            table[ord(char)] = folded
    return text.translate(table) if table else text


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
    prepared = clinical_references_mask(text_normalise(text))
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
            findings.append(Finding(screen.kind, start, end))
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
                "This text must be de-identified; it appears to contain %(kind)s "
                "(characters %(where)s). Nothing was stored.",
                code="identifier",
                params={
                    "kind": kind,
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
            "This text contains control characters (such as NUL or text-direction "
            "overrides) at characters %(where)s; remove them. Nothing was stored.",
            code="control_characters",
            params={"where": ", ".join(str(start + 1) for start, _ in spans)},
        )
