"""Load the review's knowledge base so that a fresh `migrate` has it published.

The data is the migration's own frozen copy (knowledge_base/0002_review.yaml) and the
loader is written out here, so this migration gives the same result whatever the live
file and code later become. Later revisions of the knowledge base reach databases through
their own migrations (each with its frozen file) or `manage.py import_knowledge_base`.
"""

from pathlib import Path

import yaml
from django.db import migrations

FROZEN = Path(__file__).resolve().parent / "knowledge_base" / "0002_review.yaml"
FIELDS = {
    "Reference": ("key", "label", "authors", "year", "title", "journal", "volume", "issue",
                  "pages", "doi", "pmid", "doi_source", "retracted", "caveats"),
    "Mechanism": ("slug", "name", "description", "position"),
    "Strategy": ("slug", "name", "agents", "description"),
    "Rule": ("slug", "title", "kind", "evidence_level", "citations", "condition", "rationale",
             "status", "examples"),
}  # fmt: skip
SECTIONS = {"Reference": "references", "Mechanism": "mechanisms", "Strategy": "strategies",
            "Rule": "rules"}  # fmt: skip


def load(apps, schema_editor):
    from django.utils import timezone

    data = yaml.safe_load(FROZEN.read_text(encoding="utf-8"))
    models = {name: apps.get_model("rules", name) for name in FIELDS}
    for name in ("Reference", "Mechanism", "Strategy"):
        model = models[name]
        for item in data[SECTIONS[name]]:
            model.objects.create(**{f: item[f] for f in FIELDS[name]})
    mechanisms = {m.slug: m for m in models["Mechanism"].objects.all()}
    strategies = {s.slug: s for s in models["Strategy"].objects.all()}
    for item in data["rules"]:
        models["Rule"].objects.create(
            **{f: item[f] for f in FIELDS["Rule"]},
            mechanism=mechanisms[item["mechanism"]],
            strategy=strategies[item["strategy"]] if item.get("strategy") else None,
        )
    # Historical models do not record history by themselves: write the first entry so
    # that curators' later changes show as diffs against what the review gave.
    now = timezone.now()
    for name, model in models.items():
        historical = apps.get_model("rules", f"Historical{name}")
        fields = [f.attname for f in model._meta.concrete_fields]
        historical.objects.bulk_create(
            historical(
                **{f: getattr(obj, f) for f in fields},
                history_date=now,
                history_type="+",
                history_change_reason="Loaded from the review's knowledge-base file",
            )
            for obj in model.objects.all()
        )


def unload(apps, schema_editor):
    for name in reversed(tuple(FIELDS)):
        apps.get_model("rules", f"Historical{name}").objects.all().delete()
        apps.get_model("rules", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
