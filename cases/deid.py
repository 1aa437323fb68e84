"""The de-identification screen for free text (`notes`).

Identifiers are refused, never cleaned. Each screen is a small class with one interface,
like Django's password validators: `check(text)` returns a short description of what kind
of identifier it found, or None. `notes_screen` runs them all and raises one
ValidationError listing every kind found, without echoing the text that matched.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|"
    r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)


class RegexScreen:
    """Refuses text matching any of `patterns`; `found` names the kind of identifier."""

    found: str = ""
    patterns: tuple[str, ...] = ()
    flags: int = re.IGNORECASE

    def __init__(self) -> None:
        self._compiled = [re.compile(p, self.flags) for p in self.patterns]

    def check(self, text: str) -> str | None:
        if any(p.search(text) for p in self._compiled):
            return self.found
        return None


class DateScreen(RegexScreen):
    found = "a date (day or month); give timing relative to treatment, e.g. 'after 14 months'"
    patterns = (
        r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b",  # 12/03/1961, 1.3.24
        r"\b\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}\b",  # 2024-05-01
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\b\.?",  # 3 March
        rf"\b{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b",  # March 3, March 2024
        rf"\b{_MONTHS}\.?\s+\d{{4}}\b",
    )

    def check(self, text: str) -> str | None:
        # "may" is also a verb: month patterns only count with a capital M for May.
        lowered_may = re.sub(r"\bmay\b", "could", text)
        return super().check(lowered_may)


class EmailScreen(RegexScreen):
    found = "an e-mail address"
    patterns = (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",)


class UrlScreen(RegexScreen):
    found = "a web address (URL)"
    patterns = (
        r"\b(?:https?|ftp)://",
        r"\bwww\.",
        # A bare domain, but not the domain part of an e-mail address (reported as such).
        r"(?<![@\w.-])[\w-]+\.(?:com|org|net|gov|edu|info|io|nhs\.uk|co\.uk|ua|de|fr)\b",
    )


class IpAddressScreen(RegexScreen):
    found = "an IP address"
    patterns = (r"\b\d{1,3}(?:\.\d{1,3}){3}\b",)


class PhoneScreen(RegexScreen):
    """Phone and fax numbers and social-security-style numbers: 7+ digits in separated groups."""

    found = "a phone, fax or social security number"
    patterns = (
        r"(?<![\w.])(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{1,5}\)[\s.\-]?)?\d{1,5}(?:[\s.\-]\d{1,5}){1,5}(?![\w.])",
    )

    def check(self, text: str) -> str | None:
        for pattern in self._compiled:
            for match in pattern.finditer(text):
                if sum(ch.isdigit() for ch in match.group()) >= 7:
                    return self.found
        return None


class DigitRunScreen(RegexScreen):
    found = "a run of six or more digits (a record or account number)"
    patterns = (r"\d{6,}",)


class RecordNumberScreen(RegexScreen):
    found = "a record, account, licence, device or plan number"
    patterns = (
        # Identifier abbreviations followed by a number: "MRN 4471", "NHS: 943", "ID#12".
        r"\b(?:MRN|NHS|ID|SSN|VIN)\b[\s:#.\-]*(?:no\.?|number)?[\s:#.\-]*[A-Z]{0,3}\d",
        # Plain words only count with "number"/"no."/"#": "patient 2" is clinical prose.
        r"\b(?:record|hospital|patient|chart|account|acct|member|beneficiary|policy|insurance|"
        r"licen[cs]e|certificate|serial|device|plate|registration|passport)\s*"
        r"(?:no\.?|number|num|#|id)[\s:#.\-]*[A-Z]{0,3}\d",
    )


class VehicleIdScreen(RegexScreen):
    found = "a vehicle identification number"
    flags = 0
    patterns = (r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b",)


class PostalCodeScreen(RegexScreen):
    found = "a postal code"
    flags = 0
    patterns = (
        r"(?<![\d.,])\d{5}(?:-\d{4})?(?![\d.,%])",  # US ZIP, many European codes
        r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b",  # UK postcode
    )


class AddressScreen(RegexScreen):
    found = "a street address"
    flags = 0
    patterns = (
        r"\b[A-Z][a-z]+\s+(?i:street|st\.|road|rd\.|avenue|ave\.|lane|boulevard|blvd)(?![a-z])",
        r"(?i)\b(?:street|str\.|vulytsia|apartment|apt\.|flat)\s+\d",
    )


class HonorificNameScreen(RegexScreen):
    found = "a person's name (a title followed by a name)"
    flags = 0
    patterns = (r"\b(?i:mr|mrs|ms|miss|mx|dr|prof|sir|madam|mme|mlle|herr|frau|pani)\.?\s+[A-Z]",)


class AgeOver89Screen(RegexScreen):
    found = "an age over 89 (use the age band 90+)"
    patterns = (
        r"\b(?:9\d|1[0-2]\d)\s*(?:-|\s)?\s*(?:years?|yrs?|y/?o)\b",
        r"\b(?:aged?|age:)\s*(?:9\d|1[0-2]\d)\b",
    )


class MarkupScreen(RegexScreen):
    """Not an identifier, but notes are plain text: markup has no place in them."""

    found = "markup (HTML or script tags); write plain text"
    patterns = (r"<\s*[a-z!/?]", r"javascript:")


NOTES_SCREENS: tuple[RegexScreen, ...] = (
    DateScreen(),
    EmailScreen(),
    UrlScreen(),
    IpAddressScreen(),
    PhoneScreen(),
    DigitRunScreen(),
    RecordNumberScreen(),
    VehicleIdScreen(),
    PostalCodeScreen(),
    AddressScreen(),
    HonorificNameScreen(),
    AgeOver89Screen(),
    MarkupScreen(),
)


def text_normalise(text: str) -> str:
    """Fold look-alike characters (full-width digits, ligatures) so screens see plain text."""
    return unicodedata.normalize("NFKC", text)


def notes_screen(text: str) -> None:
    """Raise ValidationError naming every kind of identifier found in `text`."""
    normalised = text_normalise(text)
    found = [kind for screen in NOTES_SCREENS if (kind := screen.check(normalised))]
    if found:
        raise ValidationError(
            [
                ValidationError(
                    "This text must be de-identified; it appears to contain %(kind)s. "
                    "Nothing was stored.",
                    code="identifier",
                    params={"kind": kind},
                )
                for kind in dict.fromkeys(found)
            ]
        )
