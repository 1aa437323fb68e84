"""The de-identification screen measured on labelled corpora, and how it refuses."""

import json
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.deid import SCREENS, control_characters_validate, text_findings, text_screen
from cases.deid.allowlist import ALLOWED
from cases.deid.names import _ABBREVIATED_TITLES
from cases.deid.screens import RegexScreen

ROOT = Path(__file__).resolve().parents[2]
CORPORA = {
    "shared dev corpus": ROOT / "tests" / "data" / "shared" / "deid" / "dev-corpus.json",
    "project corpus": ROOT / "tests" / "data" / "deid-corpus.json",
    "security review 2": ROOT / "tests" / "data" / "security-review-2-deid.json",
}


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_identifiers_are_refused_and_prose_accepted_on_each_corpus(name):
    corpus = json.loads(CORPORA[name].read_text(encoding="utf-8"))
    caught = defaultdict(list)
    for item in corpus["identifiers"]:
        caught[item["category"]].append(bool(text_findings(item["text"])))
    recall = sum(map(sum, caught.values())) / sum(map(len, caught.values()))
    per_category = {c: sum(hits) / len(hits) for c, hits in caught.items()}
    accepted = [item["text"] for item in corpus["clinical"] if not text_findings(item["text"])]
    assert recall >= 0.97
    assert min(per_category.values()) >= 0.90, per_category
    assert len(accepted) / len(corpus["clinical"]) >= 0.97


def _report_attempts(part: str) -> list:
    corpus = json.loads(CORPORA["security review 2"].read_text(encoding="utf-8"))
    return [pytest.param(item["text"], id=f"attempt-{item['attempt']}") for item in corpus[part]]


@pytest.mark.parametrize("text", _report_attempts("identifiers"))
def test_every_identifier_the_second_security_review_tried_is_refused(text):
    assert text_findings(text)


@pytest.mark.parametrize("text", _report_attempts("clinical"))
def test_all_clinical_prose_the_second_security_review_tried_is_accepted(text):
    assert not text_findings(text)


def test_a_refusal_names_the_kind_and_the_characters_not_the_text():
    text = "HER2 3+. Seen with her husband Mark Petrenko on 12-Mar-2021"
    with pytest.raises(ValidationError) as info:
        text_screen(text)
    messages = " ".join(info.value.messages)
    assert "a person's name (characters 32–44)" in messages
    assert "a date" in messages and "characters 49–59" in messages
    assert "Petrenko" not in messages and "Mar" not in messages
    assert text[31:44] == "Mark Petrenko"


def test_an_iso_date_is_reported_as_a_date_not_a_phone_number():
    kinds = [f.kind for f in text_findings("relapse 2021-05-14")]
    assert len(kinds) == 1 and kinds[0].startswith("a date")


@pytest.mark.parametrize(
    "reference",
    [
        "NCT03529110",
        "PMID 22149876",
        "rs121913279",
        "NM_004448.4:c.2329G>T",
        "LOINC 85319-2",
        "85318-4",
        "2021-2023",
        "d1577c69-dfbe-44ad-ba6d-3e0512345678",
    ],
)
def test_clinical_references_that_look_like_numbers_are_accepted(reference):
    assert text_findings(f"see {reference} for this case") == []


def test_a_number_with_a_wrong_loinc_check_digit_is_not_masked():
    assert text_findings("ref 85319-2") == []  # a valid LOINC code is masked
    assert text_findings("ref 85319-3") != []  # the same digits with a wrong check digit


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\u202e"])
def test_control_characters_are_refused_in_screened_and_curated_text(char):
    with pytest.raises(ValidationError, match="control characters"):
        text_screen(f"HER2 3+{char}")
    with pytest.raises(ValidationError, match="control characters"):
        control_characters_validate(f"Pertuzumab{char}")


def test_line_breaks_and_tabs_are_plain_text():
    text_screen("HER2 3+\r\nER 90%\tPR 10%")
    control_characters_validate("line one\nline two")


def test_a_long_clinical_note_is_accepted():
    assert text_findings("HER2 3+, ER 90%, Ki-67 30%. " * 80) == []


def test_clinical_phrases_joined_into_notes_are_accepted():
    # Sentence ends between numbers ("BMI 27.4. 10-15% of cells") are not phone numbers.
    prose = [i["text"] for i in json.loads(CORPORA["project corpus"].read_text())["clinical"]]
    refused = [f"{a}. {b}" for a in prose for b in prose if text_findings(f"{a}. {b}")]
    assert refused == []


def _every_regex_screen():
    return [s for s in (*SCREENS, ALLOWED, _ABBREVIATED_TITLES) if isinstance(s, RegexScreen)]


def _untriggered(screen):
    """The same screen with every pattern tried on every text."""
    copy = object.__new__(type(screen))
    copy.__dict__.update(screen.__dict__)
    copy._groups = [(triggers, None, (), compiled) for triggers, _, _, compiled in screen._groups]
    return copy


_CORPUS_TEXTS = [
    item["text"]
    for path in CORPORA.values()
    for part in ("identifiers", "clinical")
    for item in json.loads(path.read_text(encoding="utf-8"))[part]
]


@given(
    st.lists(st.sampled_from(_CORPUS_TEXTS), min_size=1, max_size=4),
    st.sampled_from([str, str.upper, str.lower, lambda t: t.replace(" ", "")]),
)
@settings(max_examples=300, deadline=None)
def test_triggers_only_make_a_screen_fast_never_change_what_it_finds(parts, variant):
    # Triggers skip a pattern the text cannot match; with every pattern tried on every text,
    # each screen must find exactly the same spans, identifiers and prose alike.
    text = variant(". ".join(parts))
    for screen in _every_regex_screen():
        assert screen.find(text) == _untriggered(screen).find(text), type(screen).__name__


@pytest.mark.parametrize(
    "text",
    [
        "Mayo Clinic criteria for HER2 testing were applied",
        "the Manchester score was low",
        "Nottingham grade 2, St Gallen consensus",
    ],
)
def test_named_clinical_scores_and_criteria_are_accepted(text):
    # Security review 2, L7: a place's name before "criteria" or "score" names a method.
    assert text_findings(text) == []


def test_the_same_place_outside_a_score_is_still_refused():
    assert text_findings("lives in Manchester near the station") != []
