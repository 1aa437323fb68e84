"""The interface in English and Ukrainian: every string users read is marked, `uk` lacks no
message, the language follows the switcher, the user's preference and Accept-Language, and
payloads stay English for the programs that read them."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.template.base import Lexer, TokenType
from django.utils.functional import Promise

from core.catalogue import catalogue_gaps, catalogue_read, messages_extract
from core.models import Preference
from tests.factories import form_data

ROOT = Path(settings.BASE_DIR)
UK = {"HTTP_ACCEPT_LANGUAGE": "uk"}
TEMPLATE_DIRS = ["templates", "core/templates", "cases/templates", "rules/templates",
                 "board/templates"]  # fmt: skip
# Third-party pages we only restyle (Swagger UI, Redoc): no text of ours.
NOT_OURS = {"templates/drf_spectacular"}
# Words a page shows as they are in every language: codes, names, units.
AS_THEY_ARE = {"her2-board", "HER2", "IHC", "ISH", "ER", "PR", "PIK3CA", "PTEN", "CSV", "UTC",
               "PubMed", "doi", "CIViC", "AMP/ASCO/CAP", "TB-XXXXXX", "Authorization", "Token",
               "lt", "key", "gt", "amp", "make", "run"}  # fmt: skip
TAG = re.compile(r"<[^>]*>")
PLACEHOLDER = re.compile(r"\x00\d+\x00")


def _unmarked_text(source: str) -> list[str]:
    """Text of a Django template that is not inside a translate tag (markup, template tags,
    comments and script bodies aside)."""
    pieces, inside, found = [], None, []
    for token in Lexer(source).tokenize():
        word = token.contents.split()[0] if token.token_type == TokenType.BLOCK else ""
        # Words handed to an included template or shown when a value is empty.
        if word in ("include", "with") or token.token_type == TokenType.VAR:
            found += [
                text
                for name, text in re.findall(r'(\w+)[=:]"([^"]*)"', token.contents)
                if name not in ("chart_id", "with")
                and re.search(r"[A-Za-z]{2}", text)
                and not text.endswith(".html")
            ]
        if inside:
            inside = None if word == f"end{inside}" else inside
            pieces.append("\x000\x00")
        elif word in ("blocktranslate", "blocktrans", "comment"):
            inside = word
            pieces.append("\x000\x00")
        else:
            text = token.contents if token.token_type == TokenType.TEXT else "\x000\x00"
            pieces.append(text)
    flat = re.sub(r"<(script|style)\b.*?</\1>", " ", "".join(pieces), flags=re.S | re.I)
    for chunk in TAG.split(flat):
        for text in PLACEHOLDER.split(chunk):
            text = " ".join(text.split())
            words = re.findall(r"[A-Za-z][\w/-]*", text)
            if any(word not in AS_THEY_ARE for word in words):
                found.append(text)
    for tag in TAG.findall(flat):
        for name, value in re.findall(r'\b(aria-label|title|placeholder|alt)="([^"]*)"', tag):
            if re.search(r"[A-Za-z]", PLACEHOLDER.sub("", value)):
                found.append(f"{name}={value}")
    return found


def _templates():
    for folder in TEMPLATE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.html")):
            if not any(str(path.relative_to(ROOT)).startswith(skip) for skip in NOT_OURS):
                yield path


def test_every_template_string_users_read_is_marked_for_translation():
    unmarked = {
        str(path.relative_to(ROOT)): found
        for path in _templates()
        if (found := _unmarked_text(path.read_text()))
    }
    assert unmarked == {}


def test_the_template_check_finds_an_unmarked_string():
    assert _unmarked_text('{% load i18n %}<p title="Hello">{% translate "Hi" %} there</p>') == [
        "there",
        "title=Hello",
    ]
    assert _unmarked_text('<a href="{% url "x" %}">{% translate "Go" %}</a> · HER2') == []
    assert _unmarked_text('{% include "a.html" with caption="By status" %}') == ["By status"]
    assert _unmarked_text('{{ x|default:"none" }}{{ y|default:_("none") }}') == ["none"]


def _form_classes():
    from django import forms

    from board import decision_forms
    from board import forms as board_forms
    from cases import forms as case_forms

    for module in (board_forms, decision_forms, case_forms):
        for value in vars(module).values():
            is_form = isinstance(value, type) and issubclass(value, forms.BaseForm)
            if is_form and value.__module__ == module.__name__:
                yield value


def test_every_form_label_help_and_choice_is_marked_for_translation():
    unmarked = []
    for form in _form_classes():
        for name, field in form.base_fields.items():
            if field.label is None and not field.widget.is_hidden:
                unmarked.append(f"{form.__name__}.{name}: no label (its name would show)")
            for what in ("label", "help_text"):
                text = getattr(field, what)
                if text and not isinstance(text, Promise):
                    unmarked.append(f"{form.__name__}.{name}.{what}: {text}")
            for value, label in getattr(field, "choices", ()) or ():
                if not isinstance(label, Promise) and re.search(r"[A-Za-z]", str(label)):
                    unmarked.append(f"{form.__name__}.{name} choice {value}: {label}")
    assert unmarked == []


def test_ukrainian_lacks_no_message_and_its_compiled_catalogue_is_current():
    assert catalogue_gaps("uk") == []


def test_a_message_marked_in_code_but_missing_from_ukrainian_is_a_gap(tmp_path, settings):
    (tmp_path / "uk" / "LC_MESSAGES").mkdir(parents=True)
    settings.LOCALE_PATHS = [tmp_path]
    gaps = catalogue_gaps("uk")
    assert any("'Save case' has no uk translation" in gap for gap in gaps)
    assert any("not the .po compiled" in gap for gap in gaps)


def test_ukrainian_has_three_plural_forms_and_every_plural_message_fills_them():
    catalogue = catalogue_read("uk")
    assert catalogue.num_plurals == 3
    plurals = [m for m in messages_extract() if not isinstance(m.id, str)]
    assert len(plurals) > 20
    for message in plurals:
        strings = catalogue.get(message.id[0]).string
        assert len(strings) == 3 and all(strings), message


def test_a_page_answers_in_the_language_the_browser_asks_for(client):
    page = client.get("/", **UK)
    text = page.content.decode()
    assert page["Content-Language"] == "uk"
    assert '<html lang="uk">' in text
    assert "Не для клінічного використання." in text
    assert "Лише для досліджень і навчання." in text  # the disclaimer itself
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en-gb"
    assert "Not for clinical use." in english.content.decode()


def test_the_switcher_sets_the_language_and_the_signed_in_users_preference(client, trainee):
    client.force_login(trainee)
    response = client.post("/language/", {"language": "uk", "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert Preference.objects.get(user=trainee).language == "uk"
    # The cookie now wins over the browser's own language.
    page = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="uk">' in page and "Випадки" in page


def test_the_switcher_refuses_an_unknown_language_and_an_outside_next(client, trainee):
    client.force_login(trainee)
    response = client.post("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]
    assert not Preference.objects.filter(user=trainee).exists()


def test_signing_in_brings_back_the_users_language_on_a_new_device(client, db):
    user = User.objects.create_user("olena", password="a-long-enough-passphrase")
    Preference.objects.create(user=user, language="uk")
    response = client.post(
        "/accounts/login/", {"username": "olena", "password": "a-long-enough-passphrase"}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uk"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="uk">' in page


def test_the_case_form_in_ukrainian_names_each_error_in_ukrainian_with_plural_forms(
    client, trainee, profile
):
    client.force_login(trainee)
    data = {**form_data(profile), "notes": "Seen by Dr Smith"}
    del data["setting"]
    page = client.post("/cases/new/", data, **UK).content.decode()
    assert "Нічого не збережено: треба виправити 2 місця" in page
    assert "Клінічна ситуація" in page and "(обов’язково)" in page
    assert "Цей текст має бути знеособленим; схоже, він містить ім’я людини" in page
    assert "Ранній" in page and "Трастузумаб" in page  # choices
    for english in ("Nothing was saved", "(required)", "This text must be", "Early"):
        assert english not in page
    data["her2_ihc"] = "0"
    data["er"] = "sometimes"
    page = client.post("/cases/new/", data, **UK).content.decode()
    assert "Нічого не збережено: треба виправити 3 місця" in page


def test_the_api_answers_problems_in_the_asked_language_and_keeps_codes_english(
    api_client, trainee
):
    api_client.force_authenticate(trainee)
    response = api_client.post("/api/v1/evaluate/", {"setting": "later"}, format="json", **UK)
    body = response.json()
    assert response.status_code == 400 and response["Content-Language"] == "uk"
    assert body["title"] == "Неправильні вхідні дані"
    assert body["type"] == "urn:her2-board:problem:invalid-input"
    assert "setting" in body["errors"]  # field names stay English
    assert (
        "Неприйнятне значення. setting приймає одне з: early, neoadjuvant"
        in (body["errors"]["setting"][0])
    )
    missing = api_client.get("/api/v1/nothing-here/", **UK).json()
    assert missing["title"] == "Не знайдено"
    assert missing["detail"] == "За цією адресою нічого немає."


def test_an_evaluation_payload_stays_english_whatever_the_language(api_client, trainee, profile):
    api_client.force_authenticate(trainee)
    asked = [
        api_client.post("/api/v1/evaluate/", profile, format="json", HTTP_ACCEPT_LANGUAGE=lang)
        for lang in ("uk", "en", "uk")
    ]
    bodies = [response.json() for response in asked]
    assert bodies[0] == bodies[1] == bodies[2]
    labels = {item["evidence_label"] for item in bodies[0]["recommendations"]}
    assert labels and all(re.fullmatch(r"[ -~]+", label) for label in labels)
    assert bodies[0]["disclaimer"].startswith("Research and training use only.")


@pytest.mark.parametrize("count, words", [(1, "1 пропозиція"), (3, "3 пропозиції"),
                                           (5, "5 пропозицій"), (21, "21 пропозиція")])  # fmt: skip
def test_ukrainian_counts_take_the_right_plural_form(count, words):
    from django.utils import translation

    from board.presentation import evaluation_summary

    payload = {"recommendations": [{"evidence_level": "preclinical", "kind": "strategy"}] * count}
    with translation.override("uk"):
        assert evaluation_summary(payload).startswith(words + ":")


def test_an_upload_is_refused_in_the_page_language(client, trainee):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(trainee)
    table = b"setting,trastuzumab_response,her2_ihc,colour\nlater,naive,3+,blue\n"
    upload = SimpleUploadedFile("cases.csv", table, content_type="text/csv")
    page = client.post("/cohort/", {"file": upload, "action": "dashboard"}, **UK)
    text = page.content.decode()
    assert "Файл відхилено; нічого не збережено" in text
    assert "Невідомий стовпець; відхилено." in text
    assert "Неприйнятне значення. setting приймає одне з: early" in text


def _kb_words(payload: dict) -> set[str]:
    """Every text of an evaluation payload that comes from the knowledge base (in English,
    and in the release's Ukrainian) or from the review itself."""
    from rules.models import Release

    released = Release.objects.newest().knowledge_base
    texts: set[str] = {
        text
        for section in ("rules", "strategies", "mechanisms")
        for entry in released[section]
        for name in ("title_uk", "rationale_uk", "name_uk")
        for text in [entry.get(name) or ""]
    }
    for item in payload["recommendations"] + payload.get("research_leads", []):
        texts |= {item["title"], item["rationale"], item["mechanism"], item["strategy"] or ""}
        texts |= set(item["agents"]) | {q["quote"] for q in item.get("provenance", [])}
        for citation in item["citations"]:
            texts |= {citation[k] or "" for k in ("label", "authors", "title", "journal", "doi")}
            texts |= set(citation["caveats"])
    for test in payload["suggested_tests"] + payload["research_assays"]:
        texts |= {test["label"], *test["adds"], *test["removes"]}
    return texts - {""}


def _english_left(page: str, payload: dict) -> list[str]:
    """English words of a page's main part (its body for the print view) once the knowledge
    base's text, the review's words (lang="en"), names and codes are set aside."""
    main = page.split("<main", 1)[1].split(">", 1)[1] if "<main" in page else page
    main = re.sub(r"<(script|title)\b.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r'<(\w+)[^>]*\blang="en"[^>]*>.*?</\1>', " ", main, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", main))
    for known in sorted(_kb_words(payload), key=len, reverse=True):
        text = text.replace(known, " ")
    words = {w for w in re.findall(r"[\w'’-]{4,}", text) if re.search("[A-Za-z]", w)}
    # Names, codes (capitals or digits) and Latin terms are the same in every language.
    kept = {"Vynnychenko", "Moskalenko", "PubMed", "CIViC", "vivo", "vitro"}
    return sorted(w for w in words if w not in kept and not re.search(r"\d|[A-Z]{2}", w))


@pytest.mark.parametrize("view", ["", "print/"])
def test_the_case_page_and_print_in_ukrainian_hold_no_english_but_the_knowledge_bases(
    client, trainee, profile, view
):
    from cases.services import case_create
    from rules.evaluation import profile_evaluate

    case = case_create(data={**profile, "notes": ""}, user=trainee)
    client.force_login(trainee)
    page = client.get(case.get_absolute_url() + view, **UK).content.decode()
    assert '<html lang="uk">' in page
    assert _english_left(page, profile_evaluate(profile=case.as_profile())) == []


def test_a_therapy_already_given_is_said_in_the_page_language_and_stays_english_in_the_api(
    client, api_client, trainee, profile
):
    from cases.services import case_create

    given = {**profile, "er": "positive", "prior_therapies": ["trastuzumab", "endocrine"]}
    case = case_create(data={**given, "notes": ""}, user=trainee)
    client.force_login(trainee)
    page = client.get(case.get_absolute_url(), **UK).content.decode()
    assert "Уже отримано (ендокринна терапія): " in page
    assert "Already given" not in page
    api_client.force_authenticate(trainee)
    payload = api_client.post("/api/v1/evaluate/", given, format="json", **UK).json()
    titles = [r["title"] for r in payload["recommendations"]]
    assert any(t.startswith("Already given (endocrine therapy): ") for t in titles)
