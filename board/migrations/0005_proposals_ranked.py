"""Ranked proposals: up to three choices each (a strategy, a standard-of-care option or the
trainee's own words) and an evidence-level guess; sessions open, locked or closed.

Existing proposals keep their strategies, in name order, as ranked choices; an open session
stays open and a closed one closed.
"""

import django.db.models.deletion
from django.db import migrations, models

import cases.deid


def forwards(apps, schema_editor):
    BoardSession = apps.get_model("board", "BoardSession")
    BoardSession.objects.filter(is_open=False).update(state="closed")
    TraineeProposal = apps.get_model("board", "TraineeProposal")
    ProposalChoice = apps.get_model("board", "ProposalChoice")
    choices = []
    for proposal in TraineeProposal.objects.prefetch_related("strategies"):
        for rank, strategy in enumerate(sorted(proposal.strategies.all(), key=lambda s: s.name)):
            choices.append(
                ProposalChoice(
                    proposal=proposal, rank=rank + 1, strategy=strategy, label=strategy.name
                )
            )
    ProposalChoice.objects.bulk_create(choices)


def backwards(apps, schema_editor):
    BoardSession = apps.get_model("board", "BoardSession")
    BoardSession.objects.exclude(state="open").update(is_open=False)
    ProposalChoice = apps.get_model("board", "ProposalChoice")
    for choice in ProposalChoice.objects.exclude(strategy=None):
        choice.proposal.strategies.add(choice.strategy)


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0004_snapshot_release"),
        ("rules", "0014_reviews"),
    ]

    operations = [
        migrations.AddField(
            model_name="boardsession",
            name="state",
            field=models.CharField(
                choices=[
                    ("open", "Open: taking proposals"),
                    ("locked", "Locked: proposals closed, the engine shown to everyone"),
                    ("closed", "Closed"),
                ],
                default="open",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="traineeproposal",
            name="evidence_guess",
            field=models.CharField(
                blank=True,
                choices=[
                    ("approved_indication", "Approved indication"),
                    ("phase_iii_trial", "Phase III trial"),
                    ("clinical_study", "Clinical study or patient cohort"),
                    ("preclinical_in_vivo", "Preclinical, in vivo (animal)"),
                    ("preclinical_in_vitro", "Preclinical, in vitro (cell lines)"),
                    ("preclinical", "Preclinical, model not stated in the review"),
                    ("review_statement", "Statement of a cited review"),
                ],
                help_text="The trainee's guess of the evidence level of their first choice.",
                max_length=24,
            ),
        ),
        migrations.CreateModel(
            name="ProposalChoice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("rank", models.PositiveSmallIntegerField()),
                (
                    "standard",
                    models.CharField(
                        blank=True,
                        choices=[
                            (
                                "continue-trastuzumab",
                                "Continue the current trastuzumab-based therapy",
                            ),
                            (
                                "trastuzumab-pertuzumab-chemotherapy",
                                "Trastuzumab, pertuzumab and chemotherapy",
                            ),
                        ],
                        max_length=40,
                    ),
                ),
                (
                    "other",
                    models.CharField(
                        blank=True, max_length=200, validators=[cases.deid.text_validate]
                    ),
                ),
                (
                    "label",
                    models.CharField(
                        help_text="The option as shown when chosen.",
                        max_length=200,
                        validators=[cases.deid.text_validate],
                    ),
                ),
                (
                    "proposal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="choices",
                        to="board.traineeproposal",
                    ),
                ),
                (
                    "strategy",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="rules.strategy",
                    ),
                ),
            ],
            options={
                "ordering": ["rank"],
                "constraints": [
                    models.UniqueConstraint(fields=("proposal", "rank"), name="one_choice_per_rank")
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name="boardsession",
            name="is_open",
        ),
        migrations.RemoveField(
            model_name="traineeproposal",
            name="strategies",
        ),
    ]
