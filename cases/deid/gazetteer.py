"""Name and place gazetteers: first names, surnames and cities for the screen's languages.

Person names come from Faker's locale lists (English, Ukrainian, Polish, German, Spanish,
Russian, Czech; Chinese and Japanese names in Latin letters), read once from the installed
package: no download, no model. Words that are also clinical vocabulary are dropped so that
prose stays accepted.
"""

import importlib

from core.memory import remembered

LOCALES = ("en_US", "en_GB", "uk_UA", "pl_PL", "de_DE", "es_ES", "ru_RU", "cs_CZ")
# Locales whose names Faker also gives in Latin letters ("Wang", "Wei", "Tanaka"); less
# the ones that are also English or clinical words ("She said", "Min dose", "Chi square").
ROMANIZED_LOCALES = ("zh_CN", "zh_TW", "ja_JP")
ROMANIZED_COMMON_WORDS = frozenset(
    {
        "she", "fan", "sun", "song", "pin", "tan", "ting", "pan", "chi", "min", "mai", "nan",
        "kai", "lan", "ping", "gang", "hung", "wan", "yen", "chin", "jun", "tai", "shi", "ren",
        "mao", "tao", "ling", "sung", "tung", "chan", "jen", "cho", "han", "jin", "yin", "yang",
        "dong", "ding", "kong", "gong", "pang", "tang", "hang", "kan", "pei", "lai", "long",
        "lung", "che", "chu", "hui", "mei", "miki", "rei", "kana", "yui", "shan", "ota", "ito",
    }
)  # fmt: skip

# Capitalised words clinical prose uses that also occur in the lists.
CLINICAL_WORDS = frozenset(
    {
        "may", "will", "grace", "hope", "faith", "mark", "case", "bill", "early", "young",
        "long", "short", "best", "stage", "grade", "lane", "major", "minor", "page", "ward",
        "mass", "bone", "lung", "liver", "brain", "node", "nodes", "scan", "dose", "ray",
        "her", "his", "patient", "trial", "cycle", "line", "post", "pre", "white", "black",
        "green", "brown", "rose", "ivy", "dawn", "summer", "winter", "spring", "autumn",
    }
)  # fmt: skip

# Ukrainian and neighbouring cities in Latin transliteration; Faker gives Cyrillic ones.
CITIES_LATIN = frozenset(
    {
        "kyiv", "kiev", "kharkiv", "kharkov", "odesa", "odessa", "dnipro", "lviv", "zaporizhzhia",
        "vinnytsia", "poltava", "chernihiv", "cherkasy", "sumy", "zhytomyr", "rivne", "lutsk",
        "ternopil", "uzhhorod", "chernivtsi", "ivano-frankivsk", "mykolaiv", "kherson",
        "kropyvnytskyi", "khmelnytskyi", "mariupol", "donetsk", "luhansk", "warsaw", "krakow",
        "wroclaw", "gdansk", "berlin", "munich", "hamburg", "vienna", "prague", "madrid",
        "barcelona", "london", "manchester", "birmingham", "glasgow", "leeds", "liverpool",
    }
)  # fmt: skip


# Ukrainian national transliteration (2010), lower case; enough for names in Latin script.
_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
        "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
        "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
        "я": "ia", "ё": "e", "ы": "y", "э": "e", "ъ": "", "'": "", "’": "",
    }
)  # fmt: skip


def _with_latin(words: set[str]) -> set[str]:
    """Cyrillic names and their Latin transliterations ("Світлана", "svitlana")."""
    return words | {w.translate(_LATIN) for w in words if not w.isascii()}


def _words(provider, *names: str) -> set[str]:
    found: set[str] = set()
    for name in names:
        for word in getattr(provider, name, ()) or ():
            found.update(part.lower() for part in str(word).replace("-", " ").split())
    return found


def _person_names(kind: str) -> frozenset[str]:
    names: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        names |= _words(
            provider,
            f"{kind}_names",
            f"{kind}_names_male",
            f"{kind}_names_female",
            # Polish keeps its surnames under these names.
            f"unisex_{kind}_names",
            f"male_{kind}_names",
        )
    for locale in ROMANIZED_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        names |= _words(provider, f"{kind}_romanized_names") - ROMANIZED_COMMON_WORDS
    return frozenset(n for n in _with_latin(names) if len(n) > 2) - CLINICAL_WORDS


@remembered(holds="the gazetteer's first names", invalidated="never (data shipped with Faker)")
def first_names() -> frozenset[str]:
    return _person_names("first")


@remembered(holds="the gazetteer's surnames", invalidated="never (data shipped with Faker)")
def surnames() -> frozenset[str]:
    return _person_names("last")


@remembered(holds="the gazetteer's first names and surnames together", invalidated="never")
def person_names() -> frozenset[str]:
    return first_names() | surnames()


# Before a case ending, г, к and х turn to з, ц and с (Рига, у Ризі; Алупка, в Алупці).
_SOFTENED = {"г": "з", "к": "ц", "х": "с"}


def _locative(stem: str) -> str:
    return stem[:-1] + _SOFTENED[stem[-1]] + "і" if stem[-1:] in _SOFTENED else stem + "і"


def ukrainian_town_forms(name: str) -> set[str]:
    """A Ukrainian town's name in the cases a note writes it in after a preposition ("у
    Києві", "зі Львова", "з Черкас", "в Одесі", "у Дніпрі", "з Рівного"), lower-cased, the
    name itself included. By the ending's declension type; an inexact form that no note
    writes costs nothing."""
    n = name.lower()
    forms = {n}
    if n.endswith("ий") or n.endswith("е"):  # Кропивницький, Рівне: adjectival
        stem = n[:-2] if n.endswith("ий") else n[:-1]
        forms |= {stem + "ого", stem + "ому", stem + "им"}
    elif n.endswith("а"):  # Одеса, Полтава, Алупка
        stem = n[:-1]
        forms |= {stem + "и", stem + "і", _locative(stem), stem + "у", stem + "ою"}
    elif n.endswith("я"):  # Вінниця, Балаклія
        stem = n[:-1]
        forms |= {stem + "і", stem + "ї", stem + "ю", stem + "ею", stem + "єю"}
    elif n.endswith("и"):  # Черкаси, Суми, Бровари: plural
        stem = n[:-1]
        forms |= {stem, stem + "ах", stem + "ам", stem + "ами", stem + "ів"}
    elif n.endswith("і"):  # Чернівці
        stem = n[:-1]
        forms |= {stem + "ях", stem + "ів", stem + "ям", stem + "ями"}
    elif n.endswith("о"):  # Дніпро, Берестечко
        stem = n[:-1]
        forms |= {stem + "а", stem + "і", _locative(stem), stem + "у", stem + "ом"}
    elif n.endswith(("ів", "їв")):  # Харків, Львів, Київ: і/ї turns to о/є
        stem = n[:-2] + ("ов" if n.endswith("ів") else "єв")
        forms |= {stem + "а", stem + "і", stem + "у", stem + "ом"}
    elif n.endswith("ь"):  # Умань; Бориспіль, with і turned to о (Борисполя)
        stem = n[:-1]
        turned = stem[::-1].replace("і", "о", 1)[::-1]
        for base in {stem, turned}:
            forms |= {base + "і", base + "ю", base + "я", base + "ем"}
    elif n.endswith("й"):  # Бахчисарай
        stem = n[:-1]
        forms |= {stem + "ї", stem + "ю", stem + "єм"}
    elif n[-1:].isalpha():  # Ужгород, Луцьк, Бахмут
        forms |= {n + "а", n + "у", n + "і", _locative(n), n + "ом", n + "ові"}
    return {form for form in forms if len(form) > 3}


@remembered(holds="the gazetteer's cities", invalidated="never (data shipped with Faker)")
def cities() -> frozenset[str]:
    """Cities, lower-cased; Ukrainian ones in every case a note declines them in."""
    names: set[str] = set(CITIES_LATIN)
    for locale in ("uk_UA", "pl_PL", "ru_RU"):
        provider = importlib.import_module(f"faker.providers.address.{locale}").Provider
        for name in getattr(provider, "city_names", ()) or getattr(provider, "cities", ()) or ():
            if " " not in name and len(name) > 3:
                names.add(name.lower())
                if locale == "uk_UA" and "-" not in name:
                    names |= ukrainian_town_forms(name)
    return frozenset(names) - CLINICAL_WORDS
