"""Searching and sorting in Ukrainian as well as English (issue #34, part 4): the knowledge
browser finds a rule by a word of either language and folds the marks of і/ї/й/є/ґ, and
lists sort by the page language's alphabet."""

import itertools
import re

import pytest
from django.utils import translation

from board.forms import option_groups
from rules.folding import UKRAINIAN_ALPHABET, sort_key, text_fold, text_words

UK = {"HTTP_ACCEPT_LANGUAGE": "uk"}
RULE = 'id="rule-pi3k-inhibitor-with-trastuzumab"'


def test_folding_sets_aside_case_accents_and_the_marks_of_ukrainian_letters():
    assert text_fold("Kovács") == text_fold("kovacs")
    assert text_fold("Їжак") == text_fold("іжак")
    assert text_fold("Йод") == text_fold("иод")
    assert text_fold("ПОЄДНАННІ") == text_fold("поеднанні")
    assert text_fold("Ґанок") == text_fold("ганок")
    assert text_words("ад’ювантній терапії") == text_words("ад'ювантній терапіі")


def test_ukrainian_sorts_by_its_alphabet_not_by_code_points():
    words = ["Явір", "Їжак", "Йод", "Інгібітори", "Ендокринна", "Єнот", "Гарбуз", "Ґанок",
             "Блокада", "Иней", "ьа", "β-блокатор"]  # fmt: skip
    ordered = sorted(words, key=lambda w: sort_key(w, "uk"))
    assert ordered == ["Блокада", "Гарбуз", "Ґанок", "Ендокринна", "Єнот", "Иней",
                       "Інгібітори", "Їжак", "Йод", "ьа", "Явір", "β-блокатор"]  # fmt: skip
    assert sorted(words) != ordered  # code points put І and Є before А
    pairs = itertools.pairwise(UKRAINIAN_ALPHABET)
    assert all(sort_key(letter, "uk") < sort_key(after, "uk") for letter, after in pairs)
    assert sorted(["b", "Á", "a"], key=lambda w: sort_key(w, "en-gb")) == ["a", "Á", "b"]


@pytest.mark.django_db
def test_the_proposal_forms_options_sort_by_the_page_alphabet():
    with translation.override("uk"):
        choices, _strategies = option_groups()
    groups = [options for _label, options in choices if isinstance(options, list)]
    labels = [str(label) for options in groups[:-2] for _value, label in options]
    assert any(label.startswith("Трастузумаб") for label in labels)
    for options in groups[:-2]:
        shown = [str(label) for _value, label in options]
        assert shown == sorted(shown, key=lambda w: sort_key(w, "uk"))


@pytest.mark.django_db
def test_the_knowledge_browser_in_ukrainian_finds_a_rule_by_a_word_of_either_language(
    client, trainee
):
    client.force_login(trainee)
    for query in ("алпелісиб", "alpelisib", "ПОЕДНАННІ", "Alpelisib"):
        page = client.get("/knowledge/", {"q": query}, **UK).content.decode()
        assert RULE in page, query
    page = client.get("/knowledge/", {"q": "алпелісиб"}, **UK).content.decode()
    article = page[page.index(RULE) :].split("</article>", 1)[0]
    assert "<mark>алпелісибу</mark>" not in article  # whole words only
    assert re.search(r"<mark>алпелісиб</mark>", article)
    assert "Переклад ще не перевірено" in article
    # In English the Ukrainian words find nothing: the page searches what it shows.
    english = client.get("/knowledge/", {"q": "алпелісиб"}, HTTP_ACCEPT_LANGUAGE="en")
    assert RULE not in english.content.decode()


@pytest.mark.django_db
def test_the_knowledge_browser_says_when_a_rule_fires_in_the_pages_language(client, trainee):
    client.force_login(trainee)
    ukrainian = client.get("/knowledge/", {"q": "alpelisib"}, **UK).content.decode()
    article = ukrainian[ukrainian.index(RULE) :].split("</article>", 1)[0]
    assert "статус HER2: HER2-позитивний" in article
    assert "PIK3CA: мутація" in article
    assert " and " not in article.split("Спрацьовує, коли", 1)[1].split("</p>", 1)[0]
    english = client.get("/knowledge/", {"q": "alpelisib"}).content.decode()
    assert "HER2 status is positive" in english
