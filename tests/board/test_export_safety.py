"""Exports never carry a live formula (security review M2): CSV and Excel, web and commands."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command

from cases.models import CaseProfile
from cases.services import case_create
from cases.tabular import cell_neutralise, cell_restore
from tests.factories import CONTRACT_EXAMPLE

pytestmark = pytest.mark.django_db

# The red team's payloads that the notes screen lets through (the URL-bearing ones are refused).
FORMULA_NOTES = [
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '="ok"',
    "=1+1",
]
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def formula_cases(trainee):
    return [case_create(data={**CONTRACT_EXAMPLE, "notes": n}, user=trainee) for n in FORMULA_NOTES]


def _csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode())) for cell in row]


def _xlsx_cells(content: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def test_the_csv_export_starts_no_cell_with_a_formula_character(client, trainee, formula_cases):
    client.force_login(trainee)
    cells = _csv_cells(client.get("/cohort/export.csv").content)
    assert not [c for c in cells if c.startswith(DANGEROUS_FIRST)]
    for note in FORMULA_NOTES:
        assert "'" + note in cells


def test_the_excel_export_has_no_formula_cell(client, trainee, formula_cases):
    client.force_login(trainee)
    cells = _xlsx_cells(client.get("/cohort/export.xlsx").content)
    assert [c.value for c in cells if c.data_type == "f"] == []
    values = [c.value for c in cells]
    for note in FORMULA_NOTES:
        assert "'" + note in values


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_export_command_neutralises_and_imports_back_unchanged(tmp_path, suffix, formula_cases):
    path = tmp_path / f"export.{suffix}"
    call_command("export_cases", str(path))
    cells = (
        [c.value or "" for c in _xlsx_cells(path.read_bytes())]
        if suffix == "xlsx"
        else _csv_cells(path.read_bytes())
    )
    assert not [c for c in cells if str(c).startswith(DANGEROUS_FIRST)]
    CaseProfile.objects.all().delete()
    call_command("import_cases", str(path))
    assert sorted(CaseProfile.objects.values_list("notes", flat=True)) == sorted(FORMULA_NOTES)


@pytest.mark.parametrize(
    "text",
    ["=1", "'=1", "''+x", "'plain", "plain", "", "-", "\t=1", "a=b", "'"],
)
def test_a_neutralised_cell_reads_back_as_written(text):
    written = cell_neutralise(text)
    assert not written.startswith(DANGEROUS_FIRST)
    assert cell_restore(written) == text
