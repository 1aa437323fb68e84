"""The moved models' content types (and so their permissions, and the groups holding them)
go from the rules app to this one, instead of being created afresh."""

from django.db import migrations

MODELS = ["evaluationsnapshot", "cdscard", "cdsfeedback", "boardsession", "sessioncase",
          "traineeproposal"]  # fmt: skip


def move(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label="rules", model=model).first()
        if old is None:
            continue  # a fresh database: created for the board app after migrating
        if ContentType.objects.filter(app_label="board", model=model).exists():
            old.delete()
        else:
            old.app_label = "board"
            old.save(update_fields=["app_label"])


def back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="board", model__in=MODELS).update(app_label="rules")


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0001_initial"),
        ("rules", "0009_board_models_move_to_board"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(move, back)]
