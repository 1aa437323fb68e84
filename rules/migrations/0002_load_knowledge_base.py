"""Load the review's knowledge base so that a fresh `migrate` has it published."""

from django.db import migrations

MODELS = ("Reference", "Mechanism", "Strategy", "Rule")


def load(apps, schema_editor):
    from django.utils import timezone

    from rules.kb_io import knowledge_base_apply, knowledge_base_read

    models = {name: apps.get_model("rules", name) for name in MODELS}
    knowledge_base_apply(knowledge_base_read(), **models)
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
    for name in reversed(MODELS):
        apps.get_model("rules", f"Historical{name}").objects.all().delete()
        apps.get_model("rules", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
