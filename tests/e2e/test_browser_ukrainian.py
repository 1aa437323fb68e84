"""The site in Ukrainian, in Debian's Chromium: a trainee switches the language in the
header, enters a case with mistakes, proposes in a board session and reads the case page.
`lang` is `uk`, the interface's own words are Ukrainian, and axe finds nothing serious.

The knowledge base's text shows in its released translation, labelled while no second
curator has approved it, with the English one click away (issue #34, part 2); marker
descriptions and the review's quotes stay English."""

import re

import pytest

from tests.e2e.test_browser import PASSWORD, _serious, _user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# English words that may stay on a Ukrainian page: codes, drug and assay names, people.
AS_THEY_ARE = {"her2-board", "HER2", "IHC", "ISH", "ER", "PR", "PIK3CA", "PTEN", "CDK4/6",
               "T-DM1", "T-DXd", "RECIST", "Vynnychenko", "Moskalenko", "Regulatory",
               "Mechanisms", "in", "Biosystems", "API", "CSV", "UTC", "trainee1", "educator1",
               "TB-", "PubMed", "CR", "PD", "SD", "NE", "GSE1", "ASCO/CAP", "DOI",
               "doi"}  # fmt: skip


def _english(text: str) -> list[str]:
    """Latin-letter words of a text that are not codes (with a digit: MUC4, p95HER2) or
    names."""
    words = [w.rstrip("-") for w in re.findall(r"[A-Za-z][A-Za-z0-9/+-]*", text)]
    return [w for w in words if w not in AS_THEY_ARE and not re.search(r"\d", w)]


def _sign_in_ukrainian(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Language").select_option("uk")
    page.get_by_role("button", name="Change").click()
    page.get_by_label("Ім’я користувача").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Увійти").click()
    page.wait_for_url("**/")


def test_a_trainee_works_through_a_case_and_a_session_in_ukrainian(page):
    from board.models import BoardSession
    from cases.services import case_create
    from core.models import Preference
    from tests.factories import CONTRACT_EXAMPLE

    educator = _user("educator1", "educator")
    trainee = _user("trainee1", "trainee")
    _sign_in_ukrainian(page, "trainee1")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert Preference.objects.get(user=trainee).language == "uk"
    found = {}

    # The case form, refused: the summary, each field's error and the labels in Ukrainian.
    page.goto("/cases/new/")
    page.get_by_label("Відповідь на трастузумаб").select_option("acquired_resistance")
    page.get_by_label("HER2 ІГХ").select_option("3+")
    page.get_by_label("Нотатки").fill("Seen by Dr Smith at the clinic")
    page.get_by_role("button", name="Зберегти випадок").click()
    summary = page.locator(".error-summary").inner_text()
    assert "Нічого не збережено: треба виправити 2 місця" in summary
    assert "Клінічна ситуація: Це поле обов’язкове." in summary.replace("'", "’")
    assert "схоже, він містить ім’я людини" in summary
    assert _english(summary) == []
    form_words = page.locator("fieldset.section").first.inner_text()
    assert _english(form_words) == []
    found["case form"] = _serious(page)

    # A board session: the proposal form and the reveal's table in Ukrainian.
    case = case_create(data=CONTRACT_EXAMPLE, user=educator)
    session = BoardSession.objects.create(title="Тиждень 3", educator=educator)
    session.sessioncase_set.create(case=case, position=0)
    page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("link", name=case.code).click()
    page.get_by_label("Вибір 1 (найсильніший)").select_option(
        label="Трастузумаб дерукстекан (T-DXd)"
    )
    page.get_by_label("Доказовість вашого першого вибору").select_option(
        label="Затверджене показання"
    )
    found["proposal form"] = _serious(page)
    page.get_by_role("button", name="Надіслати мою пропозицію").click()
    page.get_by_role("heading", name="Ваша пропозиція, рішення консиліуму і рушій").wait_for()
    reveal = page.locator("table.three-columns").inner_text()
    assert "Ваш вибір" in reveal and "Консиліум" in reveal and "Рушій" in reveal
    assert "Рішення — після блокування пропозицій" in reveal
    found["reveal"] = _serious(page)

    # The case page: the summary line, headings and the profile in Ukrainian.
    page.goto(f"/cases/{case.code}/")
    main = page.locator("main")
    assert page.get_by_role("heading", name="Пропозиції з огляду").count() == 1
    line = page.locator(".summary-line").inner_text()
    assert re.match(r"\d+ пропозиц", line) and _english(line) == []
    profile = page.locator("dl.profile").inner_text()
    assert "Набута резистентність" in profile and _english(profile) == []
    assert "В огляді сказано:" in main.inner_text()
    first = main.locator("article.recommendation").first
    assert re.search("[а-яіїєґ]{4}", first.locator("h3").inner_text())
    assert "Переклад ще не перевірено" in first.inner_text()
    original = first.locator('.translation-unreviewed div[lang="en"]')
    assert not original.is_visible()
    first.get_by_text("Оригінал англійською").click()
    assert original.is_visible() and re.search("[A-Za-z]{4}", original.inner_text())
    found["case page"] = _serious(page)
    assert {name: v for name, v in found.items() if v} == {}
