"""The web pages: every page, its permissions, and the refusals a user sees."""

import pytest

from board.models import BoardSession, TraineeProposal
from cases.models import CaseProfile
from cases.services import case_create
from rules.models import Strategy
from tests.factories import CONTRACT_EXAMPLE, form_data, proposal_post, release_publish_now

pytestmark = pytest.mark.django_db


def _post_data(**overrides):
    notes = "progressed after 14 months on trastuzumab; IHC 2+, ISH pending"
    profile = {**CONTRACT_EXAMPLE, "markers": {"MUC4": "high"}, "notes": notes}
    return {**form_data(profile), **overrides}


@pytest.mark.parametrize(
    "path", ["/cases/", "/cases/new/", "/knowledge/", "/sessions/", "/accounts/token/"]
)
def test_pages_need_a_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/cases/", "/cases/new/", "/knowledge/", "/sessions/"]
)
def test_every_page_carries_the_disclaimer(client, trainee, path):
    client.force_login(trainee)
    page = client.get(path).content.decode()
    assert "Not for clinical use." in page
    assert "not a medical" in page


def test_sign_in_page_signs_a_user_in(client, trainee):
    response = client.post(
        "/accounts/login/", {"username": "trainee1", "password": "a-long-test-password-1"}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == trainee


def test_the_case_form_groups_markers_by_the_reviews_mechanisms(client, trainee):
    client.force_login(trainee)
    form = client.get("/cases/new/").context["form"]
    groups = dict(form.marker_groups)
    assert "marker__MUC4" in groups["MUC4 masking of the trastuzumab epitope"]
    assert "marker__p95HER2" in groups["Alternative molecular variants of HER2"]
    page = client.get("/cases/new/").content.decode()
    assert '<label for="id_marker__MUC4">MUC4</label>' in page
    assert ">Not tested</option>" in page


def test_creating_a_case_through_the_form_shows_its_suggestions(client, trainee):
    client.force_login(trainee)
    response = client.post("/cases/new/", _post_data(), follow=True)
    case = CaseProfile.objects.get()
    assert case.markers == {"MUC4": "high"}
    page = response.content.decode()
    assert case.code in page
    assert "Trastuzumab combined with a PI3Kα inhibitor (alpelisib)" in page
    assert "Cataldo, M. L." in page and "https://doi.org/10.3389/fonc.2023.1108242" in page
    assert "Preclinical, in vivo (animal)" in page
    # Why it fires, in words, without the facts every suggestion shares.
    assert (
        "Why it fires here:</strong> Response to trastuzumab: Acquired resistance; PIK3CA: Mutated."
        in page
    )
    assert "pik3ca = mutated" not in page


def test_an_identifier_in_notes_is_refused_beside_the_field_and_nothing_is_stored(client, trainee):
    client.force_login(trainee)
    response = client.post("/cases/new/", _post_data(notes="Seen by Dr. Petrenko on 3 March 2024"))
    assert response.status_code == 200
    errors = response.context["form"].errors["notes"]
    assert any("a person's name" in e for e in errors) and any("a date" in e for e in errors)
    assert "Petrenko" not in " ".join(errors)
    assert CaseProfile.objects.count() == 0


def test_the_her2_status_preview_uses_the_contract_table(client):
    body = client.get("/cases/her2-status/", {"ihc": "2+", "ish": "not_amplified"}).json()
    assert body["status"] == "low"
    assert "DESTINY-Breast04" in body["source"]


def test_a_trainee_cannot_edit_another_trainees_case(client, trainee, other_trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    client.force_login(other_trainee)
    assert client.get(f"/cases/{case.code}/edit/").status_code == 403
    assert client.post(f"/cases/{case.code}/edit/", _post_data(her2_ihc="1+")).status_code == 403
    case.refresh_from_db()
    assert case.her2_ihc == "3+"


def test_the_author_edits_a_case_and_the_status_follows(client, trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    client.force_login(trainee)
    form = client.get(f"/cases/{case.code}/edit/").context["form"]
    assert form.initial["marker__MUC4"] == "high"
    client.post(f"/cases/{case.code}/edit/", _post_data(her2_ihc="1+", her2_ish="not_amplified"))
    case.refresh_from_db()
    assert case.her2_status == "low"


def test_a_retracted_citation_is_marked_on_the_case_page(client, trainee):
    from rules.models import Reference

    # No published rule cites a retracted source any more; one that did would say so.
    Reference.objects.filter(key="Cataldo2023").update(retracted=True)
    release_publish_now()
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    client.force_login(trainee)
    page = client.get(case.get_absolute_url()).content.decode()
    assert '<strong class="retracted">RETRACTED</strong>' in page


def test_caveats_travel_with_their_citation_on_the_case_page(client, trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    client.force_login(trainee)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "The paper compared PIK3CA-mutant with wild-type cell lines" in page


def test_case_list_and_case_page_read_a_bounded_number_of_queries(
    client, trainee, django_assert_num_queries
):
    for _ in range(3):
        case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    client.force_login(trainee)
    # 1 session, 2 user, 3 permissions (own and groups'), 4 count, 5 page of cases with
    # their creators' names.
    with django_assert_num_queries(5):
        client.get("/cases/")
    # 1 session (the user and their permissions are the ones this worker read for the
    # list: core.auth_memory), 2 the case, 3 whether the user owes a proposal for it (an
    # open session, propose first), 4 knowledge-base fingerprint, 5 the latest release
    # (the whole knowledge base in one row), 6 markers, 7 snapshots.
    with django_assert_num_queries(7):
        client.get(case.get_absolute_url())
    # Warm, within the recheck interval: nothing about the knowledge base is read (1-3,
    # snapshots).
    with django_assert_num_queries(4):
        client.get(case.get_absolute_url())


def test_the_print_view_is_a_one_page_board_summary(client, trainee):
    case = case_create(data={**CONTRACT_EXAMPLE, "pik3ca": "unknown"}, user=trainee)
    client.force_login(trainee)
    page = client.get(f"/cases/{case.code}/print/").content.decode()
    assert case.code in page
    assert "Printed" in page and "knowledge base" in page
    assert "&quot;No matching rule&quot; does not mean &quot;nothing to consider&quot;" in page
    assert "print.css" in page
    assert "Suggested tests:" in page  # one line, not a list
    assert "The review says: “" in page  # one line under each item
    assert "Board discussion and decision" in page
    assert f'href="/cases/{case.code}/"' in page  # back to the case


def test_a_snapshot_from_the_case_page_shows_what_changed_since(client, trainee):
    from rules.models import Rule

    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    client.force_login(trainee)
    client.post(f"/cases/{case.code}/snapshot/")
    from rules.curation import rule_status_set

    rule_status_set(rule=Rule.objects.get(slug="muc4-epitope-masking"), status="retired")
    release_publish_now()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "removed: muc4-epitope-masking" in page
    assert "UTC by trainee1 — knowledge base" in page  # who took the snapshot
    assert client.get("/cases/TB-NOSUCH/").status_code == 404


def test_the_knowledge_browser_shows_conditions_in_words_and_searches(client, trainee):
    client.force_login(trainee)
    page = client.get("/knowledge/").content.decode()
    assert "PIK3CA is mutated" in page
    assert "Han, J." in page and "RETRACTED" in page
    found = client.get("/knowledge/", {"q": "alpelisib"}).context
    titles = [item["rule"].slug for _, group in found["mechanisms"] for item in group["items"]]
    assert sorted(titles) == ["pi3k-inhibitor-with-trastuzumab", "pten-loss-pi3k-note"]


def test_a_training_round_trainee_first_then_engine(client, educator, trainee, other_trainee):
    case = case_create(data=CONTRACT_EXAMPLE, user=educator)
    client.force_login(educator)
    client.post("/sessions/", {"title": "Week 3"})
    session = BoardSession.objects.get()
    client.post(f"/sessions/{session.pk}/cases/", {"code": case.code})
    assert list(session.cases.all()) == [case]

    client.force_login(trainee)
    url = f"/sessions/{session.pk}/cases/{case.code}/"
    before = client.get(url)
    assert "evaluation" not in before.context  # the engine stays hidden until a proposal
    alpelisib = Strategy.objects.get(slug="alpelisib-trastuzumab")
    propranolol = Strategy.objects.get(slug="propranolol-trastuzumab")
    client.post(
        url,
        proposal_post(
            "strategy:alpelisib-trastuzumab",
            "strategy:propranolol-trastuzumab",
            reasoning="PIK3CA mutated",
        ),
    )
    after = client.get(url).context
    assert after["engine_agreement"] is not None and 0 < after["engine_agreement"] < 1
    assert after["engine_only"] and alpelisib.name not in after["engine_only"]
    chosen = [row["choice"].label for row in after["rows"] if row["choice"]]
    assert chosen == [alpelisib.name, propranolol.name]

    client.force_login(educator)
    progress = client.get(f"/sessions/{session.pk}/").context["progress"]
    assert progress["trainees"] == [trainee, other_trainee]
    assert progress["rows"][0]["cells"] == [True, False] and progress["due"] == 1


def test_a_trainee_cannot_run_a_session(client, educator, trainee):
    session = BoardSession.objects.create(title="Week 4", educator=educator)
    case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
    client.force_login(trainee)
    assert client.post("/sessions/", {"title": "Mine"}).status_code == 403
    assert client.post(f"/sessions/{session.pk}/cases/", {"code": case.code}).status_code == 403
    assert session.cases.count() == 0


def test_a_proposal_is_made_once_and_its_reasoning_is_screened(client, educator, trainee):
    session = BoardSession.objects.create(title="Week 5", educator=educator)
    case = case_create(data=CONTRACT_EXAMPLE, user=educator)
    session.sessioncase_set.create(case=case)
    client.force_login(trainee)
    url = f"/sessions/{session.pk}/cases/{case.code}/"
    refused = client.post(
        url,
        proposal_post(
            "standard:continue-trastuzumab", reasoning="Mrs. Kowalska prefers oral therapy"
        ),
    )
    assert "a person's name" in refused.context["form"].errors["reasoning"][0]
    assert TraineeProposal.objects.count() == 0
    client.post(url, proposal_post("standard:continue-trastuzumab", reasoning="no strategy"))
    client.post(
        url,
        proposal_post("standard:trastuzumab-pertuzumab-chemotherapy", reasoning="changed my mind"),
    )
    assert TraineeProposal.objects.get().reasoning == "no strategy"
