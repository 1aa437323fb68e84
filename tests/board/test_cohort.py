"""Cohorts: import (CSV and Excel), export round trip, evaluate_cohort and the dashboard."""

import io

import pandas as pd
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.cohort import cohort_evaluate
from cases import choices
from cases.models import CaseProfile
from cases.profile import profile_clean
from cases.services import case_create
from cases.tabular import frame_clean, frame_from_profiles
from rules.engine import evaluate, facts_build
from rules.knowledge_base import knowledge_base_get
from tests.factories import CONTRACT_EXAMPLE

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "setting,trastuzumab_response,her2_ihc,her2_ish,pik3ca,er,prior_therapies,brain_metastases,MUC4,notes\n"
    "metastatic,acquired_resistance,3+,not_done,mutated,positive,trastuzumab;pertuzumab,false,high,\n"
    "early,naive,1+,,unknown,negative,,,,progressed after 14 months\n"
    "metastatic,naive,0,,,,,,,\n"
)
BAD_CSV = (
    "setting,trastuzumab_response,her2_ihc,MUC4,notes,patient_name\n"
    "metastatic,acquired_resistance,3+,high,,x\n"
    "adjuvant,naive,4+,positive,Mrs. Kowalska,\n"
)


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_good_csv_imports_every_row_with_history_and_an_audit_line(tmp_path, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="her2board.audit"):
        call_command("import_cases", str(_write(tmp_path, "good.csv", GOOD_CSV)))
    assert "import model=cases.caseprofile rows=3" in caplog.text
    assert CaseProfile.history.count() == 3
    cases = {c.her2_status: c for c in CaseProfile.objects.all()}
    assert set(cases) == {"positive", "low", "zero"}
    assert cases["positive"].prior_therapies == ["trastuzumab", "pertuzumab"]
    assert cases["positive"].markers == {"MUC4": "high"}
    assert cases["low"].notes == "progressed after 14 months"


def test_a_good_excel_file_imports_every_row(tmp_path):
    path = tmp_path / "good.xlsx"
    pd.read_csv(io.StringIO(GOOD_CSV), dtype=str, keep_default_na=False).to_excel(path, index=False)
    call_command("import_cases", str(path))
    assert CaseProfile.objects.count() == 3


def test_a_file_with_any_bad_row_stores_nothing_and_reports_every_problem(tmp_path, capsys):
    with pytest.raises(CommandError) as info:
        call_command("import_cases", str(_write(tmp_path, "bad.csv", BAD_CSV)))
    assert "nothing was imported" in str(info.value)
    report = capsys.readouterr().err
    assert "header, column patient_name" in report
    assert "row 3, column setting (value 'adjuvant')" in report and "residual_disease" in report
    assert "row 3, column her2_ihc (value '4+')" in report
    assert "row 3, column MUC4 (value 'positive'): Marker MUC4 accepts: high, normal, low" in report
    assert "row 3, column notes: " in report and "Kowalska" not in report
    assert CaseProfile.objects.count() == 0


def test_an_exported_file_imports_back_to_the_same_profiles(tmp_path, trainee):
    originals = [
        case_create(data=CONTRACT_EXAMPLE, user=trainee),
        case_create(
            data={**CONTRACT_EXAMPLE, "her2_ihc": "1+", "age_band": None, "notes": "after 3 cycles",
                  "her2_positive_fraction": 40, "brain_metastases": True, "prior_therapies": []},
            user=trainee,
        ),
    ]  # fmt: skip
    for suffix in ("csv", "xlsx"):
        path = tmp_path / f"export.{suffix}"
        call_command("export_cases", str(path))
        exported = {c.as_profile()["notes"]: c.as_profile() for c in originals}
        CaseProfile.objects.all().delete()
        call_command("import_cases", str(path))
        reimported = {c.as_profile()["notes"]: c.as_profile() for c in CaseProfile.objects.all()}
        assert reimported == exported
        originals = list(CaseProfile.objects.all())


def test_the_export_carries_the_current_evaluation(tmp_path, trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    path = tmp_path / "export.csv"
    call_command("export_cases", str(path))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert frame.loc[0, "case.code"] == case.code
    assert "pi3k-inhibitor-with-trastuzumab" in frame.loc[0, "evaluation.rule_slugs"].split(";")
    assert frame.loc[0, "evaluation.knowledge_base_version"] == knowledge_base_get().version


def test_evaluate_cohort_writes_one_row_per_input_row_in_order(tmp_path, capsys):
    out = tmp_path / "out.csv"
    call_command("evaluate_cohort", str(_write(tmp_path, "in.csv", GOOD_CSV)), output=str(out))
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(result.columns) == ["row", "her2_status", "rules"]
    assert list(result["row"]) == ["1", "2", "3"]
    assert list(result["her2_status"]) == ["positive", "low", "zero"]
    assert result.loc[2, "rules"] == "scope-her2-zero"
    fired = result.loc[0, "rules"].split(";")
    assert fired == sorted(fired) and "muc4-epitope-masking" in fired
    assert "3 profile(s) evaluated" in capsys.readouterr().out
    assert CaseProfile.objects.count() == 0


def test_evaluate_cohort_reports_a_bad_row_like_an_import(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command(
            "evaluate_cohort",
            str(_write(tmp_path, "bad.csv", BAD_CSV)),
            output=str(tmp_path / "o.csv"),
        )
    assert "row 3, column her2_ihc (value '4+')" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


KB_SCALES = None


def _profiles():
    marker_codes = [
        "MUC4",
        "p95HER2",
        "PD-L1",
        "HSP90",
        "FABP7",
        "GSE1",
        "CD55",
        "P27",
        "AGAP2_AS1",
    ]
    scales = {"MUC4": ("high", "normal", "low"), "p95HER2": ("positive", "negative"),
              "PD-L1": ("positive", "negative")}  # fmt: skip
    level = ("high", "normal", "low")

    def choice(values):
        return st.sampled_from(list(values))

    return st.fixed_dictionaries(
        {
            "tumour_site": choice(choices.TumourSite.values),
            "setting": choice(choices.Setting.values),
            "age_band": st.one_of(st.none(), choice(choices.AgeBand.values)),
            "trastuzumab_response": choice(choices.TrastuzumabResponse.values),
            "prior_therapies": st.lists(choice(choices.Therapy.values), unique=True, max_size=4),
            "brain_metastases": st.booleans(),
            "her2_ihc": choice(choices.Her2Ihc.values),
            "her2_ish": choice(choices.Her2Ish.values),
            "her2_heterogeneity": choice(choices.Her2Heterogeneity.values),
            "her2_positive_fraction": st.one_of(st.none(), st.integers(0, 100)),
            "er": choice(choices.ReceptorStatus.values),
            "pr": choice(choices.ReceptorStatus.values),
            "pik3ca": choice(choices.Pik3ca.values),
            "pten": choice(choices.Pten.values),
            "markers": st.dictionaries(
                choice(marker_codes),
                st.sampled_from(level),
                max_size=5,
            ).map(lambda m: {k: (v if k not in scales else scales[k][0]) for k, v in m.items()}),
        }
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_profiles(), min_size=1, max_size=40))
def test_cohort_evaluation_equals_evaluating_each_profile_alone(profiles):
    kb = knowledge_base_get()
    clean_profiles = [profile_clean(data=p, marker_scales=kb.marker_scales) for p in profiles]
    frame = frame_from_profiles(clean_profiles, marker_codes=sorted(kb.marker_scales))
    clean, errors = frame_clean(frame, marker_scales=kb.marker_scales)
    assert not errors
    result = cohort_evaluate(clean, knowledge_base=kb)
    for position, profile in enumerate(clean_profiles):
        alone = evaluate(
            facts_build(profile, vocabulary=kb.vocabulary), kb.ruleset, vocabulary=kb.vocabulary
        )
        assert result.loc[position, "her2_status"] == alone.her2_status
        assert result.loc[position, "rules"] == ";".join(sorted(m.rule.slug for m in alone.matches))


def test_the_dashboard_counts_stored_cases_and_filters(client, trainee):
    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    case_create(data={**CONTRACT_EXAMPLE, "setting": "early", "her2_ihc": "1+"}, user=trainee)
    client.force_login(trainee)
    board = client.get("/cohort/").context["dashboard"]
    assert board["total"] == 2
    assert dict((k, n) for k, n, _ in board["her2_status"]) == {"HER2-positive": 1, "HER2-low": 1}
    mechanisms = {k: n for k, n, _ in board["mechanism"]}
    assert mechanisms["MUC4 masking of the trastuzumab epitope"] == 1
    assert ("MUC4", 2, 0, 100) in board["markers"]
    assert client.get("/cohort/", {"setting": "early"}).context["dashboard"]["total"] == 1
    page = client.get("/cohort/").content.decode()
    assert 'class="bar"' in page and "By strategy" in page


def test_the_dashboard_of_an_uploaded_file_stores_nothing(client, trainee):
    client.force_login(trainee)
    upload = SimpleUploadedFile("cohort.csv", GOOD_CSV.encode(), content_type="text/csv")
    response = client.post("/cohort/", {"file": upload, "action": "dashboard"})
    assert response.context["dashboard"]["total"] == 3
    assert "uploaded file cohort.csv" in response.content.decode()
    assert CaseProfile.objects.count() == 0


def test_uploading_a_bad_file_shows_the_report_and_stores_nothing(client, trainee):
    client.force_login(trainee)
    upload = SimpleUploadedFile("bad.csv", BAD_CSV.encode(), content_type="text/csv")
    response = client.post("/cohort/", {"file": upload, "action": "import"})
    page = response.content.decode()
    assert "nothing was stored" in page
    assert "Kowalska" not in page
    assert {(e["row"], e["column"]) for e in response.context["report"]} >= {
        (3, "her2_ihc"),
        (None, "patient_name"),
    }
    assert CaseProfile.objects.count() == 0


def test_importing_through_the_web_needs_the_add_permission(client):
    reader = User.objects.create_user("reader", password="a-long-test-password-1")
    from django.contrib.auth.models import Permission

    reader.user_permissions.add(Permission.objects.get(codename="view_caseprofile"))
    client.force_login(reader)
    upload = SimpleUploadedFile("good.csv", GOOD_CSV.encode(), content_type="text/csv")
    assert client.post("/cohort/", {"file": upload, "action": "import"}).status_code == 403
    assert CaseProfile.objects.count() == 0


def test_a_trainee_imports_through_the_web(client, trainee):
    client.force_login(trainee)
    upload = SimpleUploadedFile("good.csv", GOOD_CSV.encode(), content_type="text/csv")
    assert client.post("/cohort/", {"file": upload, "action": "import"}).status_code == 302
    assert CaseProfile.objects.filter(created_by=trainee).count() == 3


def test_export_downloads_csv_and_excel(client, trainee):
    case_create(data=CONTRACT_EXAMPLE, user=trainee)
    client.force_login(trainee)
    csv = client.get("/cohort/export.csv")
    assert csv["Content-Type"] == "text/csv" and b"evaluation.rule_slugs" in csv.content
    xlsx = client.get("/cohort/export.xlsx")
    assert pd.read_excel(io.BytesIO(xlsx.content)).shape[0] == 1


def test_the_dashboard_needs_a_sign_in(client):
    assert client.get("/cohort/").status_code == 302


def test_an_empty_cohort_shows_an_empty_dashboard(client, trainee):
    client.force_login(trainee)
    board = client.get("/cohort/").context["dashboard"]
    assert board["total"] == 0 and board["her2_status"] == []


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_profiles())
def test_suggested_tests_equal_trying_every_alternative_on_every_rule(profile):
    from rules.engine import UNKNOWN_VALUES, tests_suggest
    from rules.engine.suggest import _unknown_facts, _with

    kb = knowledge_base_get()
    facts = facts_build(
        profile_clean(data=profile, marker_scales=kb.marker_scales), vocabulary=kb.vocabulary
    )

    def fired(f):
        return {rule.slug for rule, _, _ in kb.ruleset.fired(f)}

    expected = {}
    for fact in _unknown_facts(facts, kb.vocabulary):
        for value in kb.vocabulary.values_of(fact) or ():
            if value not in UNKNOWN_VALUES and fired(_with(facts, fact, value)) != fired(facts):
                expected.setdefault(fact, set()).add(value)
    found = tests_suggest(facts, kb.ruleset, vocabulary=kb.vocabulary)
    assert {t.fact: {c["value"] for c in t.changes} for t in found} == expected
