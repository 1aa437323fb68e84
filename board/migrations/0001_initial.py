"""Board records move from the rules app to this one, state only: the tables keep their
names (db_table) and their rows; the rules app's 0009 forgets them. 0002 moves their
content types and permissions."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cases", "0007_case_newest_first_index"),
        ("rules", "0008_rule_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CdsCard",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("uuid", models.UUIDField(unique=True)),
                        ("rule_slug", models.CharField(max_length=80)),
                        ("knowledge_base_version", models.CharField(max_length=40)),
                        ("hook_instance", models.CharField(blank=True, max_length=100)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "rules_cdscard",
                    },
                ),
                migrations.CreateModel(
                    name="BoardSession",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=200)),
                        ("is_open", models.BooleanField(default=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "educator",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="board_sessions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "rules_boardsession",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="CdsFeedback",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "outcome",
                            models.CharField(
                                choices=[("accepted", "Accepted"), ("overridden", "Overridden")],
                                max_length=12,
                            ),
                        ),
                        ("override_reason_code", models.CharField(blank=True, max_length=100)),
                        ("override_reason_display", models.CharField(blank=True, max_length=200)),
                        ("user_comment", models.TextField(blank=True)),
                        ("outcome_timestamp", models.DateTimeField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "card",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="feedback",
                                to="board.cdscard",
                            ),
                        ),
                        (
                            "submitted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "CDS feedback",
                        "db_table": "rules_cdsfeedback",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="EvaluationSnapshot",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("knowledge_base_version", models.CharField(max_length=40)),
                        ("payload", models.JSONField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="snapshots",
                                to="cases.caseprofile",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "rules_evaluationsnapshot",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="SessionCase",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="cases.caseprofile"
                            ),
                        ),
                        (
                            "session",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="board.boardsession"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "rules_sessioncase",
                        "ordering": ["position", "id"],
                    },
                ),
                migrations.AddField(
                    model_name="boardsession",
                    name="cases",
                    field=models.ManyToManyField(
                        related_name="+", through="board.SessionCase", to="cases.caseprofile"
                    ),
                ),
                migrations.CreateModel(
                    name="TraineeProposal",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("reasoning", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="cases.caseprofile",
                            ),
                        ),
                        (
                            "session",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="proposals",
                                to="board.boardsession",
                            ),
                        ),
                        (
                            "strategies",
                            models.ManyToManyField(
                                blank=True,
                                db_table="rules_traineeproposal_strategies",
                                related_name="+",
                                to="rules.strategy",
                            ),
                        ),
                        (
                            "trainee",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "rules_traineeproposal",
                        "ordering": ["created_at"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="sessioncase",
                    constraint=models.UniqueConstraint(
                        fields=("session", "case"), name="session_case_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="traineeproposal",
                    constraint=models.UniqueConstraint(
                        fields=("session", "case", "trainee"),
                        name="one_proposal_per_trainee_and_case",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
