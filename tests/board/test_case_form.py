"""The case form (issue #15): every problem in one pass, a linked summary, help and error
texts tied to their fields, stored markers never hidden."""

import re

import pytest

from cases.models import CaseProfile
from cases.services import case_create
from tests.factories import CONTRACT_EXAMPLE, form_data

pytestmark = pytest.mark.django_db


def _ids_and_references(html: str) -> tuple[set[str], list[str]]:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    references = [
        ref for group in re.findall(r'aria-describedby="([^"]+)"', html) for ref in group.split()
    ]
    return ids, references


def test_every_aria_describedby_points_to_a_text_on_the_page(client, trainee):
    client.force_login(trainee)
    for html in (
        client.get("/cases/new/").content.decode(),
        client.post("/cases/new/", {"her2_positive_fraction": "140"}).content.decode(),
    ):
        ids, references = _ids_and_references(html)
        assert references, "fields are described"
        assert [r for r in references if r not in ids] == []


def test_every_problem_comes_back_in_one_pass_with_a_linked_summary(client, trainee):
    client.force_login(trainee)
    data = {
        **form_data(CONTRACT_EXAMPLE),
        "her2_positive_fraction": "140",
        "notes": "seen by Dr Petrenko",
        "setting": "",
    }
    response = client.post("/cases/new/", data)
    errors = response.context["form"].errors
    assert {"her2_positive_fraction", "notes", "setting"} <= set(errors)
    html = response.content.decode()
    summary = html[
        html.index('class="error-summary"') : html.index(
            "</div>", html.index('class="error-summary"')
        )
    ]
    assert "autofocus" in summary and 'role="alert"' in summary
    assert 'href="#id_her2_positive_fraction"' in summary and 'href="#id_notes"' in summary
    assert "<title>Error: New case" in html
    assert "Petrenko" not in summary
    assert CaseProfile.objects.count() == 0


def test_required_fields_start_blank_and_say_so(client, trainee):
    client.force_login(trainee)
    html = client.get("/cases/new/").content.decode()
    for name in ("setting", "trastuzumab_response", "her2_ihc"):
        select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
        first = re.search(r"<option[^>]*>([^<]*)</option>", select)
        assert first.group(1) == "Choose…"
        assert "selected" not in first.group(0) or 'value=""' in first.group(0)
    assert html.count("(required)") >= 3


def test_marker_groups_holding_values_stay_open_and_count_them(client, trainee):
    case = case_create(
        data={**CONTRACT_EXAMPLE, "markers": {"MUC4": "high", "p95HER2": "positive"}},
        user=trainee,
    )
    client.force_login(trainee)
    html = client.get(f"/cases/{case.code}/edit/").content.decode()
    opened = re.findall(r"<details open>\s*<summary>([^<]*)</summary>", html)
    assert sum(int(m) for label in opened for m in re.findall(r"\((\d+) set\)", label)) == 2


def test_without_javascript_the_her2_box_says_it_is_derived_on_save(client, trainee):
    client.force_login(trainee)
    assert (
        "derived from IHC and ISH when the case is saved"
        in client.get("/cases/new/").content.decode()
    )
