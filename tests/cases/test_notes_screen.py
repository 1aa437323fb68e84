"""The notes screen: every Safe Harbor identifier that can appear in text is refused;
clinical prose is accepted. Messages say what kind was found, never the text itself."""

import pytest
from django.core.exceptions import ValidationError

from cases.deid import text_screen

REFUSED = {
    # text, what the message names, the identifying token it must not echo
    # Names (a title followed by a name)
    "name_mrs": ("Mrs. Kowalska tolerated the infusion", "name", "Kowalska"),
    "name_dr": ("discussed with Dr Petrenko", "name", "Petrenko"),
    # All elements of dates except the year
    "date_slash": ("born 12/03/1961", "date", "12/03/1961"),
    "date_iso": ("biopsy on 2024-05-01", "date", "2024-05-01"),
    "date_words": ("seen 3 March 2024", "date", "March"),
    "date_us_words": ("surgery March 3, 2024", "date", "March"),
    "month_year": ("relapse in May 2023", "date", "May"),
    # Ages over 89
    "age_over_89": ("a 92-year-old woman", "age over 89", "92"),
    "aged_over_89": ("patient aged 95 with", "age over 89", "95"),
    # Telephone and fax numbers, social security numbers
    "phone_intl": ("call +38-050-926-42-34", "phone", "926"),
    "phone_us": ("fax (555) 123-4567", "phone", "123-4567"),
    "ssn": ("SSN 123-45-6789", "phone", "6789"),
    # E-mail addresses, URLs, IP addresses
    "email": ("write to someone@example.org", "e-mail", "someone@example.org"),
    "url": ("see https://hospital.example/records", "URL", "hospital.example"),
    "www": ("photo at www.example.net", "URL", "www.example.net"),
    "ip": ("uploaded from 192.168.10.4", "IP address", "192.168"),
    # Medical record, health plan, account, licence, device and vehicle numbers
    "mrn": ("MRN 4471", "record", "4471"),
    "nhs": ("NHS: 943 476", "record", "943"),
    "id_hash": ("ID#12", "record", "#12"),
    "account": ("account no. 88", "record", "88"),
    "licence": ("licence number D12", "record", "D12"),
    "device_serial": ("pump serial no 77A1", "record", "77A1"),
    "digit_run": ("reference 1234567", "six or more digits", "1234567"),
    "vin": ("car 1HGCM82633A004352", "vehicle", "1HGCM82633A004352"),
    # Geographic subdivisions smaller than a state
    "zip": ("lives near 40022 area", "postal code", "40022"),
    "uk_postcode": ("postcode SW1A 1AA", "postal code", "SW1A"),
    "street": ("lives on Pryvokzalna st. near the station", "street address", "Pryvokzalna"),
    # Markup is refused: notes are plain text
    "script": ("<script>alert(1)</script>", "markup", "alert"),
    # Unicode look-alikes are folded before screening (full-width digits)
    "fullwidth_phone": ("tel ０５０ ９２６ ４２ ３４", "phone", "９２６"),
}

ACCEPTED = [
    "HER2 3+",
    "Ki-67 20%",
    "T2N1M0",
    "progressed after 14 months on trastuzumab; IHC 2+, ISH pending",
    "ISH ratio 2.4",
    "year 2023",
    "ER 90%, PR 10%, grade 3 IDC",
    "Ki-67 <10% after 2 cycles; HER2 >0<1+ on biopsy",
    "may benefit from endocrine therapy; patient 2 in the teaching set",
    "brain metastases after 3 cycles of T-DM1; ECOG 1",
    "HER2 heterogeneity high in 2 of 4 cores; 70-year-old band",
    "",
]


@pytest.mark.parametrize("key", sorted(REFUSED))
def test_identifier_in_notes_is_refused_naming_its_kind(key):
    text, kind, _ = REFUSED[key]
    with pytest.raises(ValidationError) as info:
        text_screen(text)
    messages = " ".join(info.value.messages)
    assert kind.lower() in messages.lower()
    assert "Nothing was stored" in messages


@pytest.mark.parametrize("key", sorted(REFUSED))
def test_refusal_message_does_not_echo_the_identifier(key):
    text, _, token = REFUSED[key]
    with pytest.raises(ValidationError) as info:
        text_screen(text)
    assert token not in " ".join(info.value.messages)


@pytest.mark.parametrize("text", ACCEPTED)
def test_clinical_prose_is_accepted(text):
    text_screen(text)


def test_several_kinds_are_all_reported_once():
    with pytest.raises(ValidationError) as info:
        text_screen("Mrs. Kowalska, someone@example.org, someone2@example.org")
    messages = info.value.messages
    assert len(messages) == 2
