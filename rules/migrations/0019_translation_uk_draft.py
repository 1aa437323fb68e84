"""The knowledge base's Ukrainian first draft (issue #34), marked unreviewed.

0018 added django-modeltranslation's columns (`title_en_gb`, `title_uk`, ...). This copies
each entry's English into its English column, then loads the draft
(knowledge_base/0019_translation_uk.yaml) into the Ukrainian columns of every entry whose
English is still the text it translates (knowledge base v3, 0016's frozen copy), so a
curator's later wording never gets a stale translation.

It then publishes the previous release again with the same translation added to its
entries, each marked `unreviewed` with no recorded drafter: Ukrainian users see it
labelled "translation not yet reviewed", with the English one click away, and the
curators' review lists every entry until a curator approves it (one with no recorded
drafter needs a superuser, as an import does: rules.reviews). Nothing in English changes.
"""

from pathlib import Path

import yaml
from django.db import migrations
from django.utils import timezone

HERE = Path(__file__).resolve().parent / "knowledge_base"
DRAFT = HERE / "0019_translation_uk.yaml"
ENGLISH = HERE / "0016_review_v3.yaml"
SECTIONS = {  # section: (model, key, translated fields)
    "rules": ("Rule", "slug", ("title", "rationale", "provenance")),
    "strategies": ("Strategy", "slug", ("name",)),
    "mechanisms": ("Mechanism", "slug", ("name",)),
    "references": ("Reference", "key", ("caveats",)),
}
CHANGELOG = [
    "A first draft of the knowledge base's text in Ukrainian (rule titles and rationales, "
    "strategy and mechanism names, reference caveats), shipped with the code (migration "
    "rules 0019) and marked not yet reviewed: Ukrainian users see it labelled, with the "
    "English one click away, until a curator approves each entry.",
]


def _draft(section: str, key: str, draft: dict, fields: tuple, english: dict) -> dict:
    """The draft's Ukrainian text of one entry, by field (a rule's quotes of the review
    translated sentence by sentence, each keeping its paragraph)."""
    found = draft[section].get(key)
    if found is None:
        return {}
    if section != "rules":
        return {fields[0]: found}
    texts = {f: found[f] for f in ("title", "rationale")}
    quotes = english.get("provenance") or []
    if quotes and all(q["quote"] in draft["quotes"] for q in quotes):
        texts["provenance"] = [
            {"quote": draft["quotes"][q["quote"]], "paragraph": q["paragraph"]} for q in quotes
        ]
    return texts


def forwards(apps, schema_editor):
    draft = yaml.safe_load(DRAFT.read_text(encoding="utf-8"))
    english = yaml.safe_load(ENGLISH.read_text(encoding="utf-8"))
    source = {
        section: {item[key]: item for item in english[section]}
        for section, (_model, key, _fields) in SECTIONS.items()
    }
    for section, (name, key, fields) in SECTIONS.items():
        model = apps.get_model("rules", name)
        for obj in model.objects.all():
            for field in fields:
                if not getattr(obj, f"{field}_en_gb"):
                    setattr(obj, f"{field}_en_gb", getattr(obj, field))
            was = source[section].get(getattr(obj, key))
            translated = _draft(section, getattr(obj, key), draft, fields, was or {})
            if translated and was and all(getattr(obj, f) == was[f] for f in fields):
                for field, text in translated.items():
                    if not getattr(obj, f"{field}_uk"):
                        setattr(obj, f"{field}_uk", text)
            obj.save()
    _release(apps, draft, source)


def _release(apps, draft, source):
    Release = apps.get_model("rules", "Release")
    previous = Release.objects.order_by("-id").first()
    if previous is None:
        return  # no release yet
    published = dict(previous.knowledge_base)
    statuses = {}
    for section, (_name, key, fields) in SECTIONS.items():
        entries = []
        for item in published.get(section, []):
            item = dict(item)
            was = source[section].get(item[key])
            translated = _draft(section, item[key], draft, fields, was or {})
            if translated and was and all(item.get(f) == was[f] for f in fields):
                item.update({f"{field}_uk": text for field, text in translated.items()})
                statuses.setdefault(section, {})[item[key]] = {
                    "status": "unreviewed",
                    "drafted_by": [],
                }
            entries.append(item)
        published[section] = entries
    if not statuses:
        return
    published["translation_status"] = statuses
    taken = set(Release.objects.values_list("name", flat=True))
    number = 2
    while f"2026.{number}" in taken:
        number += 1
    name = f"2026.{number}"
    published["source"] = f"her2-board release {name}"
    Release.objects.create(
        name=name,
        published_at=timezone.now(),
        changelog=CHANGELOG,
        knowledge_base=published,
        version=previous.version,
    )


class Migration(migrations.Migration):
    dependencies = [("rules", "0018_translations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
