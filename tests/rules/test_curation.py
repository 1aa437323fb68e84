"""Curators keep the knowledge base in the admin: checks, drafts, publishing and history."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.services import case_create
from rules.models import Mechanism, Rule, Strategy
from rules.reviews import changes_pending
from tests.factories import rule_rows, user_create

pytestmark = pytest.mark.django_db

GOOD_EXAMPLES = [
    {"profile": {"markers": {"PD-L1": "positive"}, "pik3ca": "mutated"}, "fires": True},
    {"profile": {"markers": {"PD-L1": "negative"}}, "fires": False},
]


PD_L1_QUOTE = (
    "Combining trastuzumab with PD-1/PD-L1 inhibitors is a promising therapeutic strategy for the "
    "treatment of patients with HER2-positive breast cancer (Zhao et al., 2024)."
)


def _form(citations=("Chaganty2018",), examples=GOOD_EXAMPLES, **overrides):
    data = {
        "slug": "teaching-draft",
        "title": "Teaching draft",
        "status": "draft",
        "kind": "strategy",
        "mechanism": Mechanism.objects.get(slug="immune-regulation").pk,
        "strategy": Strategy.objects.get(slug="pd1-pdl1-trastuzumab").pk,
        "evidence_level": "preclinical_in_vitro",
        "condition": 'her2_status == "positive" and markers["PD-L1"] == "positive"',
        "rationale": "Paraphrase of the review.",
        "provenance": PD_L1_QUOTE,
        "change_reason": "A teaching draft for the curation tests.",
    }
    data.update(rule_rows(citations=citations, examples=examples))
    data.update(overrides)
    return data


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def test_a_curator_adds_a_draft_rule(curator_client):
    response = curator_client.post(reverse("admin:rules_rule_add"), _form())
    assert response.status_code == 302
    rule = Rule.objects.get(slug="teaching-draft")
    assert rule.status == "draft"
    assert rule.history.get().history_user.username == "curator1"


def test_a_trainee_cannot_reach_curation(client, trainee):
    client.force_login(trainee)
    response = client.get(reverse("admin:rules_rule_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_staff_member_outside_the_curator_group_cannot_change_rules(client, trainee):
    trainee.is_staff = True
    trainee.save()
    client.force_login(trainee)
    assert client.get(reverse("admin:rules_rule_add")).status_code == 403


def _errors(response):
    return response.context["adminform"].form.errors


def test_a_misspelt_value_is_refused_beside_the_condition(curator_client):
    response = curator_client.post(
        reverse("admin:rules_rule_add"), _form(condition='pik3ca == "mutatd"')
    )
    assert response.status_code == 200
    assert '"mutatd" is not a value of pik3ca' in _errors(response)["condition"][0]
    assert not Rule.objects.filter(slug="teaching-draft").exists()


def test_an_unknown_name_gets_the_nearest_suggestion(curator_client):
    response = curator_client.post(
        reverse("admin:rules_rule_add"), _form(condition='pik3ka == "mutated"')
    )
    assert 'Did you mean "pik3ca"?' in _errors(response)["condition"][0]


def test_saving_a_rule_whose_examples_fail_lists_the_failing_examples(curator_client):
    examples = [
        *GOOD_EXAMPLES,
        {"profile": {"markers": {"PD-L1": "positive"}}, "fires": False, "note": "wrong"},
    ]
    response = curator_client.post(reverse("admin:rules_rule_add"), _form(examples=examples))
    assert response.status_code == 200
    assert _errors(response)["examples"] == [
        "Example 3 (wrong) should not fire, but the rule fires."
    ]
    assert not Rule.objects.filter(slug="teaching-draft").exists()


def test_an_unknown_citation_is_refused(curator_client):
    response = curator_client.post(reverse("admin:rules_rule_add"), _form(citations=["Nobody2099"]))
    assert "Unknown reference keys: Nobody2099" in _errors(response)["citations"][0]


def test_a_draft_fires_only_after_it_is_published(curator_client, trainee, profile):
    curator_client.post(reverse("admin:rules_rule_add"), _form())
    rule = Rule.objects.get(slug="teaching-draft")
    profile["markers"] = {"PD-L1": "positive"}

    def fired(client):
        body = client.post("/api/v1/evaluate/", profile, content_type="application/json").json()
        return "teaching-draft" in [r["rule"] for r in body["recommendations"]]

    assert not fired(curator_client)
    curator_client.post(
        reverse("admin:rules_rule_changelist"),
        {"action": "publish", "_selected_action": [rule.pk]},
    )
    rule.refresh_from_db()
    assert rule.status == "published"
    assert not fired(curator_client)  # users see it once a release is published
    review = reverse("admin:rules_release_review")
    (pending,) = [c for c in changes_pending() if c.key == "teaching-draft"]
    decide = {"section": "rules", "key": "teaching-draft", "decision": "approve",
              "revision": pending.history_id}  # fmt: skip
    own = curator_client.post(review, decide, follow=True).content.decode()
    assert "another curator must approve it" in own
    second = Client()
    second.force_login(user_create("curator2", "curator", is_staff=True))
    page = second.get(review).content.decode()
    assert "Rule teaching-draft — added" in page and "<ins>" in page  # the diff
    assert (
        "Approved rules teaching-draft" in second.post(review, decide, follow=True).content.decode()
    )
    response = curator_client.post(
        reverse("admin:rules_release_add"), {"name": "2099.1"}, follow=True
    )
    assert "Published release 2099.1" in response.content.decode()
    assert fired(curator_client)


def test_publishing_a_rule_without_both_kinds_of_example_is_refused(curator_client):
    curator_client.post(reverse("admin:rules_rule_add"), _form(examples=GOOD_EXAMPLES[:1]))
    rule = Rule.objects.get(slug="teaching-draft")
    response = curator_client.post(
        reverse("admin:rules_rule_changelist"),
        {"action": "publish", "_selected_action": [rule.pk]},
        follow=True,
    )
    rule.refresh_from_db()
    assert rule.status == "draft"
    assert "at least one example where it fires" in response.content.decode()


def test_a_curator_previews_a_draft_against_a_stored_case(curator_client, profile):
    curator_client.post(reverse("admin:rules_rule_add"), _form())
    rule = Rule.objects.get(slug="teaching-draft")
    case = case_create(data={**profile, "markers": {"PD-L1": "positive"}})
    response = curator_client.get(
        reverse("admin:rules_rule_preview", args=[rule.pk]), {"case": case.code}
    )
    assert response.status_code == 200
    assert response.context["preview"]["case"]["fired"] is True
    assert [r.problem for r in response.context["preview"]["examples"]] == [None, None]


def test_changes_are_kept_with_who_and_when_and_can_be_reverted(curator_client):
    rule = Rule.objects.get(slug="met-overexpression")
    original = rule.title
    data = _form(
        slug=rule.slug,
        title="MET receptor expression (edited)",
        status=rule.status,
        kind=rule.kind,
        mechanism=rule.mechanism_id,
        strategy="",
        evidence_level=rule.evidence_level,
        condition=rule.condition,
        rationale=rule.rationale,
        provenance="\n\n".join(item["quote"] for item in rule.provenance),
        citations=rule.citations,
        examples=rule.examples,
    )
    assert (
        curator_client.post(reverse("admin:rules_rule_change", args=[rule.pk]), data).status_code
        == 302
    )

    latest = rule.history.first()
    assert latest.history_user.username == "curator1"
    assert latest.title == "MET receptor expression (edited)"
    history_page = curator_client.get(reverse("admin:rules_rule_history", args=[rule.pk]))
    assert "MET receptor expression (edited)" in history_page.content.decode()

    edits = rule.history.count()
    before_edit = rule.history.all()[1]
    revert_url = reverse("admin:rules_rule_simple_history", args=[rule.pk, before_edit.history_id])
    revert_form = curator_client.get(revert_url).context["adminform"].form
    stored = Rule.objects.get(pk=rule.pk).version
    assert revert_form["version"].initial == stored  # based on what is stored now
    response = curator_client.post(revert_url, {**data, "title": original, "version": stored})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.title == original
    assert rule.history.count() == edits + 1


def test_a_reference_shows_its_caveats_and_links_to_curators(curator_client):
    from rules.models import Reference

    han = Reference.objects.get(key="Han2021")
    page = curator_client.get(
        reverse("admin:rules_reference_change", args=[han.pk])
    ).content.decode()
    assert "RETRACTED" in page
    assert "https://pubmed.ncbi.nlm.nih.gov/33273726/" in page
    assert "agap2-as1-stemness" in page
