"""The board's models (snapshots, CDS cards and feedback, board sessions) now belong to the
board app (its 0001); their tables stay as they are, so this only updates the state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("rules", "0008_rule_version"),
        ("board", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="sessioncase",
                    name="session",
                ),
                migrations.RemoveField(
                    model_name="traineeproposal",
                    name="session",
                ),
                migrations.RemoveField(
                    model_name="cdsfeedback",
                    name="card",
                ),
                migrations.RemoveField(
                    model_name="cdsfeedback",
                    name="submitted_by",
                ),
                migrations.RemoveField(
                    model_name="evaluationsnapshot",
                    name="case",
                ),
                migrations.RemoveField(
                    model_name="evaluationsnapshot",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="sessioncase",
                    name="case",
                ),
                migrations.RemoveField(
                    model_name="traineeproposal",
                    name="case",
                ),
                migrations.RemoveField(
                    model_name="traineeproposal",
                    name="strategies",
                ),
                migrations.RemoveField(
                    model_name="traineeproposal",
                    name="trainee",
                ),
                migrations.DeleteModel(
                    name="BoardSession",
                ),
                migrations.DeleteModel(
                    name="CdsCard",
                ),
                migrations.DeleteModel(
                    name="CdsFeedback",
                ),
                migrations.DeleteModel(
                    name="EvaluationSnapshot",
                ),
                migrations.DeleteModel(
                    name="SessionCase",
                ),
                migrations.DeleteModel(
                    name="TraineeProposal",
                ),
            ],
            database_operations=[],
        ),
    ]
