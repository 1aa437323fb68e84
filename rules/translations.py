"""The knowledge base's Ukrainian text: which fields are translated, how English stays the
text of record, a translation's review status in a release, and what a Ukrainian page
shows of it.

The fields are django-modeltranslation's (rules/translation.py): `title_uk` beside
`title_en_gb`, and `title` reading the active language's. English is what the engine,
payloads, caches and look-ups by name read, so every read and write of the knowledge base
as data runs `in_english()`; the `*_uk` columns are read and written by name.

A translation is clinical text: a change of it is a change of its entry, reviewed by a
second curator like any other (rules.reviews). Unlike a change of the English, an
unapproved translation does not hold a release back: it ships marked `unreviewed`, and
Ukrainian users see it labelled, with the English one click away, or see the English, as
the rule's `unreviewed_translation` says. Each release stores every entry's status
(`translation_status_compute`); pages read the released text through
`ReleasedTranslations`, never the working copy.
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation

from rules.choices import TranslationStatus, UnreviewedTranslation

LANGUAGE = "uk"
# The translated fields of each section of the knowledge base (its file's and releases'
# sections), and the entries' keys.
TRANSLATED: Mapping[str, tuple[str, ...]] = {
    "rules": ("title", "rationale", "provenance"),
    "strategies": ("name",),
    "mechanisms": ("name",),
    "references": ("caveats",),
}
# Translated fields that are lists (the rest are texts).
LISTS = ("caveats", "provenance")
KEYS = {"rules": "slug", "strategies": "slug", "mechanisms": "slug", "references": "key"}
FLAG = "unreviewed_translation"  # a rule's own: what users see of it while unreviewed


def translated_name(name: str) -> str:
    """The Ukrainian column of a translated field: title -> title_uk."""
    return f"{name}_{LANGUAGE}"


def translation_fields(section: str) -> tuple[str, ...]:
    """An entry's fields (in the knowledge-base file's format) that only its translation
    changes: the Ukrainian texts, and a rule's choice of what users see while unreviewed."""
    names = tuple(translated_name(name) for name in TRANSLATED[section])
    return (*names, FLAG) if section == "rules" else names


def translation_defaults(section: str) -> dict[str, Any]:
    """What an entry of an older file or release holds for its translation: nothing."""
    defaults: dict[str, Any] = {
        translated_name(n): [] if n in LISTS else "" for n in TRANSLATED[section]
    }
    if section == "rules":
        defaults[FLAG] = UnreviewedTranslation.LABELLED
    return defaults


@contextmanager
def in_english() -> Iterator[None]:
    """Read and write the knowledge base as data: `title` is the English one, whatever the
    request's language. Wrap data only: a message made inside comes out in English."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def translation_present(section: str, entry: Mapping[str, Any] | None) -> bool:
    """Whether an entry (as the file's format holds it) has any Ukrainian text."""
    return bool(entry) and any(entry.get(translated_name(n)) for n in TRANSLATED[section])


def translation_blanked(section: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """An entry without its translation: what a reviewer compares a released, unreviewed
    translation with, and what rejecting it restores."""
    return {**entry, **translation_defaults(section)}


def translation_status_compute(
    *,
    working: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
    changes: Sequence[Any],
) -> dict[str, dict[str, dict[str, Any]]]:
    """Each translated entry's status in the release about to be published:
    {section: {key: {"status": ..., "drafted_by": [...]}}}; an entry with no Ukrainian
    text is left out (missing).

    Reviewed: a second curator approved the change that made the text (with the English it
    translates, if that changed too), or it is unchanged since a release where it was
    reviewed and its English has not changed since. Otherwise unreviewed: an unapproved
    translation, or one whose English changed while it did not (it may no longer say the
    same).
    """
    earlier = (previous or {}).get("translation_status") or {}
    by_entry = {(change.section, change.key): change for change in changes}
    statuses: dict[str, dict[str, dict[str, Any]]] = {}
    for section, names in TRANSLATED.items():
        key_name = KEYS[section]
        for entry in working.get(section, []):
            if not translation_present(section, entry):
                continue
            key = entry[key_name]
            before = earlier.get(section, {}).get(key) or {}
            change = by_entry.get((section, key))
            if change is None:
                status = before.get("status", TranslationStatus.UNREVIEWED)
                drafted_by = before.get("drafted_by", [])
            else:
                changed = {name for name, _old, _new in change.diff}
                stale = any(n in changed and translated_name(n) not in changed for n in names)
                approved = change.approved_by is not None and not stale
                status = TranslationStatus.REVIEWED if approved else TranslationStatus.UNREVIEWED
                drafted_by = list(change.authors) or before.get("drafted_by", [])
            statuses.setdefault(section, {})[key] = {
                "status": str(status),
                "drafted_by": drafted_by,
            }
    return statuses


def translation_changelog(
    *, statuses: Mapping[str, Mapping[str, Mapping[str, Any]]], changes: Sequence[Any]
) -> list[str]:
    """The release's lines for its translations: each one a change touched, and whether it
    ships reviewed."""
    lines = []
    for change in changes:
        changed = {name for name, _old, _new in change.diff}
        touched = changed & set(translation_fields(change.section))
        status = statuses.get(change.section, {}).get(change.key, {}).get("status")
        if not touched:
            if status == TranslationStatus.UNREVIEWED and changed & set(TRANSLATED[change.section]):
                lines.append(
                    f"{change.noun} {change.key}: its English changed, so its Ukrainian "
                    "translation is not yet reviewed against it"
                )
            continue
        if change.released_unreviewed and status != TranslationStatus.REVIEWED:
            continue  # said when it was released
        if status is None:
            lines.append(f"{change.noun} {change.key}: Ukrainian translation removed")
        elif status == TranslationStatus.REVIEWED:
            lines.append(
                f"{change.noun} {change.key}: Ukrainian translation reviewed by "
                f"{change.approved_by}"
            )
        else:
            lines.append(f"{change.noun} {change.key}: Ukrainian translation not yet reviewed")
    return lines


@dataclass(frozen=True)
class Shown:
    """A knowledge-base text as a page in the user's language shows it."""

    text: Any
    original: Any
    status: str = TranslationStatus.MISSING

    @property
    def translated(self) -> bool:
        return self.text != self.original

    @property
    def unreviewed(self) -> bool:
        return self.translated and self.status == TranslationStatus.UNREVIEWED


@dataclass(frozen=True)
class ReleasedTranslations:
    """A release's Ukrainian text, for pages: by rule slug, by the English name of a
    strategy or mechanism (as payloads carry them) and by reference key."""

    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    names: Mapping[str, Mapping[str, Mapping[str, Any]]] = field(default_factory=dict)
    references: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def rule(self, slug: str, name: str, english: Any) -> Shown:
        """A rule's title or rationale: its translation unless there is none, it translates
        other words than `english` (a payload made from another release), or the curators
        chose the English while it is unreviewed."""
        entry = self.rules.get(slug)
        if not entry or not entry.get(name) or entry[f"{name}_en"] != english:
            return Shown(english, english)
        if entry["status"] == TranslationStatus.UNREVIEWED and entry.get(FLAG) == (
            UnreviewedTranslation.ENGLISH
        ):
            return Shown(english, english, entry["status"])
        return Shown(entry[name], english, entry["status"])

    def title(self, english: str) -> Shown:
        """A rule's title by its English (as suggested tests list the items they change)."""
        slug = next((s for s, e in self.rules.items() if e["title_en"] == english), None)
        return self.rule(slug, "title", english) if slug else Shown(english, english)

    def quotes(self, slug: str, english: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """A rule's quotes of the review, each with its Ukrainian `translation` beside it
        where a second curator approved one (None otherwise): the quotes themselves stay
        the review's English words."""
        entry = self.rules.get(slug) or {}
        translated = entry.get("provenance") or []
        approved = (
            entry.get("status") == TranslationStatus.REVIEWED
            and entry.get("provenance_en") == list(english)
            and len(translated) == len(english)
        )
        return [
            {**quote, "translation": translated[i]["quote"] if approved else None}
            for i, quote in enumerate(english)
        ]

    def name(self, section: str, english: str) -> Shown:
        """A strategy's or mechanism's name, by its English name."""
        entry = self.names.get(section, {}).get(english)
        if not entry or not entry.get("name"):
            return Shown(english, english)
        return Shown(entry["name"], english, entry["status"])

    def caveats(self, key: str, english: Sequence[str]) -> Shown:
        entry = self.references.get(key)
        if not entry or not entry.get("caveats") or entry["caveats_en"] != list(english):
            return Shown(list(english), list(english))
        return Shown(list(entry["caveats"]), list(english), entry["status"])

    def _entry(self, section: str, key: str) -> Mapping[str, Any] | None:
        """An entry's released translation by its key (slug or reference key)."""
        if section == "rules":
            return self.rules.get(key)
        if section == "references":
            return self.references.get(key)
        return next((e for e in self.names.get(section, {}).values() if e["key"] == key), None)

    def status(self, section: str, key: str) -> str:
        """An entry's status, by its key: reviewed, unreviewed or missing."""
        entry = self._entry(section, key)
        return entry["status"] if entry else str(TranslationStatus.MISSING)

    def working_status(self, section: str, key: str, texts: Mapping[str, Any]) -> str:
        """The status of the working copy's Ukrainian `texts` ({field: its `*_uk` value})
        of an entry: missing without any; unreviewed unless this release holds that very
        text; else the release's status."""
        if not any(texts.values()):
            return str(TranslationStatus.MISSING)
        entry = self._entry(section, key) or {}
        released = {name: entry.get(name) or None for name in TRANSLATED[section]}
        if released != {name: value or None for name, value in texts.items()}:
            return str(TranslationStatus.UNREVIEWED)
        return self.status(section, key)

    def payload_item(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """An evaluation payload's item (rules.evaluation) as a Ukrainian page shows it:
        its title (after any "already given" prefix the page put in its own words),
        rationale, mechanism, strategy and citations' caveats translated where a release
        holds their translation, and `translation`: whether any is unreviewed, and the
        English it replaced (the page offers it one click away)."""
        slug, title = item["rule"], item["title"]
        entry = self.rules.get(slug) or {}
        own = entry.get("title_en") or ""
        prefix = title[: -len(own)] if own and title.endswith(own) else None
        shown_title = self.rule(slug, "title", own if prefix is not None else title)
        rationale = self.rule(slug, "rationale", item["rationale"])
        mechanism = self.name("mechanisms", item["mechanism"])
        strategy = self.name("strategies", item["strategy"]) if item.get("strategy") else None
        quotes = self.quotes(slug, item.get("provenance") or [])
        citations = []
        caveats_unreviewed = False
        for citation in item.get("citations") or []:
            caveats = self.caveats(citation["key"], citation.get("caveats") or [])
            caveats_unreviewed |= caveats.unreviewed
            citations.append({**citation, "caveats": caveats.text})
        texts = [shown_title, rationale, mechanism, *([strategy] if strategy else [])]
        localized = {
            **item,
            "title": (prefix or "") + shown_title.text,
            "rationale": rationale.text,
            "mechanism": mechanism.text,
            "strategy": strategy.text if strategy else item.get("strategy"),
            "citations": citations,
            "provenance": quotes,
        }
        if any(text.translated for text in texts) or caveats_unreviewed:
            localized["translation"] = {
                "unreviewed": caveats_unreviewed or any(text.unreviewed for text in texts),
                "original": {
                    "title": title,
                    "rationale": item["rationale"],
                    "mechanism": item["mechanism"],
                    "strategy": item.get("strategy"),
                },
            }
        return localized


def translation_counts(data: Mapping[str, Any]) -> dict[str, int]:
    """A release's translated entries by status: {"reviewed": n, "unreviewed": m}."""
    counts = {str(TranslationStatus.REVIEWED): 0, str(TranslationStatus.UNREVIEWED): 0}
    for entries in (data.get("translation_status") or {}).values():
        for entry in entries.values():
            counts[entry["status"]] = counts.get(entry["status"], 0) + 1
    return counts


def released_translations(data: Mapping[str, Any]) -> ReleasedTranslations:
    """A release's stored knowledge base (its file's format) as ReleasedTranslations."""
    statuses = data.get("translation_status") or {}

    def status(section: str, key: str) -> str:
        found = statuses.get(section, {}).get(key)
        return found["status"] if found else str(TranslationStatus.MISSING)

    rules = {
        item["slug"]: {
            "title": item.get("title_uk") or "",
            "rationale": item.get("rationale_uk") or "",
            "title_en": item["title"],
            "rationale_en": item["rationale"],
            "provenance": item.get("provenance_uk") or [],
            "provenance_en": item.get("provenance") or [],
            FLAG: item.get(FLAG, UnreviewedTranslation.LABELLED),
            "status": status("rules", item["slug"]),
        }
        for item in data.get("rules", [])
        if translation_present("rules", item)
    }
    names = {
        section: {
            item["name"]: {
                "key": item["slug"],
                "name": item.get("name_uk") or "",
                "status": status(section, item["slug"]),
            }
            for item in data.get(section, [])
            if translation_present(section, item)
        }
        for section in ("strategies", "mechanisms")
    }
    references = {
        item["key"]: {
            "caveats": item.get("caveats_uk") or [],
            "caveats_en": list(item.get("caveats") or []),
            "status": status("references", item["key"]),
        }
        for item in data.get("references", [])
        if translation_present("references", item)
    }
    return ReleasedTranslations(rules=rules, names=names, references=references)
