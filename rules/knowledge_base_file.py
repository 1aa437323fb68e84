"""Reading and writing the knowledge-base file (rules/knowledge_base/knowledge_base.yaml).

`knowledge_base_apply` takes the model classes as arguments (the import command passes
the real models). Files of earlier formats (v1: one `caveats` text per reference, no
background statements; v2: no provenance quotes) are read into the current one.

Each entry may carry its Ukrainian text (`title_uk`, ...: rules.translations); an entry
without it has none. The English text is read and written by the field's own name under
rules.translations.in_english, so the request's language never changes it.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from rules.translations import (
    FLAG,
    TRANSLATED,
    in_english,
    translation_defaults,
    translation_fields,
)

KNOWLEDGE_BASE_FILE = Path(__file__).resolve().parent / "knowledge_base" / "knowledge_base.yaml"
FORMAT = "her2-board knowledge base v3"
FORMAT_V2 = "her2-board knowledge base v2"
FORMAT_V1 = "her2-board knowledge base v1"

REFERENCE_FIELDS = (
    "key", "label", "authors", "year", "title", "journal", "volume", "issue", "pages",
    "doi", "pmid", "doi_source", "retracted", "caveats", "citation_notes",
)  # fmt: skip
MECHANISM_FIELDS = ("slug", "name", "description", "position")
STRATEGY_FIELDS = ("slug", "name", "agents", "therapies", "description")
SECTION_OF = {
    "Reference": "references", "Mechanism": "mechanisms", "Strategy": "strategies",
    "Rule": "rules",
}  # fmt: skip
RULE_FIELDS = (
    "slug", "title", "kind", "mechanism", "strategy", "evidence_level", "citations",
    "condition", "rationale", "provenance", "status", "examples",
)  # fmt: skip


def knowledge_base_read(path: Path = KNOWLEDGE_BASE_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, Mapping) or data.get("format") not in (FORMAT, FORMAT_V2, FORMAT_V1):
        raise ValueError(f"{path} is not a her2-board knowledge-base file ({FORMAT}).")
    data = dict(data)
    if data["format"] == FORMAT_V1:
        # v1 kept one text per reference for what v2 splits into notes and caveats.
        for reference in data.get("references", []):
            reference["citation_notes"] = reference.pop("caveats", "")
            reference["caveats"] = []
        data["format"] = FORMAT_V2
    if data["format"] == FORMAT_V2:
        # v2 had no provenance: its rules quote nothing until a curator adds quotes.
        for rule in data.get("rules", []):
            rule.setdefault("provenance", [])
        for strategy in data.get("strategies", []):
            strategy.setdefault("therapies", [])
        data["format"] = FORMAT
    return data


def knowledge_base_write(data: Mapping[str, Any], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(dict(data), handle, allow_unicode=True, sort_keys=False, width=100)


def _translation(model, section: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """An entry's Ukrainian text and choices, for a model that has them (a migration's
    historical model may not); a file without them (an older one) leaves them as they are."""
    names = {f.name for f in model._meta.get_fields()}
    defaults = translation_defaults(section)
    return {
        f: item[f] or (defaults[f] if f == FLAG else None)
        for f in translation_fields(section)
        if f in names and f in item
    }


@in_english()
def knowledge_base_apply(data: Mapping[str, Any], *, Reference, Mechanism, Strategy, Rule) -> None:
    """Create or update every entry of `data`, matched by key or slug."""
    for item in data.get("references", []):
        Reference.objects.update_or_create(
            key=item["key"],
            defaults={
                **{f: item[f] for f in REFERENCE_FIELDS if f != "key"},
                **_translation(Reference, "references", item),
            },
        )
    for item in data.get("mechanisms", []):
        Mechanism.objects.update_or_create(
            slug=item["slug"],
            defaults={
                **{f: item[f] for f in MECHANISM_FIELDS if f != "slug"},
                **_translation(Mechanism, "mechanisms", item),
            },
        )
    for item in data.get("strategies", []):
        Strategy.objects.update_or_create(
            slug=item["slug"],
            defaults={
                **{f: item[f] for f in STRATEGY_FIELDS if f != "slug"},
                **_translation(Strategy, "strategies", item),
            },
        )
    mechanisms = {m.slug: m for m in Mechanism.objects.all()}
    strategies = {s.slug: s for s in Strategy.objects.all()}
    for item in data.get("rules", []):
        defaults = {f: item[f] for f in RULE_FIELDS if f not in ("slug", "mechanism", "strategy")}
        defaults["mechanism"] = mechanisms[item["mechanism"]]
        defaults["strategy"] = strategies[item["strategy"]] if item.get("strategy") else None
        defaults.update(_translation(Rule, "rules", item))
        Rule.objects.update_or_create(slug=item["slug"], defaults=defaults)


@in_english()  # the models' orderings by name are the English names' too
def knowledge_base_dump(
    *, Reference, Mechanism, Strategy, Rule, source: str = ""
) -> dict[str, Any]:
    """The whole knowledge base as plain data, in the file's format.

    Migrations pass their historical models, which lack the fields added after them: those
    are left out (readers take them as their defaults). A translated field's English is
    read from its English column where the model has one (a historical model's `title` is
    a plain column, which the models' own saves do not keep current)."""

    def present(model, fields: tuple[str, ...]) -> tuple[str, ...]:
        names = {field.name for field in model._meta.get_fields()}
        section = SECTION_OF[model._meta.object_name]
        own = tuple(f for f in translation_fields(section) if f in names)
        return (*(f for f in fields if f in names or f in ("mechanism", "strategy")), *own)

    def value(obj, name: str) -> Any:
        english = f"{name}_en_gb"
        if name in TRANSLATED[SECTION_OF[obj._meta.object_name]] and hasattr(obj, english):
            found = getattr(obj, english)
            return found if found is not None else obj.__dict__.get(name)
        found = getattr(obj, name)
        if found is None and name.endswith("_uk"):
            return [] if name in ("caveats_uk", "provenance_uk") else ""
        return found

    mechanism_fields, strategy_fields = (
        present(Mechanism, MECHANISM_FIELDS),
        present(Strategy, STRATEGY_FIELDS),
    )
    rule_fields, reference_fields = present(Rule, RULE_FIELDS), present(Reference, REFERENCE_FIELDS)
    rules = Rule.objects.select_related("mechanism", "strategy").order_by(
        "mechanism__position", "slug"
    )
    return {
        "format": FORMAT,
        "source": source,
        "mechanisms": [{f: value(m, f) for f in mechanism_fields} for m in Mechanism.objects.all()],
        "strategies": [{f: value(s, f) for f in strategy_fields} for s in Strategy.objects.all()],
        "rules": [
            {
                **{f: value(r, f) for f in rule_fields if f not in ("mechanism", "strategy")},
                "mechanism": r.mechanism.slug,
                "strategy": r.strategy.slug if r.strategy else None,
            }
            for r in rules
        ],
        "references": [{f: value(r, f) for f in reference_fields} for r in Reference.objects.all()],
    }
