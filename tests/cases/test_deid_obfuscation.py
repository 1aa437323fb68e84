"""The identifier screen sees through obfuscation (security review 2, M4): invisible format
characters, look-alike letters from other scripts, and superscript, subscript or circled
digits; and its messages still point at the user's own characters."""

import pytest
from django.core.exceptions import ValidationError

from cases.deid import text_findings, text_prepare, text_screen

ZWSP, SHY = "\u200b", "\u00ad"


def test_format_characters_are_dropped_and_offsets_point_at_the_users_text():
    text = f"see Mrs. Ko{ZWSP}walska today"
    prepared, offsets = text_prepare(text)
    assert prepared == "see Mrs. Kowalska today"
    assert offsets[prepared.index("w")] == text.index("w")  # after the dropped character
    (finding,) = text_findings(text)
    assert text[finding.start : finding.end] == f"Mrs. Ko{ZWSP}walska"


@pytest.mark.parametrize(
    "text",
    [
        "seen by Mrs. K\u043ewalska",  # Cyrillic о
        "Dr. \u039cartin reviewed",  # Greek Μ
        f"MRN 12{ZWSP}34{ZWSP}567",
        f"on 2{SHY}0{SHY}2{SHY}4-05-01",
        "born \u00b9\u2075/\u2070\u00b3/\u00b9\u2079\u2076\u00b9",  # superscript digits
        "on \u2460\u2461/\u2460\u2462/\u2461\u2460\u2461\u2462",  # circled digits
        "on \u2081\u2085.\u2080\u2083.\u2082\u2080\u2082\u2084",  # subscript digits
    ],
)
def test_obfuscated_identifiers_are_refused(text):
    with pytest.raises(ValidationError):
        text_screen(text)


@pytest.mark.parametrize(
    "text",
    [
        "\u043f\u0440\u043e\u0433\u0440\u0435\u0441\u0443\u0432\u0430\u043d\u043d\u044f "
        "\u043f\u0456\u0441\u043b\u044f \u0442\u0440\u0430\u0441\u0442\u0443\u0437\u0443"
        "\u043c\u0430\u0431\u0443",  # Ukrainian prose: one script, never folded
        "\u03b2-blocker propranolol with trastuzumab",
        "CD44\u207a/CD24\u207b stem-like cells, HER2 3+",
    ],
)
def test_clinical_text_in_other_scripts_is_accepted(text):
    text_screen(text)
    assert text_prepare(text)[0].count("\u043f") == text.count("\u043f")


@pytest.mark.parametrize(
    "text",
    [
        "mail jane [at] example [.] org",
        "hxxp://evil[.]example/x",
        "ip 10[.]0[.]0[.]12",
        "reach her at user@host",
        "follow @jsmith_84 for updates",
        "PO Box 1234",
        "at 50.4501, 30.5234 on the map",
        "ref 7.7.3.1.0.2",
    ],
)
def test_defanged_bare_and_located_identifiers_are_refused(text):
    with pytest.raises(ValidationError):
        text_screen(text)


def test_a_defanged_address_is_reported_where_the_user_wrote_it():
    text = "mail jane [at] example [.] org today"
    (finding,) = text_findings(text)
    assert text[finding.start : finding.end] == "jane [at] example [.] org"


@pytest.mark.parametrize(
    "text",
    ["ER 90% @ 3+", "HR 0.64 (95% CI 0.49-0.84)", "ratio 2.5, 3.1 and 4.0", "grades 1, 2, 3"],
)
def test_numbers_and_at_signs_in_clinical_text_are_accepted(text):
    text_screen(text)
