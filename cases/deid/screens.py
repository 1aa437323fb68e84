"""The screens: one small class per kind of identifier, all behind `find(text)`.

Like Django's password validators, each screen is a class with one method: `find` returns
the (start, end) spans of what it recognises in already-normalised, already-masked text.
Categories follow HIPAA Safe Harbor; the order of cases.deid.SCREENS is the precedence when
two screens claim the same characters (a date is reported as a date, not a phone number).
"""

import re

from cases.contract import N_
from cases.deid import gazetteer

Span = tuple[int, int]

_MONTHS_EN = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTHS_UK = (
    r"(?:січ(?:ня|ень)|лют(?:ого|ий)|берез(?:ня|ень)|квіт(?:ня|ень)|трав(?:ня|ень)|"
    r"черв(?:ня|ень)|лип(?:ня|ень)|серп(?:ня|ень)|верес(?:ня|ень)|жовт(?:ня|ень)|"
    r"листопад(?:а)?|груд(?:ня|ень))"
)
_UPPER = r"[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯІЇЄҐЁ]"
_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿĀ-žА-Яа-яІіЇїЄєҐґЁё'’\-]"
_NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_SEP = r"[\s.\-–—‒·/_]"
# Between digit groups: one separator, or a dash with spaces; never ". " (a sentence end).
_GROUP_SEP = r"(?:\s?[\-–—‒]\s?|[\s.·/_])"


class Screen:
    """Finds one kind of identifier; `kind` is how a refusal names it."""

    kind: str = ""

    def find(self, text: str) -> list[Span]:
        raise NotImplementedError


class RegexScreen(Screen):
    """Patterns, each optionally behind triggers: lower-case substrings (or a compiled
    pattern) at least one of which the text must hold before the pattern is tried. Triggers
    only make the screen fast; they never change what it finds.

    Case-insensitive screens run case-sensitively on the lower-cased text (same length), and
    a leading `\\b` is checked after matching: both let the regex engine skip ahead on a
    literal prefix, which makes screening several times faster.
    """

    patterns: tuple = ()
    flags: int = re.IGNORECASE

    def __init__(self) -> None:
        # Consecutive patterns behind the same triggers form one group whose triggers are
        # tried once per text: (triggers, a trigger pattern's search or None, the substring
        # triggers or (), [(fast, boundary, fallback, insensitive) for each pattern]).
        self._groups: list[tuple] = []
        for entry in self.patterns:
            triggers, pattern = entry if isinstance(entry, tuple) else ((), entry)
            compiled = self._compile(pattern)
            if self._groups and self._groups[-1][0] is triggers:
                self._groups[-1][3].append(compiled)
                continue
            search = triggers.search if isinstance(triggers, re.Pattern) else None
            self._groups.append((triggers, search, () if search else triggers, [compiled]))

    def _compile(self, pattern: str) -> tuple:
        fallback = re.compile(pattern, self.flags)
        fast, insensitive = pattern, bool(self.flags & re.IGNORECASE)
        if _wholly_inline_insensitive(pattern):
            fast, insensitive = pattern[4:-1], True
        if insensitive:
            fast = re.sub(r"(\\.)|(\w)", lambda m: m.group(1) or m.group(2).lower(), fast)
        rest = fast[2:]
        boundary = fast.startswith(r"\b") and (
            rest.startswith((r"\d", "(?:", "[")) or rest[:1].isalpha()
        )
        if boundary:
            fast = rest
        fast = re.compile(fast, self.flags & ~re.IGNORECASE)
        return fast, boundary, fallback, insensitive

    def find(self, text: str) -> list[Span]:
        lowered = text.lower()
        use_fast = len(lowered) == len(text)
        spans = []
        # Plain loops rather than any() or helper calls: this runs for ~100 patterns a text.
        for _, search, substrings, compiled in self._groups:
            if search is not None:
                if search(text) is None:
                    continue
            elif substrings:
                for trigger in substrings:
                    if trigger in lowered:
                        break
                else:
                    continue
            for fast, boundary, fallback, insensitive in compiled:
                if not use_fast:
                    matches, boundary = fallback.finditer(text), False
                else:
                    matches = fast.finditer(lowered if insensitive else text)
                for m in matches:
                    start, end = m.span()
                    if boundary and start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                        continue
                    if self.accept(text[start:end]):
                        spans.append((start, end))
        return spans

    def accept(self, found: str) -> bool:
        return True


def _wholly_inline_insensitive(pattern: str) -> bool:
    """True for a pattern that is one `(?i:...)` group."""
    if not pattern.startswith("(?i:") or not pattern.endswith(")") or "(?-i:" in pattern:
        return False
    depth, escaped = 0, False
    for position, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position == len(pattern) - 1
    return False


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTHS_UK = (
    "січ", "лют", "берез", "квіт", "трав", "черв", "лип", "серп", "верес", "жовт", "листопад",
    "груд",
)  # fmt: skip
CENTURIES = ("19", "20")
HOLIDAYS = (
    "christmas", "xmas", "easter", "new year", "thanksgiving", "halloween", "boxing",
    "valentine", "independence", "patrick", "hanukkah", "ramadan", "eid", "різдв", "великд",
    "пасх", "новий рік",
)  # fmt: skip


class MarkupScreen(RegexScreen):
    """Not an identifier, but stored text is plain text: markup has no place in it."""

    kind = N_("markup (HTML or script tags); write plain text")
    patterns = (r"<\s*[a-z!/?]", r"javascript:")


_SPELLED_AT = re.compile(r"\(at\)|\[at\]|\{at\}|\sat\s")
_SPELLED_DOMAIN = re.compile(
    r"\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\]|\{dot\}|\s+dot\s+)\s*[\w-]+)*"
    r"\s*(?:\.|\(dot\)|\[dot\]|\{dot\}|\s+dot\s+)\s*"
    r"(?:com|org|net|edu|gov|info|io|uk|ua|de|pl|es|fr|it|ru|eu|co)\b"
)


class EmailScreen(RegexScreen):
    kind = N_("an e-mail address")
    patterns = (
        (("@",), r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
        (("@",), r"(?<![\w.+-])[A-Za-z][\w.+-]*@[A-Za-z][\w-]+\b"),  # bare user@host
    )

    def find(self, text: str) -> list[Span]:
        spans = super().find(text)
        lowered = text.lower()
        # Spelled out: "jane at example dot com", "jane(at)example(dot)com". Found from the
        # "at", then the address on either side of it.
        for at in _SPELLED_AT.finditer(lowered):
            domain = _SPELLED_DOMAIN.match(lowered, at.end())
            start = at.start()
            while start and lowered[start - 1].isspace():
                start -= 1
            user_end = start
            while start and (lowered[start - 1].isalnum() or lowered[start - 1] in "._+-"):
                start -= 1
            if domain and start < user_end:
                spans.append((start, domain.end()))
        return spans


class HandleScreen(RegexScreen):
    kind = N_("a social-media handle (@name)")
    # Not a spreadsheet function ("@SUM(1+1)": refused as a formula on export instead).
    patterns = ((("@",), r"(?<![\w@.])@[A-Za-z_]\w{2,}+(?!\()"),)


class UrlScreen(RegexScreen):
    kind = N_("a web address (URL)")
    patterns = (
        (("://",), r"\b(?:https?|ftp)://"),
        (("www.",), r"\bwww\."),
        (
            re.compile(r"\.(?i:com|org|net|gov|edu|info|io|uk|ua|de|fr|pl|es)\b"),
            r"(?<![@\w.-])[\w-]+\.(?:com|org|net|gov|edu|info|io|nhs\.uk|co\.uk|ua|de|fr|pl|es)\b",
        ),
    )


class IpAddressScreen(RegexScreen):
    kind = N_("an IP address")
    patterns = (
        (re.compile(r"\d\.\d{1,3}\.\d"), r"\b\d{1,3}(?:\.\d{1,3}){3}\b"),
        (
            re.compile(r"[0-9a-fA-F]:[0-9a-fA-F]{1,4}:"),
            r"\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b",
        ),
    )


class DateScreen(RegexScreen):
    kind = N_("a date (day or month); give timing relative to treatment, e.g. 'after 14 months'")
    patterns = (
        # 12/03/1961, 1.3.24; not inside a decimal ("95% CI 0.49-0.84")
        r"(?<![\w.])\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b(?!\.\d)",
        (CENTURIES, r"\b\d{1,2}\s\d{1,2}\s(?:19|20)\d{2}\b"),  # 12 03 1961
        (CENTURIES, r"\b(?:19|20)\d{2}[/.\-]\d{1,2}[/.\-]\d{1,2}\b"),  # 2024-05-01
        (CENTURIES, r"(?<![\w.])(?:(?:0[1-9]|1[0-2])[/.\-]|[1-9][/\-])(?:19|20)\d{2}\b"),
        (CENTURIES, r"\b(?:19|20)\d{2}[/.\-](?:0[1-9]|1[0-2])\b(?![/.\-]?\d)"),  # 2021-05
        (
            MONTHS,  # 3 March, 12-Mar, with its year
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s*(?:of\s+)?[\-/. ]?{_MONTHS_EN}\b\.?"
            r"(?:[\s\-/.,]*(?:'|’)?(?:\d{4}|\d{2})\b)?",
        ),
        (MONTHS, rf"\b\d{{1,2}}{_MONTHS_EN}(?:\d{{2,4}})?\b"),  # 12Mar2021
        (MONTHS, rf"\b{_MONTHS_EN}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b"),  # March 3, March 2024
        (MONTHS, rf"\b{_MONTHS_EN}\.?[\s\-/]+(?:'|’)?(?:\d{{4}}|\d{{2}})\b"),  # January '21
        (MONTHS, rf"(?:'|’)\d{{2}}\b(?=\s+{_MONTHS_EN})"),
        (
            HOLIDAYS,
            r"\b(?:christmas|xmas|easter|new\s+year'?s?|thanksgiving|halloween|boxing\s+day|"
            r"valentine'?s\s+day|independence\s+day|st\.?\s+patrick'?s\s+day|hanukkah|"
            r"ramadan|eid|різдв\w*|великд\w*|пасх\w*|новий\s+рік)\b",
        ),
        (
            ("dob", "d.o.b", "birth", "born", "народження", "д."),
            r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born|дата\s+народження|д\.\s?н\.)\s*[:\-]?\s*\d",
        ),
        (MONTHS_UK, rf"\b\d{{1,2}}\s*{_MONTHS_UK}"),
        (MONTHS_UK, rf"\b{_MONTHS_UK}\s+\d{{4}}"),
        (("р.", "року"), r"\b\d{4}\s*р(?:\.|оку)\s*\d"),
    )

    def accept(self, found: str) -> bool:
        # "may" is also a verb: a month only with a capital M for May.
        return not re.search(r"\bmay\b", found) or "May" in found or "MAY" in found


class AgeOver89Screen(RegexScreen):
    kind = N_("an age over 89 (use the age band 90+)")
    patterns = (
        (("y",), r"\b(?:9\d|1[0-2]\d)\s*[-\s]?\s*(?:years?|yrs?|y/?o|y\.o\.?|yo)\b"),
        (("age",), r"\b(?:aged?|age:)\s*(?:9\d|1[0-2]\d)\b"),
        (
            (" of ",),
            r"\b(?:woman|man|lady|gentleman|female|male|patient|widow|widower)\s+of\s+"
            r"(?:9\d|1[0-2]\d)\b",
        ),
        (
            ("ninety", "hundred"),
            rf"\b(?:ninety|one\s+hundred(?:\s+and)?)(?:[\s\-]+{_NUMBER_WORDS})?[\s\-]+"
            r"(?:years?|yrs?|yo)\b",
        ),
        (
            ("ninety", "hundred"),
            r"\b(?:ninety|one\s+hundred)(?:[\s\-]+\w+)?[\s\-]+year[\s\-]+old\b",
        ),
        (("рок", "р."), r"\b(?:9\d|1[0-2]\d)\s*(?:рок(?:ів|и)|р\.)"),
        (
            ("ninet", "hundred", "nonagenarian", "centenarian"),
            r"\b(?:aged?\s+(?:ninety|one\s+hundred)|nonagenarian|centenarian|"
            r"(?:in\s+)?(?:her|his|their|the)\s+(?:late\s+|early\s+|mid-?\s*)?nineties)\b",
        ),
        (("y",), r"\b(?:9\d|1[0-2]\d)\s?y\b"),
    )


_LETTER_O_NEAR_DIGIT = re.compile(r"\d[Oo]|[Oo]\d")
_DIGITS_AND_OS = re.compile(r"\b[0-9Oo]*\d[0-9Oo]*\b")


def _digits(text: str, span: Span) -> int:
    return sum(ch.isdigit() for ch in text[span[0] : span[1]])


class PhoneScreen(RegexScreen):
    """Phone, fax and national numbers: 7+ digits in separated groups (O read as zero)."""

    kind = N_("a phone, fax or social security number")
    patterns = (
        rf"(?<![\w.])(?:\+\d{{1,3}}{_SEP}?)?(?:\(\d{{1,5}}\){_SEP}?)?\d{{1,5}}"
        rf"(?:{_GROUP_SEP}\d{{1,5}}){{1,5}}(?![\w])",
        (("+",), r"(?<![\w.])\+\d{7,15}\b"),
    )

    def find(self, text: str) -> list[Span]:
        # A letter O inside a run of digits and O's is read as zero: "O77O O9O O123".
        if _LETTER_O_NEAR_DIGIT.search(text):
            text = _DIGITS_AND_OS.sub(lambda m: m.group().replace("O", "0").replace("o", "0"), text)
        return [span for span in super().find(text) if _digits(text, span) >= 7]


class RecordNumberScreen(RegexScreen):
    kind = N_("a record, account, licence, device or plan number")
    flags = re.IGNORECASE
    patterns = (
        # No trigger: a case-insensitive search for these words took ~4x the pattern itself.
        r"\b(?:MRN|NHS|ID|SSN|VIN|NI|NINO|PESEL|IPN|РНОКПП|ІПН)\b[\s:#.\-]*(?:no\.?|number)?"
        r"[\s:#.\-]*[A-Z]{0,3}[\s\-]?\d",
        (
            ("no", "num", "nr", "#", "id"),
            r"\b(?:record|hospital|patient|chart|account|acct|member|beneficiary|policy|insurance|"
            r"licen[cs]e|certificate|serial|device|plate|registration|passport|file|unit|case|"
            r"folio|reference|ref|card|bed|room|ward|lab|specimen|accession|visit|encounter)\s*"
            r"(?:no\.?|number|num|nr\.?|#|id)[\s:#.\-]*[A-Z]{0,3}[\s\-]?\d",
        ),
        (("ref",), r"\bref(?:erence)?\.?\s*[:#]?\s*\d{2,}(?:[\-/]\d+)+"),
        (re.compile(r"[A-Za-z]-\d{3}"), r"\b[A-Z]{1,3}-\d{3,}(?:-\d+)*\b"),
        (
            ("номер", "№"),
            r"\b(?:номер|№)\s*(?:картки|історії|полісу|паспорта)?\s*[:#]?\s*[A-ZА-Я]{0,3}\d{3,}",
        ),
    )

    def accept(self, found: str) -> bool:
        # "HER2-3", "CA-125": short biomarker names are not records; records have 3+ digits
        # after a letter prefix only when a record word did not precede them.
        text = found
        if re.fullmatch(r"[A-Za-z]{1,3}-\d{3,}(?:-\d+)*", text):
            return not re.fullmatch(r"(?:CA|HER|ER|PR|PD|NCT|T|N|M)-\d+", text, re.IGNORECASE)
        return True


class DigitRunScreen(RegexScreen):
    kind = N_("a run of six or more digits (a record or account number)")
    # Also single digits split by one space, comma or dot ("7.7.3.1.0.2"): one number
    # written to slip past (security review 2, M4); "100,000" and "1, 2, 3" are not.
    patterns = (r"\d{6,}", r"\b\d(?:[ ,.]\d){5,}\b")


class VehicleIdScreen(RegexScreen):
    kind = N_("a vehicle identification or registration number")
    flags = 0
    patterns = (
        (
            re.compile(r"[A-Z0-9]{17}"),
            r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b",
        ),
        (re.compile(r"[A-Z]\d\d"), r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b"),  # UK: AB12 CDE
        (  # Ukraine: AA 1234 BB
            re.compile(r"\d{4}\s?[A-ZАВЕІКМНОРСТХ]"),
            r"\b[A-ZАВЕІКМНОРСТХ]{2}\s?\d{4}\s?[A-ZАВЕІКМНОРСТХ]{2}\b",
        ),
        (
            ("car", "vehicle", "reg", "plate"),
            r"(?i:\b(?:car|vehicle|reg(?:istration)?|plate|number\s+plate)\s*(?:no\.?|number)?"
            r"[\s:#]*[a-z]{1,3}\d{1,4}\s?[a-z]{1,3}\b)",
        ),
    )


class PostalCodeScreen(RegexScreen):
    kind = N_("a postal code")
    flags = 0
    patterns = (
        (re.compile(r"\d{5}"), r"(?<![\d.,\-])\d{5}(?:-\d{4})?(?![\d.,%\-])"),  # ZIP, EU codes
        (
            re.compile(r"\d[A-Za-z]{2}\b"),
            r"\b(?i:[A-Z]{1,2}\d[A-Z\d]?\s*\d(?!mm|cm|gy|ml|mg|kg|ng|nm|um|hr|wk)[A-Z]{2})\b",
        ),
        (("-",), r"\b\d{2}-\d{3}\b(?=\s+" + _UPPER + ")"),  # Polish 00-950 Warszawa
        (
            ("post", "zip", "індекс"),
            r"(?i:\b(?:postcode|post\s+code|postal\s+code|zip(?:\s+code)?|індекс)\s*:?\s*\w)",
        ),
    )


_STREET_WORD = re.compile(r"(?:street|road|avenue|lane|boulevard|crescent|st|rd|ave|blvd)\b")
_FULL_STREET_WORDS = {"street", "road", "avenue", "lane", "boulevard", "blvd"}
_NUMBERED_STREET = re.compile(r"\b\d{1,5}[a-z]?,?\s+(?:[a-z'’\-]+\s+){1,3}$")
_NAMED_STREET = re.compile(r"\b[a-z'’\-]{2,}\s+$")
_RESIDENCE = re.compile(
    r"(?:lives|living|lived|resides|residing|resident|moved|relocated|comes|came|home|"
    r"originally)\s+(?:(?:in|at|of|to|from)\s+)?(?:the\s+)?"
)
_TOWN = re.compile(rf"{_UPPER}[a-zà-ÿā-žа-яіїєґё'’\-]{{2,}}(?![\w])")
INSTITUTIONS = ("hospital", "infirmary", "hospice", "cent", "clinic")


_CITY_LIKE = re.compile(rf"{_UPPER}(?<![\w\-].){_WORD}{{3,}}")


class PlaceScreen(RegexScreen):
    kind = N_("a place (street address, hospital or town)")
    flags = 0
    patterns = (
        (("box",), r"(?i:\bP\.?\s?O\.?\s?Box\s*\d+)"),  # PO Box 1234
        (  # decimal coordinates: 50.4501, 30.5234 (three or more decimals each)
            re.compile(r"\d\.\d{3}"),
            r"(?<![\d.])-?\d{1,2}\.\d{3,}\s*°?\s*[NSns]?\s*,\s*-?\d{1,3}\.\d{3,}\s*°?\s*[EWew]?\b",
        ),
        (
            re.compile(r"\s(?:St|Rd|Ave|st|rd)\b"),
            r"\b[A-Z][\w'’\-]+\s+(?:St|Rd|Ave|st|rd)\.?(?!\w)",
        ),
        (
            ("street", "str.", "vulytsia", "apartment", "apt.", "flat"),
            r"(?i:\b(?:street|str\.|vulytsia|apartment|apt\.|flat)\s+\d)",
        ),
        (
            ("вул", "просп", "бульв", "пров", "площа", "пл.", "місто", "м.", "село", "с.", "смт"),
            # Not the end of a word ("онкологом. Пацієнтка" is no town).
            r"(?<![\w'’])(?:вул(?:иця|\.)|просп(?:ект|\.)|бульв(?:ар|\.)|пров(?:улок|\.)|площа|"
            r"пл\.|місто|м\.|село|с\.|смт)\s*[А-ЯІЇЄҐ]",
        ),
        (
            INSTITUTIONS,
            r"\b(?:St\.?|Saint)\s+[A-Z][\w'’]*(?:'s|’s|s'|')?\s+(?:Hospital|Infirmary|Clinic|"
            r"Hospice|Medical\s+Cent(?:re|er))",
        ),
        (
            INSTITUTIONS,
            rf"\b{_UPPER}{_WORD}+(?:\s+{_UPPER}{_WORD}+){{0,3}}\s+(?:Hospital|Infirmary|Hospice|"
            r"Medical\s+Cent(?:re|er)|Cancer\s+Cent(?:re|er)|Clinic|Health\s+Cent(?:re|er))\b",
        ),
        (
            ("лікарн", "клінік", "онко"),
            r"(?:лікарн\w*|клінік\w*|онкодиспансер\w*|онкоцентр\w*)\s*№\s*\d",
        ),
        (
            ("мешка", "прожива", "родом"),
            rf"(?:мешка\w*|прожива\w*|родом)\s+(?:в|у|з|із)\s+{_UPPER}",
        ),
    )
    GENERIC = frozenset(
        {
            "The", "A", "An", "Breast", "Oncology", "Cancer", "Surgical", "Outpatient", "Day",
            "General", "University", "Teaching", "Regional", "District", "City", "Community",
            "Children's", "Women's", "Private", "Our", "This", "That", "Same", "Another", "Local",
        }
    )  # fmt: skip

    def accept(self, found: str) -> bool:
        words = found.split()
        last = words[-1] if words else ""
        if last in {"Hospital", "Infirmary", "Hospice", "Clinic"} or "Cent" in last:
            return any(w not in self.GENERIC for w in words[:-1] if w[:1].isupper())
        return True

    def find(self, text: str) -> list[Span]:
        spans = super().find(text)
        lowered = text.lower()
        # Streets, found from the street word back: "12 baker street", "Pryvokzalna road".
        for m in _STREET_WORD.finditer(lowered):
            start = m.start()
            if start and lowered[start - 1].isalnum():
                continue
            before = lowered[max(0, start - 60) : start]
            numbered = _NUMBERED_STREET.search(before)
            named = m.group() in _FULL_STREET_WORDS and _NAMED_STREET.search(before)
            if found := numbered or named:
                spans.append((start - len(before) + found.start(), m.end()))
        # A town after "lives in", "moved to", "from"...
        for m in _RESIDENCE.finditer(lowered):
            start = m.start()
            if start and lowered[start - 1].isalnum():
                continue
            if town := _TOWN.match(text, m.end()):
                spans.append((start, town.end()))
        cities = gazetteer.cities()
        for m in _CITY_LIKE.finditer(text):
            if m.group().lower().strip("'’-") in cities:
                spans.append(m.span())
        return spans


class ControlCharacterScreen(RegexScreen):
    kind = N_("control characters (such as NUL or text-direction overrides); remove them")
    flags = 0
    patterns = (r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]",)
