"""Knowledge base v2: suggestions only where the review's evidence applies.

Strategies of preclinical or review-statement level are gated to trastuzumab resistance,
clinical items to their trial's population; titles state findings; caveats travel with
citations; background statements without a patient trigger; new items the review states.
The data is this migration's frozen copy (knowledge_base/0011_review_v2.yaml), loaded by
the code written out here. Every entry it creates or changes gets a history row, so
curators see the revision as a diff; changed rules move to their next version.
"""

from pathlib import Path

import yaml
from django.db import migrations

FROZEN = Path(__file__).resolve().parent / "knowledge_base" / "0011_review_v2.yaml"
REASON = "Knowledge base v2: evidence gates, findings as titles, caveats with citations"
MATCH = {"Reference": "key", "Mechanism": "slug", "Strategy": "slug", "Rule": "slug"}
FIELDS = {
    "Reference": ("label", "authors", "year", "title", "journal", "volume", "issue", "pages",
                  "doi", "pmid", "doi_source", "retracted", "caveats", "citation_notes"),
    "Mechanism": ("name", "description", "position"),
    "Strategy": ("name", "agents", "description"),
    "Rule": ("title", "kind", "evidence_level", "citations", "condition", "rationale",
             "status", "examples"),
}  # fmt: skip
SECTIONS = {"Reference": "references", "Mechanism": "mechanisms", "Strategy": "strategies",
            "Rule": "rules"}  # fmt: skip


def _history(apps, name, obj, kind, when):
    model = apps.get_model("rules", name)
    historical = apps.get_model("rules", f"Historical{name}")
    values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
    historical.objects.create(
        **values, history_date=when, history_type=kind, history_change_reason=REASON
    )


def load(apps, schema_editor):
    from django.utils import timezone

    data = yaml.safe_load(FROZEN.read_text(encoding="utf-8"))
    now = timezone.now()
    for name in ("Reference", "Mechanism", "Strategy", "Rule"):
        model = apps.get_model("rules", name)
        mechanisms = {m.slug: m for m in apps.get_model("rules", "Mechanism").objects.all()}
        strategies = {s.slug: s for s in apps.get_model("rules", "Strategy").objects.all()}
        for item in data[SECTIONS[name]]:
            wanted = {f: item[f] for f in FIELDS[name]}
            if name == "Rule":
                wanted["mechanism_id"] = mechanisms[item["mechanism"]].pk
                strategy = strategies.get(item["strategy"]) if item["strategy"] else None
                wanted["strategy_id"] = strategy.pk if strategy else None
            key = {MATCH[name]: item[MATCH[name]]}
            obj = model.objects.filter(**key).first()
            if obj is None:
                obj = model.objects.create(**key, **wanted)
                _history(apps, name, obj, "+", now)
                continue
            if all(getattr(obj, field) == value for field, value in wanted.items()):
                continue
            for field, value in wanted.items():
                setattr(obj, field, value)
            if name == "Rule":
                obj.version += 1
            obj.save()
            _history(apps, name, obj, "~", now)


class Migration(migrations.Migration):
    dependencies = [("rules", "0010_reference_caveats_and_background")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
