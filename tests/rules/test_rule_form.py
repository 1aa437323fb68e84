"""The curator's rule form without JSON (issue #13): citations from an autocomplete over the
references, examples as rows of profile facts, fires or silent, and a note."""

import pytest
from django.urls import reverse

from rules.models import Rule
from rules.widgets import profile_parse, profile_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def test_citations_complete_from_the_references(curator_client):
    html = curator_client.get(reverse("admin:rules_rule_add")).content.decode()
    assert 'list="citations-references"' in html
    assert '<datalist id="citations-references">' in html
    assert '<option value="Chaganty2018">' in html


def test_a_rule_opens_with_its_examples_as_rows_and_its_citations_in_boxes(curator_client):
    rule = Rule.objects.get(slug="met-overexpression")
    html = curator_client.get(reverse("admin:rules_rule_change", args=[rule.pk])).content.decode()
    assert f'name="citations_0" value="{rule.citations[0]}"' in html
    first = rule.examples[0]
    assert f'name="examples_0_profile" value="{profile_text(first["profile"])}"' in html
    assert 'name="examples_0_fires"' in html and "stays silent" in html


def test_a_malformed_example_row_is_refused_naming_the_row(curator_client):
    from tests.rules.test_curation import _form

    data = _form()
    data["examples_0_profile"] = "pik3ca mutated"
    data["examples_1_fires"] = ""
    response = curator_client.post(reverse("admin:rules_rule_add"), data)
    errors = response.context["adminform"].form.errors["examples"]
    assert "Example 1: 'pik3ca mutated' is not field=value." in errors
    assert "Example 2: say whether the rule fires or stays silent." in errors
    assert not Rule.objects.filter(slug="teaching-draft").exists()


@pytest.mark.parametrize(
    "profile",
    [
        {"pik3ca": "mutated", "markers": {"MUC4": "high", "PD-L1": "positive"}},
        {"prior_therapies": ["trastuzumab", "pertuzumab"], "brain_metastases": True},
        {"her2_positive_fraction": 40, "setting": "early", "trastuzumab_response": "responding"},
    ],
)
def test_an_example_profile_reads_back_as_written(profile):
    assert profile_parse(profile_text(profile)) == profile
