"""Identifiers written so that the first screens (cases.deid.screens, cases.deid.names) miss
them: in words ("the twelfth of March", "zero seven seven…"), in another language or
numeral system ("12 марта 2021", "12.III.2021", "92 Jahre", "XCII years old", "Calle Mayor
5"), spaced out ("12 / 03 / 2021", "jane @ example . com", "M r s Smith"), or names that
only the words around them make names ("Kowalczyk agreed", "seen by Smith", "Maria, 45").

Each screen here reports under the kind of its first-screen counterpart, so a refusal reads
the same whichever screen found it (security review 2, M4). Names use the gazetteer with
context, never every capitalised word.
"""

import re

from cases.deid import gazetteer, screens
from cases.deid.names import SLAVIC_ENDINGS, NameScreen
from cases.deid.screens import _MONTHS_EN, _UPPER, RegexScreen, Screen, Span

_ROMAN_MONTH = r"(?:XII|XI|IX|X|VIII|VII|VI|IV|V|III|II|I)"
_MONTHS_OTHER = (
    # Russian, Polish, German, Spanish (genitive where the language declines them)
    r"(?:январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|"
    r"сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь]|"
    r"stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|"
    r"listopada|grudnia|"
    r"januar|jänner|februar|märz|maerz|mai|juni|juli|oktober|dezember|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    r"noviembre|diciembre)"
)
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_ORDINAL = (
    r"(?:(?:twenty|thirty)[\s\-])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|"
    r"eighteenth|nineteenth|twentieth|thirtieth"
)
_NUMBER_WORD = (
    rf"(?:{_UNITS}|oh|zero|nought|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|thousand)"
)
_DIGIT_WORD = r"(?:zero|oh|nought|nil|one|two|three|four|five|six|seven|eight|nine)"
_OTHER_MONTH_STEMS = (
    "янв", "фев", "мар", "апр", "мая", "май", "июн", "июл", "авг", "сен", "окт", "ноя",
    "дек", "stycz", "lut", "marc", "kwie", "maj", "czerw", "lipc", "sierp", "wrze", "paźdz",
    "listop", "grud", "januar", "jänner", "februar", "märz", "maerz", "mai", "juni", "juli",
    "oktober", "dezember", "ener", "febrer", "marzo", "abril", "mayo", "junio", "julio",
    "agosto", "septiem", "setiem", "octubre", "noviem", "diciem",
)  # fmt: skip


class WordedDateScreen(RegexScreen):
    kind = screens.DateScreen.kind
    flags = 0
    patterns = (
        (  # 12.III.2021, 3 XI 2020: Roman-numeral months
            re.compile(r"\d\s?[./\-\s]\s?[IVX]+\s?[./\-\s]"),
            rf"(?<![\w.])\d{{1,2}}\s?[./\-\s]\s?{_ROMAN_MONTH}\s?[./\-\s]\s?(?:\d{{4}}|\d{{2}})\b",
        ),
        # 12 марта 2021, 5 lipca, 12. März, 3 de mayo
        (_OTHER_MONTH_STEMS, rf"(?i:\b\d{{1,2}}\.?\s+(?:de\s+)?{_MONTHS_OTHER}\b)"),
        # the twelfth of March; March the twelfth
        (
            re.compile(r"(?:th|st|nd|rd|TH|ST|ND|RD)\s+(?i:of)\s"),
            rf"(?i:\b(?:{_ORDINAL})\s+of\s+{_MONTHS_EN}\b)",
        ),
        (
            re.compile(r"\s(?i:the)\s+(?i:[fstne])"),
            rf"(?i:\b{_MONTHS_EN}\s+the\s+(?:{_ORDINAL})\b)",
        ),
        (  # 12 / 03 / 2021
            re.compile(r"\d\s+[/.\-]\s+\d"),
            r"(?<![\w.])\d{1,2}\s+[/.\-]\s+\d{1,2}\s+[/.\-]\s+(?:19|20)\d{2}\b",
        ),
        (("week",), r"(?i:\bweek\s+\d{1,2}\s+of\s+(?:19|20)\d{2}\b)"),
        (  # DOB twelve oh three sixty one
            ("dob", "d.o.b", "birth", "born"),
            rf"(?i:\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born)\s*[:\-]?\s*(?:on\s+)?(?:the\s+)?"
            rf"(?:{_NUMBER_WORD}|{_ORDINAL})(?:[\s\-]+(?:of\s+)?(?:{_NUMBER_WORD}|{_ORDINAL}))+\b)",
        ),
    )

    # seen 3/12 in clinic: a day and month after a visit word ("3/12 ago" is British for
    # three months, "3/12 nodes" a count).
    _DAY_MONTH = re.compile(r"(?<![\w./])(?:[12]\d|3[01]|0?[1-9])/(?:1[0-2]|0?[1-9])\b(?![/.\d])")
    _VISIT_BEFORE = re.compile(
        r"\b(?:seen|admitted|discharged|reviewed|dated|visited|operated|scanned|biopsied|"
        r"attended|phoned|called)\s+(?:on\s+)?$"
    )
    _NOT_A_DATE_AFTER = re.compile(
        r"\s*(?:ago|later|post|after|before|of\b|months?|weeks?|days?|nodes?|cores?|lymph|"
        r"positive|negative|cycles?)"
    )

    def find(self, text: str) -> list[Span]:
        spans = super().find(text)
        if "/" not in text:
            return spans
        lowered = text.lower()
        for m in self._DAY_MONTH.finditer(lowered):
            before = lowered[max(0, m.start() - 25) : m.start()]
            if self._VISIT_BEFORE.search(before) and not self._NOT_A_DATE_AFTER.match(
                lowered, m.end()
            ):
                spans.append(m.span())
        return spans

    def accept(self, found: str) -> bool:
        return screens.DateScreen.accept(self, found)


class WordedAgeScreen(RegexScreen):
    kind = screens.AgeOver89Screen.kind
    flags = 0
    patterns = (
        (
            re.compile(r"\d'?[sS]\b"),
            r"(?i:\b(?:in\s+)?(?:her|his|their)\s+(?:late\s+|early\s+|mid[\s\-]?)?"
            r"(?:9|1[0-2])0'?s\b)",
        ),
        (
            re.compile(r"(?i:\d\s*(?:год|лет|lat|jahr|jähr|año|ano|ans\b|anni|рок))"),
            r"(?i:\b(?:9\d|1[0-2]\d)\s*(?:года|год|лет|lat|lata|jahre|jahren|jährige?[rn]?|"
            r"años|anos|ans|anni|років|роки)(?!\w))",
        ),
        (
            ("wiek", "edad", "возраст", "alter", "вік"),
            r"(?i:\b(?:wiek|edad|возраст|alter|вік)\s*[:\-]?\s*(?:9\d|1[0-2]\d)\b)",
        ),
        (  # ninety-three, Ninety-one (a number of the nineties in words, not a share or a count)
            ("ninet", "hundred"),
            rf"(?i:\b(?:ninety|one\s+hundred(?:\s+and)?)(?:[\s\-]+{_UNITS})?+\b"
            r"(?![\s\-]*(?:percent|per\s*cent|%|mg|ml|days?|weeks?|months?|years?\s+ago|minutes?|"
            r"min|seconds?|cycles?|gy|cm|mm|kg|units?|times|doses?|patients|women|men|cases|"
            r"cells|of\b)))",
        ),
        (  # she is 96, turned 94
            ("is ", "turned", "aged"),
            r"(?i:\b(?:she|he|patient|pt|who)\s+is\s+(?:9\d|1[0-2]\d)\b(?!\s*(?:%|\.\d|kg|cm|mm|mg|"
            r"per|percent|points?|days?|weeks?|months?))|\bturned\s+(?:9\d|1[0-2]\d)\b)",
        ),
        (  # дев'яносто два роки, сто років (Ukrainian words)
            ("дев", "сто"),
            r"(?i:\b(?:дев['’]яносто|сто)(?:\s+(?:один|одна|два|дві|три|чотири|п['’]ять|шість|сім|"
            r"вісім|дев['’]ять))?\s+(?:рік|роки|років)\b)",
        ),
        (  # XCII years old
            re.compile(r"[XC][XCVI]+\s*[\-\s]?\s*[Yy]"),
            r"\b(?=[XCVI]{2})(?:XC(?:IX|IV|V?I{0,3})|CX{0,2}(?:IX|IV|V?I{0,3}))\s*[\-\s]?\s*"
            r"(?i:years?|yrs?|y/?o|y\.o\.|yo)\b",
        ),
    )


_DIGIT_WORDS = frozenset(
    {"zero", "oh", "nought", "nil", "one", "two", "three", "four", "five", "six", "seven",
     "eight", "nine", "double", "triple"}
)  # fmt: skip
_LOWER_WORD = re.compile(r"[a-z]+")


class WordedPhoneScreen(RegexScreen):
    kind = screens.PhoneScreen.kind
    patterns = (
        (  # a masked social security number still ends in its last four: ***-**-6789
            re.compile(r"[*xX#]{3}-"),
            r"(?:\*{3}|x{3}|#{3})-(?:\*{2}|x{2}|#{2})-\d{4}\b",
        ),
    )

    def find(self, text: str) -> list[Span]:
        """Also seven or more digits in words ("zero seven seven zero zero nine…"), found
        by walking the words (a regex alternation of number words at every position cost
        ten times more)."""
        spans = super().find(text)
        lowered = text.lower()
        if sum(lowered.count(word) for word in _DIGIT_WORDS) < 7:
            return spans  # fewer than seven number words anywhere (counting is quick)
        run: list[re.Match] = []
        for word in _LOWER_WORD.finditer(lowered):
            joined = not run or lowered[run[-1].end() : word.start()].strip(" ,-") == ""
            if word.group() in _DIGIT_WORDS and joined:
                run.append(word)
                continue
            if sum(w.group() not in ("double", "triple") for w in run) >= 7:
                spans.append((run[0].start(), run[-1].end()))
            run = [word] if word.group() in _DIGIT_WORDS else []
        if sum(w.group() not in ("double", "triple") for w in run) >= 7:
            spans.append((run[0].start(), run[-1].end()))
        return spans


class AccessionScreen(RegexScreen):
    kind = screens.RecordNumberScreen.kind
    flags = 0
    patterns = (
        # A pathology accession without its keyword: S21-1234 (letters, a year, a number)
        (re.compile(r"[A-Z]\d\d-\d"), r"\b[A-Z]{1,3}\d{2}-\d{3,7}\b"),
        (
            re.compile(r"(?i:acc)"),
            r"(?i:\bacc(?:ession)?\.?\s*(?:#|no\.?|nr\.?|number)\s*[:.]?\s*[a-z]{0,3}\d)",
        ),
    )


_TLD = r"(?:com|org|net|edu|gov|info|io|uk|ua|de|pl|es|fr|it|ru|eu|co)"
_PROVIDERS = (
    r"(?:gmail|googlemail|yahoo|hotmail|outlook|icloud|protonmail|proton|aol|gmx|yandex|"
    r"onet|interia|ukr\s*(?:\.|dot)\s*net|i\s*(?:\.|dot)\s*ua|meta\s*(?:\.|dot)\s*ua|"
    r"wp\s*(?:\.|dot)\s*pl|mail\s*(?:\.|dot)\s*ru)"
)


class SpacedEmailScreen(RegexScreen):
    kind = screens.EmailScreen.kind
    patterns = ((("@",), rf"[\w.+-]+\s+@\s+[\w-]+(?:\s*\.\s*[\w-]+)*\s*\.\s*{_TLD}\b"),)
    _AT = re.compile(r"\s+at\s+|\s*\[at\]\s*|\s*\(at\)\s*")
    _PROVIDER = re.compile(rf"{_PROVIDERS}\b")
    _USER = re.compile(r"[\w+-]+(?:(?:\s+dot\s+|\.)[\w+-]+)*$")

    def find(self, text: str) -> list[Span]:
        """Also "jane dot doe at gmail": a mail provider named without its domain, found
        from the "at" outwards."""
        spans = super().find(text)
        lowered = text.lower()
        for at in self._AT.finditer(lowered):
            if provider := self._PROVIDER.match(lowered, at.end()):
                before = lowered[max(0, at.start() - 60) : at.start()]
                if user := self._USER.search(before):
                    spans.append((at.start() - len(before) + user.start(), provider.end()))
        return spans


# Gartenweg 4, Lindenallee 7, Marktplatz 3 (German compounds)
_GERMAN_STREET = rf"\b{_UPPER}[a-zäöüß]+(?:weg|platz|allee|gasse|ufer|chaussee)\s+\d{{1,4}}[a-z]?\b"
_STREET_WORDS = (
    "ул.", "улиц", "пер.", "переул", "бульвар", "шоссе", "ulica", "ul.", "al.", "aleja",
    "plac", "os.", "osiedle", "calle", "c/", "avenida", "avda", "av.", "plaza", "paseo",
    "camino", "carrer", "rua", "travessa", "largo",
)  # fmt: skip


class ForeignStreetScreen(RegexScreen):
    kind = screens.PlaceScreen.kind
    flags = 0
    patterns = (
        (  # ул. Ленина 5, ulica Długa 5, al. Jerozolimskie 44, Calle Mayor 5, Rua Augusta 10
            _STREET_WORDS,
            r"(?i:\b(?:ул\.|улица|улице|пер\.|переулок|бульвар|шоссе|ulica|ul\.|aleja|al\.|plac|"
            r"osiedle|os\.|calle|c/|avenida|avda\.|av\.|plaza|paseo|camino|carrer|rua|travessa|"
            r"largo)\s*(?:(?:de|del|de\s+la|da|do|dos|das)\s+)?[^\W\d_][\w'’\-]*"
            r"(?:\s+[^\W\d_][\w'’\-]*){0,2},?\s+\d{1,4}[a-z]?\b)",
        ),
        (re.compile(r"(?:weg|platz|allee|gasse|ufer|chaussee)\s+\d"), _GERMAN_STREET),
    )
    _GERMAN = re.compile(_GERMAN_STREET)
    _NAMED = re.compile(r"[^\s.]+\.?\s*(?:(?:de|del|de\s+la|da|do|dos|das)\s+)?(\w)", re.I)

    def find(self, text: str) -> list[Span]:
        # The street's name is capitalised ("ulica Długa 5", not "plac given 5 times"), and
        # "et al. Lancet 2020" is a citation.
        return [
            (start, end)
            for start, end in super().find(text)
            if self._GERMAN.fullmatch(text, start, end)
            or (
                text[max(0, start - 3) : start].lower() != "et "
                and (named := self._NAMED.match(text, start)) is not None
                and named.group(1).isupper()
            )
        ]


# Surname endings that, with the context around them, make a word a surname ("Nowak
# agreed", "taras melnyk consented"): Slavic, and more of them than alone would be safe.
_SURNAME_ENDINGS = (
    *SLAVIC_ENDINGS, "ak", "czyk", "yk", "uk", "ski", "ska", "cki", "cka", "ko", "ov", "ova",
    "ev", "eva", "ych", "vich",
)  # fmt: skip

_BEFORE_NAME = re.compile(
    r"(?:seen\s+by|discussed\s+with|reviewed\s+(?:with|by)|spoke\s+(?:to|with)|"
    r"talked\s+(?:to|with)|called|phoned|told|informed|referred\s+(?:by|to)|"
    r"examined\s+by|operated\s+(?:on\s+)?by|consented\s+by|accompanied\s+by|per)\s+"
)
# Verbs first, not the space before them: a pattern that starts with literals is searched
# for quickly; one that starts with \s is tried at every space.
_AFTER_NAME = re.compile(
    r"(?:agreed|attended|consented|declined|refused|said|says|asked|reported|reports|"
    r"wants|wanted|prefers|preferred|came|arrived|called|phoned|accepted|opted|was\s+seen|"
    r"is\s+aware|understands|understood)\b"
)
_WORD_NAME = re.compile(rf"{_UPPER}[a-zà-ÿā-žа-яіїєґё'’\-]+|[a-zà-ÿā-žа-яіїєґё'’\-]{{3,}}")


class NameInContextScreen(Screen):
    """A first name or surname from the gazetteer that the words around it make a person:
    "seen by Smith", "Kowalczyk agreed", "olena kovalenko agreed", "Maria, 45"; initials
    ("initials J.D.", "J.D., 54F"); a title glued to or spelled through a name
    ("MrsSmith", "M r s Smith")."""

    kind = NameScreen.kind
    # Each starts with a literal or a letter class, not \b (which makes the search try every
    # position); the character before is checked in find.
    _INITIALS = re.compile(r"(?i:initials?\s*[:\-]?\s*)[A-Z]\.?\s?[A-Z]\b\.?")
    _INITIALS_AGE = re.compile(r"[A-Z]\.\s?[A-Z]\.,?\s+\d{2}\s?[MF]\b")
    _TITLE_GLUED = re.compile(r"(?:Mrs|Mr|Ms|Miss|Dr|Prof)[A-Z][a-z]{2,}")
    _TITLE_SPACED = re.compile(r"(?:M\s+r\s+s|M\s+r|M\s+s|D\s+r)\.?\s+[A-Z][a-z]{2,}")
    _AGE_AFTER = re.compile(r",\s*\d{2}\b(?:\s*[MFmf]\b|\s*,|\s*y)")
    _CAPITALISED = re.compile(rf"{_UPPER}[a-zà-ÿā-žа-яіїєґё'’\-]+")

    def find(self, text: str) -> list[Span]:
        lowered = text.lower()
        found = list(self._INITIALS_AGE.finditer(text))
        found += self._TITLE_GLUED.finditer(text)
        found += self._TITLE_SPACED.finditer(text)
        if "initial" in lowered:
            found += self._INITIALS.finditer(text)
        spans = [m.span() for m in found if not (m.start() and text[m.start() - 1].isalnum())]
        first, last = gazetteer.first_names(), gazetteer.surnames()

        def known(word: str) -> bool:
            word = word.lower()
            return word not in gazetteer.CLINICAL_WORDS and (
                word in first or word in last or word.endswith(_SURNAME_ENDINGS)
            )

        for m in _BEFORE_NAME.finditer(lowered):
            if m.start() and lowered[m.start() - 1].isalnum():
                continue
            word = _WORD_NAME.match(text, m.end())
            if word and word.group()[:1].isupper() and known(word.group()):
                spans.append(word.span())
        for m in _AFTER_NAME.finditer(lowered):
            offset = max(0, m.start() - 61)
            window = text[offset : m.start()]
            if not window[-1:].isspace() or (m.start() and lowered[m.start() - 1] == "-"):
                continue
            window = window.rstrip()
            before = list(_WORD_NAME.finditer(window))
            if not before or before[-1].end() != len(window):
                continue
            name = before[-1]
            pair = before[-2] if len(before) > 1 else None
            if pair and text[offset + pair.end() : offset + name.start()] != " ":
                pair = None
            if name.group()[:1].isupper():
                if known(name.group()) or (
                    pair and pair.group()[:1].isupper() and known(pair.group())
                ):
                    start = offset + (
                        pair.start() if pair and pair.group()[:1].isupper() else name.start()
                    )
                    spans.append((start, offset + name.end()))
            elif pair and pair.group().lower() in first and known(name.group()):
                spans.append((offset + pair.start(), offset + name.end()))  # olena kovalenko
        for age in self._AGE_AFTER.finditer(text):  # Maria, 45
            offset = max(0, age.start() - 30)
            words = list(self._CAPITALISED.finditer(text[offset : age.start()]))
            if (
                words
                and offset + words[-1].end() == age.start()
                and words[-1].group().lower() in first
            ):
                spans.append((offset + words[-1].start(), age.start()))
        return spans


# Ukrainian case endings, longest first, and what a name ends with in the nominative.
_UK_ENDINGS = (
    "ові", "еві", "єві", "ою", "ею", "єю", "ом", "ем", "єм", "ого", "ому", "ій", "ої",
    "а", "я", "у", "ю", "і", "ї",
)  # fmt: skip
_UK_NOMINATIVE = ("", "а", "я", "о", "ь", "й")
# Literals first (a quick search); that a word starts here is checked in find.
_UK_CONTACT = re.compile(r"(?:з|із|зі|у|в|до|від|для|разом\s+(?:з|із))\s+(?=[А-ЯІЇЄҐ])")
_UK_WORD = re.compile(r"[А-ЯІЇЄҐ][а-яіїєґ'’]+")


class DeclinedNameScreen(Screen):
    """Ukrainian names in any case: a name with a patronymic ("з Ганною Іванівною"), a
    surname ending -енко, -чук or -щук declined ("з Шевченком", "з Ковальчуком"), and after
    a word of meeting ("з", "у", "до", "від"…) a first name or surname of the gazetteer
    in any case ("у Мельника Івана")."""

    kind = NameScreen.kind
    _PATRONYMIC = re.compile(
        r"[А-ЯІЇЄҐ][а-яіїєґ'’]+\s+[А-ЯІЇЄҐ][а-яіїєґ'’]*(?:ович|евич|йович|івн|ївн)[а-яіїєґ]*"
    )
    # Starting with a letter class, not a lookbehind, so the search skips ahead quickly;
    # the character before is checked in find.
    _DECLINED_SURNAME = re.compile(
        r"[А-ЯІЇЄҐ][а-яіїєґ'’]+(?:(?:енк|ейк)(?:о|а|у|ові|ом|і)|(?:чук|щук)"
        r"(?:а|у|ові|ом|ем|і)?)(?![\w'’])"
    )

    def find(self, text: str) -> list[Span]:
        if not re.search(r"[А-ЯІЇЄҐ]", text):
            return []
        spans = [m.span() for m in self._PATRONYMIC.finditer(text)]
        spans += [
            m.span()
            for m in self._DECLINED_SURNAME.finditer(text)
            if not (m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "'’"))
        ]
        names = gazetteer.person_names()
        for contact in _UK_CONTACT.finditer(text):
            if contact.start() and text[contact.start() - 1].isalnum():
                continue
            position = contact.end()
            for _ in range(2):  # the name, and a second one after it ("Мельника Івана")
                word = _UK_WORD.match(text, position)
                if word is None:
                    break
                if _known_declined(word.group().lower(), names):
                    spans.append(word.span())
                position = word.end() + 1
        return spans


def _known_declined(word: str, names: frozenset) -> bool:
    """Whether `word`, in any case, is a name of the gazetteer ("ганною" -> "ганна")."""
    if word in names:
        return True
    for ending in _UK_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            if any(stem + nominative in names for nominative in _UK_NOMINATIVE):
                return True
    return False
