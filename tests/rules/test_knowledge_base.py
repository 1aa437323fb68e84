"""The review's knowledge base as a fresh `migrate` leaves it, and its file round trip."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from rules.curation import rule_validate
from rules.evaluation import profile_evaluate
from rules.knowledge_base import knowledge_base_get
from rules.knowledge_base_file import knowledge_base_read, knowledge_base_write
from rules.models import Mechanism, Reference, Rule, Strategy

pytestmark = pytest.mark.django_db

KB_FILE = knowledge_base_read()
RULE_SLUGS = [rule["slug"] for rule in KB_FILE["rules"]]

REVIEW_MECHANISMS = {
    "mechanisms-of-action",
    "vasculogenic-mimicry-hypoxia",
    "breast-cancer-stem-cells",
    "alternative-signalling",
    "metabolic-changes",
    "her2-variants",
    "immune-regulation",
    "her2-heterogeneity",
    "her2-stability-hsp90",
    "muc4-masking",
    "antibody-drug-conjugates",
}


def test_a_fresh_migrate_holds_the_published_knowledge_base():
    assert Rule.objects.filter(status="published").count() >= 35
    assert set(Mechanism.objects.values_list("slug", flat=True)) >= REVIEW_MECHANISMS
    assert Reference.objects.count() == 96  # the review's 95, and the review itself
    assert (
        Strategy.objects.filter(
            slug__in=["alpelisib-trastuzumab", "hsp90-inhibition", "t-dxd"]
        ).count()
        == 3
    )


def test_every_mechanism_of_the_review_has_published_rules():
    used = set(Rule.objects.filter(status="published").values_list("mechanism__slug", flat=True))
    assert used >= REVIEW_MECHANISMS


@pytest.mark.parametrize("slug", RULE_SLUGS)
def test_every_rule_passes_its_checks_and_stored_examples(slug):
    rule = Rule.objects.get(slug=slug)
    rule_validate(rule=rule)
    outcomes = {example["fires"] for example in rule.examples}
    if rule.kind == "background":
        assert (rule.condition, outcomes) == ("", set())  # never evaluated, so never fires
    else:
        assert outcomes == {True, False}


def test_every_citation_is_a_reference_of_the_review_and_every_non_scope_rule_cites():
    keys = set(Reference.objects.values_list("key", flat=True))
    for rule in Rule.objects.all():
        assert set(rule.citations) <= keys, rule.slug
        # A claim not encoded may rest on no listed source (the reason says so).
        assert rule.citations or rule.kind == "scope" or rule.status == "not_encoded", rule.slug


def test_rules_cite_what_the_review_cites_for_each_claim():
    assert Rule.objects.get(slug="pi3k-inhibitor-with-trastuzumab").citations[0] == "Cataldo2023"
    assert Rule.objects.get(slug="t-dxd-her2-low").citations == ["Modi2022"]
    assert Rule.objects.get(slug="t-dxd-her2-positive-after-resistance").citations == ["Lee2022"]


def test_no_published_rule_rests_only_on_a_retracted_source(profile):
    retracted = set(Reference.objects.filter(retracted=True).values_list("key", flat=True))
    assert "Han2021" in retracted
    for rule in Rule.objects.filter(status="published"):
        assert not rule.citations or set(rule.citations) - retracted, rule.slug
    payload = profile_evaluate(
        profile={**profile, "notes": "", "her2_positive_fraction": None,
                 "markers": {"AGAP2_AS1": "high"}}
    )  # fmt: skip
    assert not [r for r in payload["recommendations"] if r["cites_retracted_source"]]


def test_content_mismatches_are_caveats_and_citation_slips_are_notes_for_curators():
    for key in ("Salvestrini2023", "Willert2006", "Yan2022", "Sakai2023", "Pegram2023"):
        assert Reference.objects.get(key=key).caveats[0].startswith("Content mismatch")
    assert "Baselga" in Reference.objects.get(key="Debbi2023").citation_notes
    assert Reference.objects.get(key="Debbi2023").caveats == []
    assert "et al." in Reference.objects.get(key="Dogan2018").citation_notes


def test_references_link_to_doi_and_pubmed_where_known():
    cataldo = Reference.objects.get(key="Cataldo2023")
    assert cataldo.doi_url == "https://doi.org/10.3389/fonc.2023.1108242"
    assert Reference.objects.get(key="Han2021").pubmed_url.endswith("/33273726/")
    assert Reference.objects.get(key="Akter2024").doi_url == ""


def test_the_version_changes_with_published_content_but_not_with_drafts():
    before = knowledge_base_get().version
    draft = Rule.objects.get(slug="met-overexpression")
    Rule.objects.filter(pk=draft.pk).update(status="draft")
    without_met = knowledge_base_get().version
    assert without_met != before
    Rule.objects.filter(pk=draft.pk).update(rationale="changed while a draft")
    assert knowledge_base_get().version == without_met
    Reference.objects.filter(key="Cataldo2023").update(title="A corrected title")
    assert knowledge_base_get().version != without_met


def test_export_then_import_restores_what_curators_changed(tmp_path):
    path = tmp_path / "kb.yaml"
    call_command("export_knowledge_base", str(path))
    exported = knowledge_base_read(path)
    assert {r["slug"] for r in exported["rules"]} == set(RULE_SLUGS)

    title = Rule.objects.get(slug="vasculogenic-mimicry").title
    Rule.objects.filter(slug="vasculogenic-mimicry").update(title="Edited by mistake")
    call_command("import_knowledge_base", str(path))
    assert Rule.objects.get(slug="vasculogenic-mimicry").title == title


def test_importing_a_file_with_a_bad_rule_stores_nothing(tmp_path):
    data = knowledge_base_read()
    data["rules"][0]["title"] = "Changed title"
    data["rules"][1]["condition"] = 'pik3ca == "mutatd"'
    path = tmp_path / "bad.yaml"
    knowledge_base_write(data, path)
    with pytest.raises(CommandError) as info:
        call_command("import_knowledge_base", str(path))
    assert data["rules"][1]["slug"] in str(info.value)
    assert Rule.objects.get(slug=data["rules"][0]["slug"]).title != "Changed title"


def test_a_rule_without_firing_examples_cannot_be_published():
    rule = Rule.objects.get(slug="met-overexpression")
    rule.examples = [e for e in rule.examples if not e["fires"]]
    with pytest.raises(ValidationError) as info:
        rule_validate(rule=rule)
    assert "at least one example where it fires" in str(info.value)


def test_the_live_file_is_what_the_newest_knowledge_base_migration_loads():
    # A YAML edit reaches databases that already migrated only through a new migration
    # (with its own frozen copy) or `import_knowledge_base`: editing the file alone fails here.
    from pathlib import Path

    import rules.migrations
    from rules.knowledge_base_file import KNOWLEDGE_BASE_FILE

    # The knowledge-base files migrations froze (0019's translation draft is not one).
    folder = Path(rules.migrations.__file__).parent / "knowledge_base"
    frozen = sorted(folder.glob("*_review*.yaml"))
    newest = knowledge_base_read(frozen[-1])
    live = knowledge_base_read(KNOWLEDGE_BASE_FILE)
    for section in ("references", "mechanisms", "strategies", "rules"):
        assert newest[section] == live[section], section


def test_the_database_holds_exactly_the_live_file_after_migrate():
    live = knowledge_base_read()
    stored = {r.slug: (r.title, r.condition, r.status) for r in Rule.objects.all()}
    assert stored == {r["slug"]: (r["title"], r["condition"], r["status"]) for r in live["rules"]}


def test_a_file_of_the_first_format_reads_into_the_current_one():
    from pathlib import Path

    import rules.migrations

    first = Path(rules.migrations.__file__).parent / "knowledge_base" / "0002_review.yaml"
    data = knowledge_base_read(first)
    debbi = next(r for r in data["references"] if r["key"] == "Debbi2023")
    assert "Baselga" in debbi["citation_notes"] and debbi["caveats"] == []


def test_a_background_statement_takes_no_condition_and_never_fires(profile):
    rule = Rule.objects.get(slug="parp-akt-with-trastuzumab")
    assert rule.kind == "background" and rule.status == "published"
    rule.condition = 'pik3ca == "mutated"'
    with pytest.raises(ValidationError) as info:
        rule_validate(rule=rule)
    assert "no condition" in str(info.value)
    payload = profile_evaluate(profile={**profile, "notes": "", "her2_positive_fraction": None})
    assert "parp-akt-with-trastuzumab" not in [r["rule"] for r in payload["recommendations"]]
