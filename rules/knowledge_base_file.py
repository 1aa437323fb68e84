"""Reading and writing the knowledge-base file (rules/knowledge_base/knowledge_base.yaml).

`knowledge_base_apply` takes the model classes as arguments (the import command passes
the real models). Files of the first format (v1: one `caveats` text per reference, no
background statements) are read into the current one.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

KNOWLEDGE_BASE_FILE = Path(__file__).resolve().parent / "knowledge_base" / "knowledge_base.yaml"
FORMAT = "her2-board knowledge base v2"
FORMAT_V1 = "her2-board knowledge base v1"

REFERENCE_FIELDS = (
    "key", "label", "authors", "year", "title", "journal", "volume", "issue", "pages",
    "doi", "pmid", "doi_source", "retracted", "caveats", "citation_notes",
)  # fmt: skip
MECHANISM_FIELDS = ("slug", "name", "description", "position")
STRATEGY_FIELDS = ("slug", "name", "agents", "description")
RULE_FIELDS = (
    "slug", "title", "kind", "mechanism", "strategy", "evidence_level", "citations",
    "condition", "rationale", "status", "examples",
)  # fmt: skip


def knowledge_base_read(path: Path = KNOWLEDGE_BASE_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, Mapping) or data.get("format") not in (FORMAT, FORMAT_V1):
        raise ValueError(f"{path} is not a her2-board knowledge-base file ({FORMAT}).")
    data = dict(data)
    if data["format"] == FORMAT_V1:
        # v1 kept one text per reference for what v2 splits into notes and caveats.
        for reference in data.get("references", []):
            reference["citation_notes"] = reference.pop("caveats", "")
            reference["caveats"] = []
        data["format"] = FORMAT
    return data


def knowledge_base_write(data: Mapping[str, Any], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(dict(data), handle, allow_unicode=True, sort_keys=False, width=100)


def knowledge_base_apply(data: Mapping[str, Any], *, Reference, Mechanism, Strategy, Rule) -> None:
    """Create or update every entry of `data`, matched by key or slug."""
    for item in data.get("references", []):
        Reference.objects.update_or_create(
            key=item["key"], defaults={f: item[f] for f in REFERENCE_FIELDS if f != "key"}
        )
    for item in data.get("mechanisms", []):
        Mechanism.objects.update_or_create(
            slug=item["slug"], defaults={f: item[f] for f in MECHANISM_FIELDS if f != "slug"}
        )
    for item in data.get("strategies", []):
        Strategy.objects.update_or_create(
            slug=item["slug"], defaults={f: item[f] for f in STRATEGY_FIELDS if f != "slug"}
        )
    mechanisms = {m.slug: m for m in Mechanism.objects.all()}
    strategies = {s.slug: s for s in Strategy.objects.all()}
    for item in data.get("rules", []):
        defaults = {f: item[f] for f in RULE_FIELDS if f not in ("slug", "mechanism", "strategy")}
        defaults["mechanism"] = mechanisms[item["mechanism"]]
        defaults["strategy"] = strategies[item["strategy"]] if item.get("strategy") else None
        Rule.objects.update_or_create(slug=item["slug"], defaults=defaults)


def knowledge_base_dump(
    *, Reference, Mechanism, Strategy, Rule, source: str = ""
) -> dict[str, Any]:
    """The whole knowledge base as plain data, in the file's format."""
    rules = Rule.objects.select_related("mechanism", "strategy").order_by(
        "mechanism__position", "slug"
    )
    return {
        "format": FORMAT,
        "source": source,
        "mechanisms": [
            {f: getattr(m, f) for f in MECHANISM_FIELDS} for m in Mechanism.objects.all()
        ],
        "strategies": [{f: getattr(s, f) for f in STRATEGY_FIELDS} for s in Strategy.objects.all()],
        "rules": [
            {
                **{f: getattr(r, f) for f in RULE_FIELDS if f not in ("mechanism", "strategy")},
                "mechanism": r.mechanism.slug,
                "strategy": r.strategy.slug if r.strategy else None,
            }
            for r in rules
        ],
        "references": [
            {f: getattr(r, f) for f in REFERENCE_FIELDS} for r in Reference.objects.all()
        ],
    }
