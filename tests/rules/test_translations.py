"""The knowledge base's text in Ukrainian (issue #34, part 2): a translation is reviewed
like any other change, a release carries it with its status, Ukrainian pages show it
(labelled while unreviewed, or the English, as the rule says), the API says its status
when asked in Ukrainian, and English stays the text of record everywhere else."""

import pytest
from django.core.exceptions import PermissionDenied

from board.agreement import strategy_slugs
from rules.knowledge_base import knowledge_base_published
from rules.models import Release, Rule, Strategy
from rules.releases import release_publish
from rules.reviews import change_approve, change_reject, changes_blocking, changes_pending
from tests.factories import CONTRACT_EXAMPLE, token_client, user_create

pytestmark = pytest.mark.django_db

SLUG = "pi3k-inhibitor-with-trastuzumab"
UK = {"HTTP_ACCEPT_LANGUAGE": "uk"}
DRAFT_TITLE = "Огляд: алпелісиб із трастузумабом долав резистентність"
QUOTE_EN = "Scientists have found that combining PI3K inhibitors (such as alpelisib)"
QUOTE_UK = (
    "Науковці виявили, що поєднання інгібіторів PI3K (як-от алпелісибу) з трастузумабом — "
    "ефективна стратегія подолання резистентності."
)
EDITED_UK = "Огляд: алпелісиб разом із трастузумабом долав резистентність (доклінічні дані)"


@pytest.fixture
def curator_b():
    return user_create("curator2", "curator", is_staff=True)


def _patch(curator, **fields):
    rule = Rule.objects.get(slug=SLUG)
    response = token_client(curator).patch(
        f"/api/v1/rules/{SLUG}/",
        {**fields, "version": rule.version, "change_reason": "Ukrainian wording."},
        format="json",
        **UK,
    )
    assert response.status_code == 200, response.content
    return response.json()


def _case_page(client, user, profile) -> str:
    from cases.services import case_create

    case = case_create(data={**profile, "notes": ""}, user=user)
    client.force_login(user)
    return client.get(case.get_absolute_url(), **UK).content.decode()


def _status(section: str, key: str) -> str:
    return knowledge_base_published().translations.status(section, key)


def test_the_first_draft_is_released_unreviewed_and_listed_for_review():
    release = Release.objects.newest()
    assert release.name == "2026.3"
    assert "marked not yet reviewed" in release.changelog[0]
    assert _status("rules", SLUG) == "unreviewed"
    assert _status("strategies", "alpelisib-trastuzumab") == "unreviewed"
    waiting = [c for c in changes_pending() if c.released_unreviewed]
    assert {c.section for c in waiting} == {"rules", "strategies", "mechanisms", "references"}
    assert all(c.translation_only for c in waiting)
    # None holds a release back.
    assert changes_blocking(waiting) == []


def test_a_ukrainian_page_shows_the_draft_labelled_with_the_english_one_click_away(client, trainee):
    profile = {**CONTRACT_EXAMPLE, "pik3ca": "mutated"}
    page = _case_page(client, trainee, profile)
    assert DRAFT_TITLE in page
    assert "Переклад ще не перевірено" in page
    english = Rule.objects.get(slug=SLUG).title_en_gb
    assert "<details><summary>Оригінал англійською</summary>" in page
    assert f'<div lang="en"><p><strong>{english}</strong></p>' in page.replace("&#x27;", "'")
    # The strategy and mechanism names too.
    assert "Трастузумаб у поєднанні з інгібітором PI3Kα (алпелісиб)" in page


def test_a_ukrainian_request_changes_no_payload_and_no_look_up_by_name(api_client, trainee):
    api_client.force_authenticate(trainee)
    profile = {**CONTRACT_EXAMPLE, "pik3ca": "mutated"}
    english = api_client.post("/api/v1/evaluate/", profile, format="json").json()
    ukrainian = api_client.post("/api/v1/evaluate/", profile, format="json", **UK).json()
    assert ukrainian == english
    assert any(
        r["rule"] == SLUG and r["title"].startswith("Review:") for r in english["recommendations"]
    )

    from django.utils import translation

    with translation.override("uk"):
        names = strategy_slugs()
        assert "Trastuzumab combined with a PI3Kα inhibitor (alpelisib)" in names
        # The working copy's Ukrainian is there, but never read for data.
        assert Strategy.objects.get(slug="alpelisib-trastuzumab").name_uk


def test_a_curators_ukrainian_edit_is_reviewed_released_and_in_the_changelog(
    client, curator, curator_b, trainee
):
    body = _patch(curator, title_uk=EDITED_UK)
    assert body["title"].startswith("Review:")  # the English, asked in Ukrainian
    assert body["title_uk"] == EDITED_UK
    assert body["translation_status"] == "unreviewed"

    listed = token_client(curator_b).get("/api/v1/revisions/").json()
    (change,) = [c for c in listed if c["key"] == SLUG]
    assert change["translation_only"] is True and change["authors"] == ["curator1"]
    assert [d["field"] for d in change["diff"]] == ["title_uk"]

    # Unapproved, it does not hold the release back: it ships marked unreviewed.
    first = release_publish(name="2026.4", user=curator)
    assert f"rule {SLUG} changed by curator1: Ukrainian wording." in first.changelog
    assert f"rule {SLUG}: Ukrainian translation not yet reviewed" in first.changelog
    assert _status("rules", SLUG) == "unreviewed"
    profile = {**CONTRACT_EXAMPLE, "pik3ca": "mutated"}
    page = _case_page(client, trainee, profile)
    assert EDITED_UK in page and "Переклад ще не перевірено" in page
    # The review's words stay English; their translation waits for approval.
    assert QUOTE_EN in page.replace("&#x27;", "'") and QUOTE_UK not in page

    # Still listed after its release; its drafter may not approve it.
    with pytest.raises(PermissionDenied):  # its drafter
        change_approve(section="rules", key=SLUG, reviewer=curator)
    change_approve(section="rules", key=SLUG, reviewer=curator_b)
    second = release_publish(name="2026.5", user=curator_b)
    assert f"rule {SLUG}: Ukrainian translation reviewed by curator2" in second.changelog
    client.force_login(trainee)
    listing = client.get("/knowledge/releases/2026.5/", HTTP_ACCEPT_LANGUAGE="en")
    assert "In Ukrainian: 1 entry reviewed by a second curator; 138 shown labelled" in (
        " ".join(listing.content.decode().split())
    )
    assert _status("rules", SLUG) == "reviewed"
    assert SLUG not in {c.key for c in changes_pending() if c.section == "rules"}
    response = token_client(trainee).get(f"/api/v1/rules/{SLUG}/", **UK).json()
    assert response["translation_status"] == "reviewed"
    page = _case_page(client, trainee, profile)
    assert EDITED_UK in page and "Переклад ще не перевірено" not in page.split(EDITED_UK)[1][:400]
    assert f'<p class="quote-translation">Українською: {QUOTE_UK}</p>' in page


def test_an_approved_english_change_leaves_its_old_translation_unreviewed(curator, curator_b):
    _patch(curator, title_uk=EDITED_UK)
    change_approve(section="rules", key=SLUG, reviewer=curator_b)
    release_publish(name="2026.4", user=curator_b)
    assert _status("rules", SLUG) == "reviewed"

    _patch(curator, title="Review: alpelisib with trastuzumab overcame resistance (preclinical)")
    change_approve(section="rules", key=SLUG, reviewer=curator_b)
    release = release_publish(name="2026.5", user=curator_b)
    assert _status("rules", SLUG) == "unreviewed"
    assert any("its English changed" in line for line in release.changelog)
    # A page no longer shows the old translation for the new English.
    shown = knowledge_base_published().translations.rule(
        SLUG, "title", "Review: something else (preclinical)"
    )
    assert not shown.translated


def test_a_rule_set_to_show_english_while_unreviewed_shows_english(client, curator, trainee):
    _patch(curator, unreviewed_translation="english")
    release_publish(name="2026.4", user=curator)
    page = _case_page(client, trainee, {**CONTRACT_EXAMPLE, "pik3ca": "mutated"})
    assert DRAFT_TITLE not in page
    assert Rule.objects.get(slug=SLUG).title_en_gb in page.replace("&#x27;", "'")


def test_rejecting_a_released_translation_removes_it(curator, superuser_curator):
    change_reject(section="rules", key=SLUG, reviewer=superuser_curator, reason="Wrong term.")
    rule = Rule.objects.get(slug=SLUG)
    assert not rule.title_uk and not rule.rationale_uk
    assert rule.title_en_gb.startswith("Review:")
    release_publish(name="2026.4", user=curator)
    assert _status("rules", SLUG) == "missing"


def test_the_api_says_the_status_only_when_asked_in_ukrainian(trainee):
    api = token_client(trainee)
    english = api.get("/api/v1/strategies/alpelisib-trastuzumab/").json()
    ukrainian = api.get("/api/v1/strategies/alpelisib-trastuzumab/", **UK).json()
    assert english["translation_status"] is None
    assert ukrainian["translation_status"] == "unreviewed"
    assert (
        ukrainian["name"]
        == english["name"]
        == "Trastuzumab combined with a PI3Kα inhibitor (alpelisib)"
    )
    assert ukrainian["name_uk"].startswith("Трастузумаб у поєднанні")
    missing = api.get("/api/v1/references/Cataldo2023/", **UK).json()
    assert missing["translation_status"] == "unreviewed"
    none = api.get("/api/v1/references/Akter2024/", **UK).json()
    assert none["caveats"] == [] and none["translation_status"] == "missing"


@pytest.fixture
def superuser_curator():
    return user_create("chief", "curator", is_staff=True, is_superuser=True)


def test_a_ukrainian_case_page_says_no_rule_text_in_english_but_the_originals(
    client, api_client, trainee
):
    import html
    import re

    profile = {**CONTRACT_EXAMPLE, "pik3ca": "mutated", "er": "positive"}
    page = html.unescape(_case_page(client, trainee, profile))
    outside = re.sub(r'<(\w+)[^>]*\blang="en"[^>]*>.*?</\1>', " ", page, flags=re.S)
    api_client.force_authenticate(trainee)
    payload = api_client.post("/api/v1/evaluate/", profile, format="json").json()
    items = payload["recommendations"] + payload["research_leads"]
    assert len(items) > 3
    for item in items:
        for english in (item["title"], item["rationale"], item["mechanism"], item["strategy"]):
            assert not english or english not in outside, english
        # ... and each English original is one click away.
        assert item["rationale"] in page


def test_the_admin_takes_a_quotes_translation_block_by_block_keeping_its_paragraphs(
    client, curator
):
    from tests.factories import rule_rows

    client.force_login(curator)
    rule = Rule.objects.get(slug=SLUG)
    url = f"/admin/rules/rule/{rule.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(rule_rows(citations=rule.citations, examples=rule.examples))
    data.update(strategy=rule.strategy_id, change_reason="Quotes in Ukrainian.")
    blocks = [f"Переклад цитати {n}." for n in range(len(rule.provenance))]

    data["provenance_uk"] = blocks[0]
    refused = client.post(url, data)
    assert "provenance_uk" in refused.context["adminform"].form.errors

    data["provenance_uk"] = "\r\n\r\n".join(blocks)
    assert client.post(url, data).status_code == 302
    rule.refresh_from_db()
    assert [q["quote"] for q in rule.provenance_uk] == blocks
    assert [q["paragraph"] for q in rule.provenance_uk] == [
        q["paragraph"] for q in rule.provenance_en_gb
    ]
    assert rule.title_en_gb.startswith("Review:")  # the English is untouched
