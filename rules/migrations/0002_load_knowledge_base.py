"""Load the review's knowledge base so that a fresh `migrate` has it published."""

from django.db import migrations


def load(apps, schema_editor):
    from rules.kb_io import knowledge_base_apply, knowledge_base_read

    knowledge_base_apply(
        knowledge_base_read(),
        Reference=apps.get_model("rules", "Reference"),
        Mechanism=apps.get_model("rules", "Mechanism"),
        Strategy=apps.get_model("rules", "Strategy"),
        Rule=apps.get_model("rules", "Rule"),
    )


def unload(apps, schema_editor):
    for name in ("Rule", "Strategy", "Mechanism", "Reference"):
        apps.get_model("rules", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
