"""End-to-end in a real headless Chromium (Debian's package, driven by Playwright).

Locally, without /usr/bin/chromium, these tests skip with the reason; in CI (CI=true),
where .ci/run installs the package, a missing browser is a failure, never a skip.
"""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from cases.models import CaseProfile

# Screenshots to look at after a run (1280x720); kept out of the repository.
SHOTS = Path(
    os.getenv(
        "BROWSER_SCREENSHOTS",
        Path(__file__).resolve().parents[2] / "benchmarks" / "out" / "screens",
    )
)
PASSWORD = "a-long-test-password-1"

# Transactional (the live server runs in another thread); each test starts from the data
# the migrations loaded (knowledge base, marker catalogue, groups): serialized rollback.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _user(name: str, group: str) -> User:
    user = User.objects.create_user(name, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def _sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def _fill_case(page, notes: str = "") -> None:
    page.goto("/cases/new/")
    page.get_by_label("Setting").select_option("metastatic")
    page.get_by_label("Response to trastuzumab").select_option("acquired_resistance")
    page.get_by_label("HER2 IHC").select_option("3+")
    page.get_by_label("PIK3CA").select_option("mutated")
    page.get_by_label("Trastuzumab", exact=True).check()
    page.get_by_label("Notes").fill(notes)


def test_a_trainee_creates_a_case_and_sees_suggestions_with_citations(page):
    _user("trainee1", "trainee")
    _sign_in(page, "trainee1")
    _fill_case(page, notes="progressed after 14 months on trastuzumab")
    # The HER2 status follows the IHC choice and says where its label comes from.
    page.wait_for_function(
        "document.querySelector('#her2-status strong').textContent === 'HER2-positive'"
    )
    assert "ASCO/CAP" in page.locator("#her2-status small").inner_text()
    _shot(page, "case-form")
    page.get_by_role("button", name="Save case").click()
    page.wait_for_url("**/cases/TB-*/")
    body = page.locator("body").inner_text()
    assert "Not for clinical use." in body
    assert "Trastuzumab combined with a PI3Kα inhibitor (alpelisib)" in body
    assert "Cataldo, M. L." in body
    assert page.locator("a[href='https://doi.org/10.3389/fonc.2023.1108242']").count() >= 1
    _shot(page, "case-page")

    page.get_by_role("link", name="Printable board summary").click()
    page.wait_for_url("**/print/")
    assert "Board summary" in page.locator("h1").inner_text()
    assert "nothing to consider" in page.locator("footer").inner_text()
    _shot(page, "print")
    # A typical case prints on one A4 page.
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_an_identifier_in_notes_is_refused_in_words_and_nothing_is_stored(page):
    _user("trainee1", "trainee")
    _sign_in(page, "trainee1")
    _fill_case(page, notes="Seen by Dr. Petrenko")
    page.get_by_role("button", name="Save case").click()
    alert = page.locator(".field.has-error .error").first
    assert "a person's name" in alert.inner_text()
    assert "Petrenko" not in alert.inner_text()
    assert CaseProfile.objects.count() == 0
    _shot(page, "notes-refused")


def _propose(page, session_url: str, code: str, first: str, other: str, guess: str) -> None:
    page.goto(session_url)
    page.get_by_role("link", name=code).click()
    page.wait_for_url(f"**/cases/{code}/")
    page.wait_for_load_state("load")  # the filter box's script is attached
    assert page.get_by_role("heading", name="Suggestions from the review").count() == 0
    page.get_by_label("Find an option").fill(first.split()[-1].strip("()"))
    visible = page.locator("#id_choice_1 option:not([hidden])").all_inner_texts()
    assert first in visible and len(visible) < 10  # the filter box narrows the lists
    page.get_by_label("Choice 1 (strongest)").select_option(label=first)
    page.get_by_label("Choice 2 (optional)").select_option(label="Other (in your own words)")
    page.get_by_label("Choice 2, in your own words").fill(other)
    page.get_by_label("Evidence for your first choice").select_option(label=guess)
    page.get_by_label("Reasoning").fill("PIK3CA mutated after trastuzumab")
    page.get_by_role("button", name="Submit my proposal").click()
    page.get_by_role(
        "heading", name="Your proposal, the board's decision and the engine"
    ).wait_for()


def test_a_full_board_session(page):
    from cases.services import case_create
    from tests.factories import CONTRACT_EXAMPLE

    educator = _user("educator1", "educator")
    _user("trainee1", "trainee")
    _user("trainee2", "trainee")
    case = case_create(data=CONTRACT_EXAMPLE, user=educator)
    second = case_create(data={**CONTRACT_EXAMPLE, "pik3ca": "wild_type"}, user=educator)
    early = case_create(
        data={**CONTRACT_EXAMPLE, "setting": "neoadjuvant", "trastuzumab_response": "responding"},
        user=educator,
    )
    alpelisib = "Trastuzumab combined with a PI3Kα inhibitor (alpelisib)"

    _sign_in(page, "educator1")
    page.goto("/sessions/")
    page.get_by_label("Title").fill("Week 3 teaching set")
    page.get_by_role("button", name="Create session").click()
    page.wait_for_url("**/sessions/*/")
    session_url = page.url
    page.get_by_label("Setting").select_option("metastatic")
    page.get_by_role("button", name="Show matching cases").click()
    page.get_by_label(case.code).check()
    page.get_by_label(second.code).check()
    assert page.get_by_label(early.code).count() == 0  # filtered out
    page.get_by_role("button", name="Add the ticked cases").click()
    added = page.locator(".messages").inner_text()
    assert "Added to the session:" in added and case.code in added and second.code in added
    assert _serious(page) == []
    page.get_by_role("button", name="Sign out educator1").click()

    _sign_in(page, "trainee1")
    _propose(page, session_url, case.code, alpelisib, "trial referral", "Approved indication")
    reveal = page.locator("table").first.inner_text()
    assert alpelisib in reveal
    assert "Other: trial referral" in reveal
    assert "stronger than the review reports" in page.locator("body").inner_text()
    assert page.get_by_role("heading", name="Suggestions from the review").count() == 1
    assert _serious(page) == []
    _shot(page, "training-reveal")
    t_dxd = "Trastuzumab deruxtecan (T-DXd), including HER2-low disease"
    _propose(page, session_url, second.code, t_dxd, "trial referral", "Approved indication")
    page.get_by_role("button", name="Sign out trainee1").click()

    _sign_in(page, "trainee2")
    _propose(page, session_url, case.code, alpelisib, "watchful waiting", "Phase III trial")
    t_dm1 = "Trastuzumab emtansine (T-DM1) in metastatic disease"
    _propose(page, session_url, second.code, t_dm1, "watchful waiting", "Phase III trial")
    page.get_by_role("button", name="Sign out trainee2").click()

    _sign_in(page, "educator1")
    page.goto(session_url)
    assert "0 proposals due" in page.locator("body").inner_text()
    page.get_by_role("link", name="Summary: agreement and calibration").click()
    body = page.locator("body").inner_text()
    # First choices: alpelisib twice on one case, T-DXd and T-DM1 on the other: 0.2.
    assert "Fleiss' kappa on the first choice: 0.20" in body
    assert page.locator("svg.chart").count() == 2
    assert _serious(page) == []
    _shot(page, "training-summary")
    page.goto(session_url)
    page.get_by_role("link", name="Debrief").first.click()
    assert "trainee1" not in page.locator("main").inner_text()
    assert _serious(page) == []


def test_the_board_decides_and_each_trainee_sees_the_three_columns(page):
    """Teaching v2's whole flow: two trainees propose (one from the list, one in their own
    words); the educator locks, records the board's decision, maps the "Other" answer and
    records an outcome; each trainee sees their proposal, the board and the engine; the
    summary and progress pages show the figures; axe finds nothing serious."""
    from board.models import BoardSession
    from cases.services import case_create
    from tests.factories import CONTRACT_EXAMPLE

    educator = _user("educator1", "educator")
    _user("trainee1", "trainee")
    _user("trainee2", "trainee")
    case = case_create(data=CONTRACT_EXAMPLE, user=educator)
    session = BoardSession.objects.create(title="Decided week", educator=educator)
    session.sessioncase_set.create(case=case, position=0)
    case_url = f"/sessions/{session.pk}/cases/{case.code}/"
    t_dxd = "Trastuzumab deruxtecan (T-DXd), including HER2-low disease"
    found = {}

    _sign_in(page, "trainee1")
    page.goto(case_url)
    page.get_by_label("Choice 1 (strongest)").select_option(label="Trastuzumab deruxtecan (T-DXd)")
    page.get_by_label("Evidence for your first choice").select_option(label="Approved indication")
    page.get_by_role("button", name="Submit my proposal").click()
    page.get_by_role(
        "heading", name="Your proposal, the board's decision and the engine"
    ).wait_for()
    assert "Decided after proposals lock" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out trainee1").click()

    _sign_in(page, "trainee2")
    page.goto(case_url)
    page.get_by_label("Choice 1 (strongest)").select_option(label="Other (in your own words)")
    page.get_by_label("Choice 1, in your own words").fill("enhertu")
    page.get_by_label("Evidence for your first choice").select_option(label="Approved indication")
    page.get_by_role("button", name="Submit my proposal").click()
    page.get_by_role(
        "heading", name="Your proposal, the board's decision and the engine"
    ).wait_for()
    page.get_by_role("button", name="Sign out trainee2").click()

    _sign_in(page, "educator1")
    page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("link", name="Lock proposals and reveal…").click()
    found["confirm"] = _serious(page)
    page.get_by_role("button", name="Yes: lock proposals and reveal").click()
    page.get_by_role("link", name="The board's decision").click()
    page.get_by_label("Option 1", exact=True).select_option(label=t_dxd)
    page.get_by_label("Option 1: the board's evidence grade").select_option(
        label="Approved indication"
    )
    page.get_by_label("Option 1: rationale").fill("Second line after trastuzumab")
    found["decision"] = _serious(page)
    page.get_by_role("button", name="Record the board's decision").click()
    page.wait_for_url(f"**{case_url}debrief/")
    page.get_by_label("Maps to").select_option(label=t_dxd)
    page.get_by_role("button", name="Map").click()
    assert "Mapped; the scores recompute." in page.locator(".messages").inner_text()
    found["debrief"] = _serious(page)
    page.get_by_role("link", name="Record what happened (the outcome)").click()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Best response (RECIST 1.1)").select_option("PR")
    page.get_by_label("Months of follow-up").fill("12")
    found["outcome"] = _serious(page)
    page.get_by_role("button", name="Record the outcome").click()
    page.wait_for_url(f"**/cases/{case.code}/")
    page.goto(f"/sessions/{session.pk}/summary/")
    summary = page.locator("main").inner_text()
    assert summary.count("1.00") >= 2 and "implemented yes; PR" in summary
    found["summary"] = _serious(page)
    page.goto("/progress/group/")
    assert "trainee1" in page.locator("main").inner_text()
    found["group progress"] = _serious(page)
    page.get_by_role("button", name="Sign out educator1").click()

    for trainee in ("trainee1", "trainee2"):
        _sign_in(page, trainee)
        page.goto(case_url)
        main = page.locator("main").inner_text()
        columns = page.locator("table.three-columns thead").inner_text()
        assert "Your choice" in columns and "The board" in columns and "The engine" in columns
        assert "Second line after trastuzumab" in main
        assert "Agreement with the board: 1.00" in main and "What happened" in main
        found[f"reveal {trainee}"] = _serious(page)
        page.goto("/progress/")
        assert "Decided week" in page.locator("main").inner_text()
        found[f"progress {trainee}"] = _serious(page)
        _shot(page, f"teaching-progress-{trainee}")
        page.get_by_role("button", name=f"Sign out {trainee}").click()
    assert {name: v for name, v in found.items() if v} == {}


PAGES = ["/", "/cases/", "/cases/new/", "/knowledge/", "/sessions/", "/cohort/"]


def test_pages_fit_a_phone_and_a_projector_without_csp_violations(page):
    _user("trainee1", "trainee")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    _sign_in(page, "trainee1")
    for viewport in ({"width": 390, "height": 844}, {"width": 1280, "height": 720}):
        page.set_viewport_size(viewport)
        for path in PAGES:
            page.goto(path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, viewport, overflow)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/cases/new/")
    _shot(page, "phone-case-form")
    page.goto("/api/docs/")
    page.locator(".swagger-ui").first.wait_for()
    assert violations == []


def test_the_keyboard_reaches_the_content_first(page):
    _user("trainee1", "trainee")
    _sign_in(page, "trainee1")
    page.goto("/cases/new/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(e => !e.labels || e.labels.length === 0).map(e => e.name)"""
    )
    assert unlabelled == []


# The UX walkthrough's case: IHC 2+ ISH amplified, heterogeneity high (40%), PIK3CA
# mutated, p95HER2 positive, metastatic, acquired resistance after trastuzumab + pertuzumab.
WALKTHROUGH_CASE = {
    "setting": "metastatic",
    "trastuzumab_response": "acquired_resistance",
    "prior_therapies": ["trastuzumab", "pertuzumab"],
    "her2_ihc": "2+",
    "her2_ish": "amplified",
    "her2_heterogeneity": "high",
    "her2_positive_fraction": 40,
    "pik3ca": "mutated",
    "markers": {"p95HER2": "positive"},
}


@pytest.mark.parametrize("which", ["contract example", "walkthrough case"])
def test_a_case_prints_on_one_a4_page(page, which):
    from cases.services import case_create
    from tests.factories import CONTRACT_EXAMPLE

    data = CONTRACT_EXAMPLE if which == "contract example" else WALKTHROUGH_CASE
    trainee = _user("trainee1", "trainee")
    case = case_create(data=data, user=trainee)
    _sign_in(page, "trainee1")
    page.goto(f"/cases/{case.code}/print/")
    assert page.get_by_role("button", name="Print").is_visible()
    pdf = page.pdf(format="A4")
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"print-{which.replace(' ', '-')}.pdf").write_bytes(pdf)

    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_a_refused_case_form_focuses_its_error_summary_and_links_each_field(page):
    _user("trainee1", "trainee")
    _sign_in(page, "trainee1")
    _fill_case(page, notes="seen by Dr Petrenko")
    page.get_by_label("HER2-positive cells (%)").fill("140")
    page.get_by_role("button", name="Save case").click()
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Error: ")
    focused = page.evaluate("document.activeElement.className")
    assert "error-summary" in focused
    summary = page.locator(".error-summary")
    assert summary.get_by_role("link").count() >= 2
    summary.get_by_role("link", name=re.compile("^Notes")).click()
    assert page.evaluate("document.activeElement.id") == "id_notes"
    # Each described field's help and error texts exist on the page.
    missing = page.evaluate(
        """[...document.querySelectorAll('[aria-describedby]')]
             .flatMap(e => e.getAttribute('aria-describedby').split(' '))
             .filter(id => id && !document.getElementById(id))"""
    )
    assert missing == []


def _serious(page) -> list[tuple[str, str, int]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_violation_on_any_app_page(page):
    from board.models import BoardSession
    from cases.services import case_create

    educator = _user("educator1", "educator")
    trainee = _user("trainee1", "trainee")
    case = case_create(data=WALKTHROUGH_CASE, user=educator)
    session = BoardSession.objects.create(title="Week 7", educator=educator)
    found = {}
    page.goto("/accounts/login/")
    found["login"] = _serious(page)
    _sign_in(page, "trainee1")
    for name, path in [
        ("home", "/"),
        ("case list", "/cases/"),
        ("form", "/cases/new/"),
        ("case page", f"/cases/{case.code}/"),
        ("print", f"/cases/{case.code}/print/"),
        ("knowledge browser", "/knowledge/"),
        ("releases", "/knowledge/releases/"),
        ("sessions", "/sessions/"),
        ("session", f"/sessions/{session.pk}/"),
        ("cohort", "/cohort/"),
        ("403", f"/cases/{case.code}/edit/"),
    ]:
        page.goto(path)
        found[name] = _serious(page)
    page.goto("/cases/new/")
    page.get_by_role("button", name="Save case").click()
    page.wait_for_selector(".error-summary")
    found["form with errors"] = _serious(page)
    assert {name: v for name, v in found.items() if v} == {}
    assert trainee.pk


def test_the_case_page_leads_with_the_answer(page):
    from cases.services import case_create

    trainee = _user("trainee1", "trainee")
    case = case_create(data=WALKTHROUGH_CASE, user=trainee)
    _sign_in(page, "trainee1")
    for width, height, screens in [(1366, 900, 1), (390, 844, 2)]:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/cases/{case.code}/")
        summary = page.locator(".summary-line").inner_text()
        assert re.match(r"\d+ suggestions?: ", summary)
        first = page.locator("article.recommendation").first
        assert "Approved indication" in first.inner_text()
        # Strongest evidence first, all the way down.
        from rules.choices import EvidenceLevel

        rank = {level: i for i, level in enumerate(EvidenceLevel.values)}
        levels = page.eval_on_selector_all(
            "article.recommendation .badge",
            "els => els.map(e => [...e.classList].find(c => c.startsWith('evidence-')).slice(9))",
        )
        assert levels and [rank[v] for v in levels] == sorted(rank[v] for v in levels)
        assert first.bounding_box()["y"] < screens * height
        _shot(page, f"case-page-{width}")
    # The full profile is below the suggestions, linked from the one-line summary.
    page.get_by_role("link", name="Full profile").click()
    assert page.locator("#profile-title").is_visible()


def test_a_refusal_is_a_page_of_the_site_that_says_why(page):
    from cases.services import case_create

    author = _user("trainee2", "trainee")
    case = case_create(data=WALKTHROUGH_CASE, user=author)
    _user("trainee1", "trainee")
    _sign_in(page, "trainee1")
    response = page.goto(f"/cases/{case.code}/edit/")
    assert response.status == 403
    body = page.locator("main").inner_text()
    assert "Only the case's author can change it." in body
    assert "Not for clinical use." in page.locator("header").inner_text()


def test_scrolling_tables_are_reachable_by_keyboard(page):
    _user("trainee1", "trainee")
    _sign_in(page, "trainee1")
    page.goto("/cohort/")
    regions = page.locator(".table-scroll")
    assert regions.count() >= 1
    assert regions.first.get_attribute("tabindex") == "0"


PDFTOTEXT = "/usr/bin/pdftotext"


@pytest.mark.skipif(not os.path.exists(PDFTOTEXT), reason="apt-get install -y poppler-utils")
def test_a_longer_print_keeps_case_release_and_disclaimer_on_every_page(page, tmp_path):
    import subprocess

    from cases.services import case_create

    trainee = _user("trainee1", "trainee")
    case = case_create(data=WALKTHROUGH_CASE, user=trainee)
    _sign_in(page, "trainee1")
    page.goto(f"/cases/{case.code}/print/")
    assert page.get_by_role("link", name=f"Back to case {case.code}").is_visible()
    # A case with many more suggestions: the list repeated until it runs over pages.
    page.evaluate(
        "const ol = document.querySelector('ol.items'); ol.innerHTML = ol.innerHTML.repeat(8)"
    )
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(page.pdf(format="A4"))
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages >= 2
    for number in range(1, pages + 1):
        text = subprocess.run(
            [PDFTOTEXT, "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        flat = " ".join(text.split())
        assert f"Case {case.code}" in flat, number
        assert "release 2026.3" in flat, number
        assert "Not for clinical use." in flat, number


def test_a_second_curator_approves_and_rejects_changes_in_the_admin(page):
    from rules.models import Rule
    from tests.factories import token_client

    author = _user("curator1", "curator")
    reviewer = _user("curator2", "curator")
    reviewer.is_staff = True
    reviewer.save()
    released_met = Rule.objects.get(slug="met-overexpression").title
    for slug, title in [
        ("pi3k-inhibitor-with-trastuzumab", "PI3K inhibition beside trastuzumab (edited)"),
        ("met-overexpression", "MET overexpression (edited)"),
    ]:
        rule = Rule.objects.get(slug=slug)
        response = token_client(author).patch(
            f"/api/v1/rules/{slug}/",
            {"title": title, "version": rule.version, "change_reason": f"Edit of {slug}."},
            format="json",
        )
        assert response.status_code == 200

    _sign_in(page, "curator2")
    page.goto("/admin/rules/release/review/")
    first = page.locator("#change-rules-pi3k-inhibitor-with-trastuzumab")
    assert "PI3K inhibition beside trastuzumab (edited)" in first.locator("ins").all_inner_texts()
    assert "Edit of pi3k-inhibitor-with-trastuzumab." in first.inner_text()
    first.get_by_role("button", name="Approve").click()
    page.wait_for_url("**/admin/rules/release/review/")
    assert "Approved rules pi3k-inhibitor-with-trastuzumab" in page.locator("body").inner_text()
    assert (
        "Approved by curator2"
        in page.locator("#change-rules-pi3k-inhibitor-with-trastuzumab").inner_text()
    )

    second = page.locator("#change-rules-met-overexpression")
    second.get_by_label("Reason to reject").fill("The review says expression, not amplification.")
    second.get_by_role("button", name="Reject").click()
    page.wait_for_url("**/admin/rules/release/review/")
    assert "Rejected rules met-overexpression" in page.locator("body").inner_text()
    assert page.locator("#change-rules-met-overexpression").count() == 0
    assert Rule.objects.get(slug="met-overexpression").title == released_met


def test_the_rule_list_shows_status_evidence_and_review_at_1366(page):
    curator = _user("curator1", "curator")
    curator.is_staff = True
    curator.save()
    _sign_in(page, "curator1")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/admin/rules/rule/")
    for header in ("Status", "Evidence level", "Review"):
        cell = page.locator("#result_list thead th", has_text=header).first
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1366, header
    assert "released" in page.locator("#result_list tbody").inner_text()


def test_the_knowledge_browser_searches_whole_words_and_narrows_by_facets(page):
    _user("trainee1", "trainee")
    _sign_in(page, "trainee1")
    page.goto("/knowledge/")
    everything = page.get_by_role("status").first.inner_text()
    page.get_by_label("Search rules and references").fill("ALPELÍSIB")
    page.get_by_role("button", name="Search").click()
    found = page.get_by_role("status").first.inner_text()
    assert found != everything and "for “ALPELÍSIB”" in found
    assert page.locator("main mark").first.inner_text().lower() == "alpelisib"
    facets = page.get_by_role("navigation", name="Narrow down")
    facet = facets.get_by_role("link").first
    label = facet.inner_text()
    count = int(facets.locator(".count").first.inner_text().strip("()"))
    facet.click()
    assert f"<strong>{count} of " in page.content()
    assert facets.get_by_role("link", name=label).get_attribute("aria-current") == "true"
    assert page.get_by_label("Search rules and references").input_value() == "ALPELÍSIB"
    assert _serious(page) == []
    page.get_by_label("Search rules and references").fill("tucatinib")
    page.get_by_role("button", name="Search").click()
    assert "Not covered by this review." in page.locator("main").inner_text()


def test_the_cohort_template_round_trip(page, tmp_path):
    _user("trainee1", "trainee")
    _sign_in(page, "trainee1")
    page.goto("/cohort/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel template").click()
    path = tmp_path / "template.xlsx"
    download.value.save_as(path)
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(str(path))
    page.get_by_label("Show its dashboard (nothing stored)").check()
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="1 case from uploaded file template.xlsx").wait_for()
    assert CaseProfile.objects.count() == 0
    with page.expect_download() as evaluated:
        page.get_by_role("link", name="CSV").last.click()
    assert "evaluation.rule_titles" in evaluated.value.path().read_text()
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(str(path))
    page.get_by_label("Import the cases").check()
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Imported 1 case.").wait_for()
    assert CaseProfile.objects.count() == 1
    assert _serious(page) == []


def test_propose_first_holds_on_every_path_until_the_trainee_proposes(page):
    from board.models import BoardSession
    from board.snapshots import snapshot_create
    from cases.services import case_create
    from tests.factories import CONTRACT_EXAMPLE

    educator = _user("educator1", "educator")
    trainee = _user("trainee1", "trainee")
    case = case_create(data=CONTRACT_EXAMPLE, user=educator)
    snapshot = snapshot_create(case=case, user=educator)
    session = BoardSession.objects.create(title="Week 10", educator=educator)
    session.sessioncase_set.create(case=case)
    from knox.models import get_token_model

    headers = {"Authorization": f"Token {get_token_model().objects.create(trainee)[1]}"}
    api = f"/api/v1/cases/{case.code}"
    cds = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/1", "patientId": "1", "caseCode": case.code},
    }

    def held() -> list[int]:
        request = page.request
        return [
            request.get(f"{api}/evaluation/", headers=headers).status,
            request.get(f"{api}/evaluations/", headers=headers).status,
            request.post(f"{api}/evaluations/", headers=headers).status,
            request.get(f"{api}/evaluations/{snapshot.pk}/changes/", headers=headers).status,
            request.post(
                "/cds-services/her2-trastuzumab-resistance", headers=headers, data=cds
            ).status,
            page.goto(f"/cases/{case.code}/print/").status,
        ]

    _sign_in(page, "trainee1")
    page.goto(f"/cases/{case.code}/")
    body = page.locator("main").inner_text()
    assert "Propose first" in body and "Suggestions from the review" not in body
    assert held() == [403] * 6
    assert "Propose first" in page.locator("main").inner_text()  # the print refusal says why
    _propose(
        page,
        f"{page.url.split('/cases/')[0]}/sessions/{session.pk}/",
        case.code,
        "Trastuzumab combined with a PI3Kα inhibitor (alpelisib)",
        "trial referral",
        "Clinical study or patient cohort",
    )
    assert held() == [200, 200, 201, 200, 200, 200]
    page.goto(f"/cases/{case.code}/")
    assert "Suggestions from the review" in page.locator("main").inner_text()
