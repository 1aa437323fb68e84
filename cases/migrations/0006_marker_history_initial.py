"""Give every catalogue marker its first history entry (the catalogue's changes are tracked)."""

from django.db import migrations
from django.utils import timezone


def first_entries(apps, schema_editor):
    Marker = apps.get_model("cases", "Marker")
    HistoricalMarker = apps.get_model("cases", "HistoricalMarker")
    now = timezone.now()
    HistoricalMarker.objects.bulk_create(
        HistoricalMarker(
            id=marker.id,
            code=marker.code,
            name=marker.name,
            scale=marker.scale,
            description=marker.description,
            history_date=now,
            history_type="+",
            history_change_reason="Catalogue as seeded",
        )  # fmt: skip
        for marker in Marker.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_marker_history")]
    operations = [migrations.RunPython(first_entries, migrations.RunPython.noop)]
