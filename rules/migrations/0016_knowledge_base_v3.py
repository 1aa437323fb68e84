"""Knowledge base v3: every item points at the review's own sentences, and the second
audit's ten defects (../shared/reviews/knowledge-base-audit-2.md, section 8) are fixed.

The data is this migration's frozen copy (knowledge_base/0016_review_v3.yaml), loaded as
0011 loaded v2: every entry it creates or changes gets a history row with the reason, and
changed rules move to their next version. It then publishes the result as the next
release, so users see it: a revision shipped with the code is reviewed in code review
(against the audit), which stands in for the in-app second-curator approval; its
changelog says so. The release is the previous release with these entries replaced or
added, so a curator's unreviewed change of the working copy is never published by it.
"""

from pathlib import Path

import yaml
from django.db import migrations

FROZEN = Path(__file__).resolve().parent / "knowledge_base" / "0016_review_v3.yaml"
REASON = "Knowledge base v3: provenance quotes, curative-intent research leads, audit 2 fixes"
MATCH = {"Reference": "key", "Mechanism": "slug", "Strategy": "slug", "Rule": "slug"}
FIELDS = {
    "Reference": ("label", "authors", "year", "title", "journal", "volume", "issue", "pages",
                  "doi", "pmid", "doi_source", "retracted", "caveats", "citation_notes"),
    "Mechanism": ("name", "description", "position"),
    "Strategy": ("name", "agents", "therapies", "description"),
    "Rule": ("title", "kind", "evidence_level", "citations", "condition", "rationale",
             "provenance", "status", "examples"),
}  # fmt: skip
SECTIONS = {"Reference": "references", "Mechanism": "mechanisms", "Strategy": "strategies",
            "Rule": "rules"}  # fmt: skip
CHANGELOG = [
    "Knowledge base v3, shipped with the code (migration rules 0016) and reviewed in code "
    "review against the second knowledge-base audit instead of in-app approval.",
    "Every published item quotes the review's own sentences, with their paragraph numbers.",
    "In early, neoadjuvant and residual-disease settings, strategies below clinical-study "
    "evidence are listed apart, as research leads not for curative-intent decisions.",
    "KATHERINE's T-DM1 needs prior trastuzumab; the first-line claim reads the new line of "
    "metastatic therapy; endocrine therapy and CDK4/6 inhibitors already given say so.",
    "p95HER2, JAK2 blockade and radiotherapy items are review statements; caveats of Li "
    "2021, Cataldo 2023, Marotta 2011, Santisteban 2009 and De Angelis 2020 corrected.",
    "T-DM1 and T-DXd say that their order is not a preference; one HSP90 card; EPHA5, "
    "CDK12, IGF-1R and β2-AR notes outside resistance; claims not encoded are listed.",
]


def _history(apps, name, obj, kind, when):
    model = apps.get_model("rules", name)
    historical = apps.get_model("rules", f"Historical{name}")
    values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
    historical.objects.create(
        **values, history_date=when, history_type=kind, history_change_reason=REASON
    )


def _load(apps, data, now):
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


def _release(apps, data, now):
    Release = apps.get_model("rules", "Release")
    previous = Release.objects.order_by("-id").first()
    if previous is None:
        return  # no release yet (0013 makes the first from the working copy)
    published = dict(previous.knowledge_base)
    for section, key in (("references", "key"), ("mechanisms", "slug"),
                         ("strategies", "slug"), ("rules", "slug")):  # fmt: skip
        ours = {item[key]: item for item in data[section]}
        kept = [item for item in published.get(section, []) if item[key] not in ours]
        published[section] = kept + list(data[section])
    published["format"] = data["format"]
    taken = set(Release.objects.values_list("name", flat=True))
    number = 2
    while f"2026.{number}" in taken:
        number += 1
    name = f"2026.{number}"  # 2026.2, unless curators already published under that name
    published["source"] = f"her2-board release {name}"
    Release.objects.create(
        name=name,
        published_at=now,
        changelog=CHANGELOG,
        knowledge_base=published,
        version="",  # the content hash is computed from the stored knowledge base on read
    )


def load(apps, schema_editor):
    from django.utils import timezone

    data = yaml.safe_load(FROZEN.read_text(encoding="utf-8"))
    now = timezone.now()
    _load(apps, data, now)
    _release(apps, data, now)


class Migration(migrations.Migration):
    dependencies = [
        ("rules", "0015_provenance_not_encoded_therapies"),
        ("cases", "0012_metastatic_line_and_assay_status"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
