"""Reliability: no lost updates (409), atomic imports, database outages, backup and restore."""

import pytest
from django.core.management import call_command
from django.db import connection

from board.models import EvaluationSnapshot
from board.snapshots import snapshot_create
from cases.models import CaseProfile
from cases.services import case_create, case_update
from rules.models import Reference, Rule
from tests.factories import CONTRACT_EXAMPLE, rule_rows, token_client

pytestmark = pytest.mark.django_db


def test_two_api_clients_cannot_overwrite_each_other_on_a_case(trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    first, second = token_client(trainee), token_client(trainee)
    read = first.get(f"/api/v1/cases/{case.code}/").json()["version"]
    assert (
        second.patch(
            f"/api/v1/cases/{case.code}/", {"pik3ca": "wild_type", "version": read}, format="json"
        ).status_code
        == 200
    )
    late = first.patch(
        f"/api/v1/cases/{case.code}/", {"pten": "lost", "version": read}, format="json"
    )
    assert late.status_code == 409
    assert "changed by someone else" in late.json()["detail"]
    assert late.json()["current_version"] == read + 1
    case.refresh_from_db()
    assert (case.pik3ca, case.pten, case.version) == ("wild_type", "retained", read + 1)


def test_an_update_without_a_version_is_refused(trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    response = token_client(trainee).patch(
        f"/api/v1/cases/{case.code}/", {"pten": "lost"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_two_curators_cannot_overwrite_each_other_on_a_rule(curator):
    api = token_client(curator)
    read = api.get("/api/v1/rules/met-overexpression/").json()["version"]
    assert (
        api.patch(
            "/api/v1/rules/met-overexpression/",
            {"title": "A", "version": read, "change_reason": "test edit"},
            format="json",
        ).status_code
        == 200
    )
    late = api.patch(
        "/api/v1/rules/met-overexpression/",
        {"title": "B", "version": read, "change_reason": "test edit"},
        format="json",
    )
    assert late.status_code == 409
    assert Rule.objects.get(slug="met-overexpression").title == "A"


def test_the_web_form_shows_the_same_conflict(client, trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    client.force_login(trainee)
    form = client.get(f"/cases/{case.code}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["prior_therapies"] = form.initial["prior_therapies"]
    token_client(trainee).patch(
        f"/api/v1/cases/{case.code}/", {"pten": "lost", "version": 1}, format="json"
    )
    response = client.post(f"/cases/{case.code}/edit/", {**data, "her2_ihc": "1+"})
    assert response.status_code == 200
    assert "changed by someone else" in str(response.context["form"].non_field_errors())
    case.refresh_from_db()
    assert case.her2_ihc == "3+" and case.pten == "lost"


def test_the_admin_shows_the_same_conflict(client, curator):
    rule = Rule.objects.get(slug="met-overexpression")
    client.force_login(curator)
    form = client.get(f"/admin/rules/rule/{rule.pk}/change/").context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(rule_rows(citations=rule.citations, examples=rule.examples))
    data["strategy"] = ""
    Rule.objects.filter(pk=rule.pk).update(version=rule.version + 1, title="Edited meanwhile")
    data["change_reason"] = "Title shortened."
    response = client.post(f"/admin/rules/rule/{rule.pk}/change/", {**data, "title": "Mine"})
    assert response.status_code == 200
    assert "changed by someone else" in str(response.context["adminform"].form.non_field_errors())
    assert Rule.objects.get(pk=rule.pk).title == "Edited meanwhile"


def test_an_import_interrupted_half_way_leaves_nothing(monkeypatch, tmp_path):
    from django.db.models import QuerySet

    from cases.services import ImportRefused  # noqa: F401 - the same module's atomic block

    rows = "setting,trastuzumab_response,her2_ihc\n" + "metastatic,naive,3+\n" * 2500
    path = tmp_path / "big.csv"
    path.write_text(rows)
    calls = {"n": 0}
    if connection.vendor == "postgresql":  # the COPY path (cases.bulk): fail mid-stream
        import psycopg

        write_row = psycopg.Copy.write_row

        def failing_write_row(self, row):
            calls["n"] += 1
            if calls["n"] > 1000:
                raise RuntimeError("database went away mid-import")
            return write_row(self, row)

        monkeypatch.setattr(psycopg.Copy, "write_row", failing_write_row)
    else:
        original = QuerySet.bulk_create

        def failing_bulk_create(self, objs, *args, **kwargs):
            objs = list(objs)
            original(self, objs[:1000], *args, **kwargs)
            calls["n"] += 1
            raise RuntimeError("database went away mid-import")

        monkeypatch.setattr(QuerySet, "bulk_create", failing_bulk_create)
    with pytest.raises(RuntimeError):
        call_command("import_cases", str(path))
    assert calls["n"] in (1, 1001)  # the failure happened half-way
    assert CaseProfile.objects.count() == 0


def _state():
    return {
        "cases": sorted(c.as_profile()["notes"] + c.code for c in CaseProfile.objects.all()),
        "case_history": CaseProfile.history.count(),
        "snapshots": sorted(s.knowledge_base_version for s in EvaluationSnapshot.objects.all()),
        "rules": sorted((r.slug, r.title, r.version) for r in Rule.objects.all()),
        "rule_history": Rule.history.count(),
        "references": sorted((r.key, r.retracted) for r in Reference.objects.all()),
    }


def test_backup_then_restore_gives_back_cases_snapshots_knowledge_base_and_history(
    tmp_path, trainee, curator
):
    case = case_create(data={**CONTRACT_EXAMPLE, "notes": "teaching case"}, user=trainee)
    snapshot_create(case=case, user=trainee)
    token_client(curator).patch(
        "/api/v1/rules/met-overexpression/",
        {"title": "MET (v2)", "version": 1, "change_reason": "test edit"},
        format="json",
    )
    before = _state()
    path = tmp_path / "backup.json"
    call_command("backup", str(path))

    CaseProfile.objects.all().delete()
    Rule.objects.filter(slug="met-overexpression").update(title="lost")
    call_command("restore", str(path), no_input=True)

    assert _state() == before
    from django.contrib.auth.models import Group, User

    assert User.objects.get(username="trainee1").groups.filter(name="trainee").exists()
    assert Group.objects.get(name="curator").permissions.filter(codename="change_rule").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates PostgreSQL backends")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_going_away_answers_503_and_the_site_recovers(client, trainee):
    import psycopg
    from django.conf import settings

    client.force_login(trainee)
    assert client.get("/api/v1/markers/").status_code == 200
    pid = connection.connection.info.backend_pid
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    response = client.get("/api/v1/markers/")
    assert response.status_code == 503
    assert "database is unavailable" in response.json()["detail"]
    assert client.get("/api/v1/markers/").status_code == 200


def _corrected_case(trainee):
    case = case_create(data={**CONTRACT_EXAMPLE, "notes": "first, wrong note"}, user=trainee)
    corrected = {**case.as_profile(), "notes": "corrected note"}
    case_update(case=case, data=corrected, expected_version=1)
    return case


def test_a_default_backup_restores_the_corrected_note_and_not_the_earlier_one(tmp_path, trainee):
    case = _corrected_case(trainee)
    path = tmp_path / "backup.json"
    call_command("backup", str(path))
    assert "first, wrong note" not in path.read_text()
    call_command("restore", str(path), no_input=True)
    restored = CaseProfile.objects.get(code=case.code)
    assert restored.notes == "corrected note"
    assert "first, wrong note" not in restored.history.values_list("notes", flat=True)
    assert restored.history.count() == 2


def test_a_backup_keeps_notes_history_only_when_asked_and_the_live_note_stays_corrected(
    tmp_path, trainee, settings
):
    settings.BACKUP_NOTES_HISTORY = True
    case = _corrected_case(trainee)
    path = tmp_path / "backup.json"
    call_command("backup", str(path))
    call_command("restore", str(path), no_input=True)
    restored = CaseProfile.objects.get(code=case.code)
    assert restored.notes == "corrected note"
    assert "first, wrong note" in restored.history.values_list("notes", flat=True)
    call_command("backup", str(path), "--no-notes-history")
    assert "first, wrong note" not in path.read_text()
