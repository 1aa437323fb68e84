"""Knowledge base v3 (issue #30) as users meet it: every item quotes the review's own
sentences; research strategies are research leads in curative-intent settings; the trials'
populations hold (KATHERINE, the first line); therapies already given say so; tests are
standard or research; contradictory profiles are flagged; what is not encoded is listed."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from board.cds.service import cds_cards_build
from cases.warnings import profile_warnings
from rules.knowledge_base_file import knowledge_base_read
from rules.models import Release, Rule
from rules.releases import release_changelog
from rules.reviews import changes_pending
from tests.factories import contract_example, form_data, rule_rows, token_client

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[1] / "data" / "shared" / "seeds"
KB = knowledge_base_read()
RESEARCH = {"preclinical_in_vivo", "preclinical_in_vitro", "preclinical", "review_statement"}


def _body_paragraphs() -> list[str]:
    """The review's body paragraphs, read here independently of rules.review_text."""
    (text,) = [p.read_text(encoding="utf-8") for p in SEED.glob("*.txt")]
    body = text[text.index("### Introduction") : text.index("### References")]
    blocks = [b for b in re.split(r"\n\s*\n", body) if b.strip() and not b.startswith("#")]
    return [" ".join(b.split()) for b in blocks]


@pytest.fixture
def api(trainee):
    return token_client(trainee)


def _evaluate(api, **changes) -> dict:
    response = api.post("/api/v1/evaluate/", contract_example(**changes), format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def _slugs(items: list[dict]) -> list[str]:
    return [item["rule"] for item in items]


# Provenance ------------------------------------------------------------------------------


def test_the_apps_copy_of_the_review_is_the_shared_one():
    (seed,) = SEED.glob("*.txt")
    app_copy = Path(__file__).resolve().parents[2] / "rules" / "knowledge_base" / "review.md"
    assert app_copy.read_bytes() == seed.read_bytes()


def test_every_published_item_quotes_whole_sentences_of_the_review_at_their_paragraph():
    paragraphs = _body_paragraphs()
    text = " ".join(paragraphs)
    quoted = [r for r in KB["rules"] if r["status"] in ("published", "not_encoded")]
    assert len(quoted) >= 70
    for rule in quoted:
        if rule["kind"] != "scope":
            assert rule["provenance"], rule["slug"]
        for item in rule["provenance"]:
            quote = " ".join(item["quote"].split())
            at = text.index(quote)  # raises when it is not in the review
            assert at == 0 or text[at - 2 : at] == ". " or text[at - 1] == " ", rule["slug"]
            assert quote.endswith((".", "?", "!")), rule["slug"]
            starts = [sum(len(p) + 1 for p in paragraphs[:n]) for n in range(len(paragraphs))]
            paragraph = max(n for n, start in enumerate(starts, start=1) if start <= at)
            assert item["paragraph"] == paragraph, rule["slug"]


def test_every_suggestion_in_the_payload_carries_the_reviews_words(api):
    payload = _evaluate(api, setting="residual_disease", trastuzumab_response="primary_resistance",
                        markers={"PD-L1": "positive", "MUC4": "high", "HSP90": "high"})  # fmt: skip
    items = payload["recommendations"] + payload["research_leads"]
    assert items
    for item in items:
        if item["kind"] != "scope":
            assert item["provenance"] and all(
                set(p) == {"quote", "paragraph"} for p in item["provenance"]
            )


def _rule_form(rule: Rule, **overrides) -> dict:
    data = {
        "slug": rule.slug, "title": rule.title, "status": rule.status, "kind": rule.kind,
        "mechanism": rule.mechanism_id, "strategy": rule.strategy_id or "",
        "evidence_level": rule.evidence_level, "condition": rule.condition,
        "rationale": rule.rationale, "version": rule.version,
        "provenance": "\n\n".join(p["quote"] for p in rule.provenance),
        "change_reason": "Quote checked.",
    }  # fmt: skip
    data.update(rule_rows(citations=rule.citations, examples=rule.examples))
    data.update(overrides)
    return data


def test_the_admin_refuses_a_quote_the_review_does_not_contain_and_stores_its_paragraph(
    client, curator
):
    client.force_login(curator)
    rule = Rule.objects.get(slug="met-overexpression")
    url = reverse("admin:rules_rule_change", args=[rule.pk])
    invented = "MET inhibitors overcome resistance to trastuzumab in patients."
    refused = client.post(url, _rule_form(rule, provenance=invented))
    assert refused.status_code == 200
    assert "not found in the review" in str(refused.context["adminform"].form.errors)
    assert Rule.objects.get(pk=rule.pk).provenance == rule.provenance
    quote = "Targeting EphA2 receptors is currently considered a promising way to overcome\n" \
            "resistance to trastuzumab (Veiga et al., 2024)."  # fmt: skip
    saved = client.post(url, _rule_form(rule, provenance=quote))
    assert saved.status_code == 302
    stored = Rule.objects.get(pk=rule.pk).provenance
    assert stored == [{"quote": " ".join(quote.split()), "paragraph": 35}]
    # The second curator's diff shows the quote change, and the changelog carries it.
    (change,) = [c for c in changes_pending() if c.key == rule.slug]
    assert "provenance" in [name for name, _, _ in change.diff]
    since = Release.objects.newest().published_at
    assert any(
        "The review says: “Targeting EphA2" in line for line in release_changelog(since=since)
    )


# Curative intent -------------------------------------------------------------------------


def test_research_strategies_are_research_leads_in_curative_intent_settings(api):
    markers = {"PD-L1": "positive", "HSP90": "high", "CHI3L1": "high"}
    for setting in ("early", "neoadjuvant", "residual_disease"):
        payload = _evaluate(api, setting=setting, trastuzumab_response="primary_resistance",
                            pik3ca="mutated", markers=markers)  # fmt: skip
        leads = payload["research_leads"]
        assert {"pi3k-inhibitor-with-trastuzumab", "pdl1-checkpoint-combination"} <= set(
            _slugs(leads)
        ), setting
        for item in payload["recommendations"]:
            assert item["kind"] != "strategy" or item["evidence_level"] not in RESEARCH
        assert all(item["kind"] == "strategy" for item in leads)
    metastatic = _evaluate(api, pik3ca="mutated", markers=markers)
    assert metastatic["research_leads"] == []
    assert "pi3k-inhibitor-with-trastuzumab" in _slugs(metastatic["recommendations"])


def test_the_case_page_and_cds_cards_show_research_leads_apart(client, trainee, api):
    from cases.services import case_create

    profile = contract_example(
        setting="residual_disease", trastuzumab_response="primary_resistance"
    )
    case = case_create(data=profile, user=trainee)
    client.force_login(trainee)
    page = client.get(case.get_absolute_url()).content.decode()
    assert '<details class="research-leads">' in page
    assert "not for curative-intent decisions" in page
    # The summary line counts the research leads; it never says nothing matched.
    assert "no rule of the review matched" not in page
    assert re.search(r"\d+ research leads? apart, not for curative-intent decisions", page)
    payload = _evaluate(api, **profile)
    cards = cds_cards_build(payload=payload, hook_instance="test")
    leads = [c for c in cards if c["summary"].startswith("Research lead:")]
    assert len(leads) == len(payload["research_leads"]) > 0
    assert all(c["indicator"] == "info" and "not for curative-intent" in c["detail"] for c in leads)
    assert all("The review says (paragraph" in c["detail"] for c in cards if c not in leads[:0])


# Populations -----------------------------------------------------------------------------


def test_katherines_t_dm1_needs_prior_trastuzumab(api):
    naive = _evaluate(api, setting="residual_disease", trastuzumab_response="naive",
                      prior_therapies=["chemotherapy"])  # fmt: skip
    after = _evaluate(api, setting="residual_disease", trastuzumab_response="responding",
                      prior_therapies=["trastuzumab", "chemotherapy"])  # fmt: skip
    assert "t-dm1-residual-disease" not in _slugs(naive["recommendations"])
    assert "t-dm1-residual-disease" in _slugs(after["recommendations"])


def test_a_line_of_therapy_is_refused_outside_metastatic_disease(api):
    response = api.post("/api/v1/evaluate/", contract_example(setting="early", metastatic_line="2"),
                        format="json")  # fmt: skip
    assert response.status_code == 400
    assert "metastatic_line" in response.content.decode()
    unknown = api.post("/api/v1/evaluate/", contract_example(metastatic_line="4"), format="json")
    assert unknown.status_code == 400 and "1, 2, 3+, unknown" in unknown.content.decode()


def test_the_first_line_claim_follows_the_stated_line_or_a_profile_with_no_earlier_line(api):
    naive = {"trastuzumab_response": "naive", "prior_therapies": [], "er": "positive"}
    first = _evaluate(api, metastatic_line="1", **naive)
    second = _evaluate(api, metastatic_line="2", **naive)
    unstated = _evaluate(api, **naive)
    after_cdk46 = _evaluate(api, **{**naive, "prior_therapies": ["endocrine", "cdk46_inhibitor"]})
    assert "endocrine-plus-anti-her2" in _slugs(first["recommendations"])
    assert not {"endocrine-plus-anti-her2", "endocrine-plus-anti-her2-line-not-stated"} & set(
        _slugs(second["recommendations"]) + _slugs(after_cdk46["recommendations"])
    )
    (said,) = [r for r in unstated["recommendations"] if r["rule"].endswith("line-not-stated")]
    assert said["title"].startswith("Line not stated")


def test_therapies_already_given_are_said_to_be_given_not_offered_as_new(api):
    payload = _evaluate(api, prior_therapies=["trastuzumab", "endocrine", "cdk46_inhibitor"])
    titles = {r["rule"]: r for r in payload["recommendations"]}
    cross_talk = titles["endocrine-cross-talk-resistance"]
    assert cross_talk["title"].startswith("Already given (endocrine therapy):")
    assert cross_talk["already_given"] == ["endocrine"]
    assert titles["cdk46-akt-pi3k-checkpoint-inhibitors"]["title"].startswith(
        "Already given (CDK4/6 inhibitor):"
    )
    fresh = _evaluate(api)
    assert not any(r["title"].startswith("Already given") for r in fresh["recommendations"])


# Honest evidence --------------------------------------------------------------------------


def test_every_title_agrees_with_its_badge():
    for rule in KB["rules"]:
        says_statement = "review statement" in rule["title"].lower()
        if says_statement:
            assert rule["evidence_level"] == "review_statement", rule["slug"]
    levels = {r["slug"]: r["evidence_level"] for r in KB["rules"]}
    assert levels["p95her2-resistance"] == "review_statement"
    assert levels["il6-stat3-jak2-blockade"] == "review_statement"
    assert levels["trastuzumab-with-radiotherapy"] == "review_statement"


def test_the_two_approved_adcs_say_their_order_is_not_a_preference(api):
    payload = _evaluate(api)
    names = ("t-dm1-metastatic-after-trastuzumab", "t-dxd-her2-positive-after-resistance")
    adcs = [r for r in payload["recommendations"] if r["rule"] in names]
    assert len(adcs) == 2
    assert all("the order shown is not a preference" in r["rationale"] for r in adcs)
    # Equal evidence: listed in the order the review discusses them (its paragraphs).
    assert [r["provenance"][0]["paragraph"] for r in adcs] == sorted(
        r["provenance"][0]["paragraph"] for r in adcs
    )


def test_one_hsp90_card_when_both_hsp90_and_p95her2_are_found(api):
    both = _evaluate(api, markers={"HSP90": "high", "p95HER2": "positive"})
    hsp90 = [r for r in both["recommendations"] if r["strategy"] and "HSP90" in r["strategy"]]
    assert len(hsp90) == 1
    p95 = _evaluate(api, markers={"p95HER2": "positive"})
    (card,) = [r for r in p95["recommendations"] if r["rule"] == "p95her2-hsp90-inhibition"]
    assert "geldanamycin" not in card["agents"]


def test_predictive_notes_show_outside_resistance(api):
    markers = {"EPHA5": "low", "CDK12": "high", "IGF1R": "high", "ADRB2": "high"}
    naive = _evaluate(api, trastuzumab_response="naive", prior_therapies=[], markers=markers)
    fired = set(_slugs(naive["recommendations"]))
    assert {"epha5-low-predictor", "cdk12-high-prognosis", "igf1r-high-prognosis",
            "adrb2-high-prognosis"} <= fired  # fmt: skip
    assert not any(r["kind"] == "strategy" and r["evidence_level"] in RESEARCH
                   for r in naive["recommendations"])  # fmt: skip


def test_ultralow_disease_is_outside_the_reviews_scope(api):
    payload = _evaluate(api, her2_ihc=">0<1+", her2_ish="not_amplified")
    assert payload["in_scope"] is False
    assert _slugs(payload["recommendations"]) == ["scope-her2-ultralow"]


# Tests -----------------------------------------------------------------------------------


def test_research_assays_never_appear_among_suggested_tests(api):
    # Only research leads depend on PIK3CA and ER here: they are offered all the same.
    payload = _evaluate(api, setting="residual_disease", trastuzumab_response="primary_resistance",
                        pik3ca="unknown", er="unknown", markers={})  # fmt: skip
    suggested = {t["fact"] for t in payload["suggested_tests"]}
    assert suggested <= {"er", "pr", "her2_ish", "pik3ca", "pten"}
    assert {"er", "pik3ca"} <= suggested | {t["fact"] for t in payload["research_assays"]}
    assert not {"VM", "EGFR", "P27", "CCL5"} & suggested


def test_the_case_page_ranks_a_few_research_assays_and_counts_the_rest(client, trainee):
    from cases.services import case_create

    case = case_create(data=contract_example(markers={}), user=trainee)
    client.force_login(trainee)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Research assays: not clinically validated" in page
    assert re.search(r"<summary>\d+ more research assays?</summary>", page)


# Profile warnings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"trastuzumab_response": "naive"}, ["trastuzumab_response", "prior_therapies"]),
        ({"her2_ihc": "0", "her2_ish": "amplified"}, ["her2_ihc", "her2_ish"]),
        ({"setting": "early", "prior_therapies": ["trastuzumab", "t_dm1"]},
         ["setting", "trastuzumab_response", "prior_therapies"]),
        ({"er": "negative", "pr": "negative",
          "prior_therapies": ["trastuzumab", "endocrine"]}, ["prior_therapies", "er", "pr"]),
        ({"setting": "early", "brain_metastases": True}, ["setting", "brain_metastases"]),
    ],
)  # fmt: skip
def test_contradictory_profiles_are_flagged_without_blocking(api, changes, fields):
    payload = _evaluate(api, **changes)
    assert fields in [w["fields"] for w in payload["profile_warnings"]]
    assert payload["recommendations"] or payload["research_leads"]


def test_the_contract_example_raises_no_warning(api):
    assert _evaluate(api)["profile_warnings"] == []


def test_the_form_saves_a_contradictory_profile_and_says_what_to_check(client, trainee):
    client.force_login(trainee)
    data = form_data(contract_example(trastuzumab_response="naive"))
    response = client.post("/cases/new/", data, follow=True)
    page = response.content.decode()
    assert "saved." in page and "Check the profile:" in page
    assert "trastuzumab is among prior therapies" in page


# What is not encoded ----------------------------------------------------------------------


def test_the_knowledge_browser_lists_what_is_not_encoded_and_why(client, trainee):
    client.force_login(trainee)
    page = client.get("/knowledge/").content.decode()
    assert "What the review says that is not encoded, and why" in page
    section = page[page.index('id="not-encoded"') : page.index('id="marker-assays"')]
    assert "retracted" in section and "AGAP2-AS1" in section
    assert "Salvestrini" in section and "paragraph" in section
    not_encoded = [r for r in KB["rules"] if r["status"] == "not_encoded"]
    assert section.count('<article class="not-encoded"') == len(not_encoded)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"{len(not_encoded)} further claims" in readme


# The audit's style of check: profiles of each kind, what fires and what stays silent ------

PROFILES = {
    "naive early": (
        dict(setting="early", trastuzumab_response="naive", prior_therapies=[],
             markers={"PD-L1": "positive", "EPHA5": "low"}),
        {"epha5-low-predictor"},
        {"pdl1-checkpoint-combination", "epha5-low-notch1", "t-dm1-residual-disease"},
    ),
    "responding adjuvant": (
        dict(setting="early", trastuzumab_response="responding", pik3ca="mutated"),
        set(), {"pi3k-inhibitor-with-trastuzumab", "t-dxd-her2-positive-after-resistance"},
    ),
    "residual after trastuzumab": (
        dict(setting="residual_disease", trastuzumab_response="responding",
             prior_therapies=["trastuzumab", "chemotherapy"]),
        {"t-dm1-residual-disease"}, {"t-dm1-metastatic-after-trastuzumab"},
    ),
    "residual after chemotherapy only": (
        dict(setting="residual_disease", trastuzumab_response="naive",
             prior_therapies=["chemotherapy"]),
        set(), {"t-dm1-residual-disease"},
    ),
    "neoadjuvant with CCL5": (
        dict(setting="neoadjuvant", trastuzumab_response="naive", prior_therapies=[],
             markers={"CCL5": "high"}),
        {"ccl5-neoadjuvant-response"}, {"endocrine-plus-anti-her2"},
    ),
    "metastatic line 1": (
        dict(metastatic_line="1", trastuzumab_response="naive", prior_therapies=[],
             er="positive"),
        {"endocrine-plus-anti-her2"},
        {"t-dm1-metastatic-after-trastuzumab", "endocrine-cross-talk-resistance"},
    ),
    "metastatic line 2 after trastuzumab": (
        dict(metastatic_line="2", er="negative"),
        {"t-dm1-metastatic-after-trastuzumab", "t-dxd-her2-positive-after-resistance"},
        {"endocrine-plus-anti-her2", "endocrine-cross-talk-resistance"},
    ),
    "metastatic line 3 after both ADCs": (
        dict(metastatic_line="3+", prior_therapies=["trastuzumab", "t_dm1", "t_dxd"]),
        {"t-dxd-resistance-mechanisms"},
        {"t-dm1-metastatic-after-trastuzumab", "t-dxd-her2-positive-after-resistance"},
    ),
    "HR+ after endocrine and CDK4/6": (
        dict(trastuzumab_response="naive", er="positive",
             prior_therapies=["chemotherapy", "endocrine", "cdk46_inhibitor"]),
        set(), {"endocrine-plus-anti-her2", "endocrine-plus-anti-her2-line-not-stated"},
    ),
    "HER2-low after chemotherapy, HR-negative": (
        dict(her2_ihc="1+", trastuzumab_response="naive", prior_therapies=["chemotherapy"],
             er="negative", pr="negative"),
        {"t-dxd-her2-low"}, {"t-dxd-her2-positive-after-resistance"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_each_kind_of_profile_gets_what_its_evidence_covers(api, name):
    changes, fires, silent = PROFILES[name]
    payload = _evaluate(api, **changes)
    fired = set(_slugs(payload["recommendations"] + payload["research_leads"]))
    assert fires <= fired, fires - fired
    assert not silent & fired, silent & fired


def test_profile_warnings_is_pure_and_empty_for_a_coherent_profile():
    assert profile_warnings({**contract_example(), "metastatic_line": "unknown",
                             "notes": "", "her2_positive_fraction": None}) == []  # fmt: skip
