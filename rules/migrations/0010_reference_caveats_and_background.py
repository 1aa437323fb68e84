"""References: the notes on how the review cites a source move to `citation_notes`, and
`caveats` becomes a list of short sentences that travel with every citation. Rules: a
`background` kind (a statement without a patient trigger), whose condition is empty."""

from django.db import migrations, models

KIND_CHOICES = [
    ("strategy", "Strategy"),
    ("resistance_flag", "Resistance flag"),
    ("predictive_note", "Predictive or prognostic note"),
    ("caution", "Caution"),
    ("scope", "Scope"),
    ("background", "Background statement (no patient trigger)"),
]
NOTES_HELP = (
    "For curators: how the review cites this source (spelling, et al., duplicates, "
    "ambiguous citations). Not shown with citations."
)
CAVEATS_HELP = (
    "Short sentences shown with every citation of this source: a content mismatch, a "
    "retraction, conflicting findings. One per line."
)
CONDITION_HELP = (
    'A rule-engine expression over the profile, e.g. pik3ca == "mutated" or '
    'markers["MUC4"] == "high". Empty for a background statement.'
)


def notes_from_caveats(apps, schema_editor):
    for name in ("Reference", "HistoricalReference"):
        model = apps.get_model("rules", name)
        model.objects.update(citation_notes=models.F("caveats"))


def caveats_from_notes(apps, schema_editor):
    for name in ("Reference", "HistoricalReference"):
        model = apps.get_model("rules", name)
        model.objects.update(caveats=models.F("citation_notes"))


class Migration(migrations.Migration):
    dependencies = [("rules", "0009_board_models_move_to_board")]

    operations = [
        migrations.AddField(
            model_name="reference",
            name="citation_notes",
            field=models.TextField(blank=True, help_text=NOTES_HELP),
        ),
        migrations.AddField(
            model_name="historicalreference",
            name="citation_notes",
            field=models.TextField(blank=True, help_text=NOTES_HELP),
        ),
        migrations.RunPython(notes_from_caveats, caveats_from_notes),
        migrations.RemoveField(model_name="reference", name="caveats"),
        migrations.RemoveField(model_name="historicalreference", name="caveats"),
        migrations.AddField(
            model_name="reference",
            name="caveats",
            field=models.JSONField(blank=True, default=list, help_text=CAVEATS_HELP),
        ),
        migrations.AddField(
            model_name="historicalreference",
            name="caveats",
            field=models.JSONField(blank=True, default=list, help_text=CAVEATS_HELP),
        ),
        migrations.AlterField(
            model_name="rule",
            name="kind",
            field=models.CharField(choices=KIND_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="historicalrule",
            name="kind",
            field=models.CharField(choices=KIND_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="rule",
            name="condition",
            field=models.TextField(blank=True, help_text=CONDITION_HELP),
        ),
        migrations.AlterField(
            model_name="historicalrule",
            name="condition",
            field=models.TextField(blank=True, help_text=CONDITION_HELP),
        ),
    ]
