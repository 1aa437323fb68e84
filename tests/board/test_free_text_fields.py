"""Every stored free-text field goes through the de-identification screen.

Free text users type (notes, session titles, trainee reasoning, CDS hook instances and
override reasons) carries `text_validate`; curators' knowledge-base text, which cites
authors and publication dates by design, carries `control_characters_validate`. A new text
field fails here until it is given one of them.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from board.models import BoardSession, CdsFeedback
from cases.deid import control_characters_validate, text_validate
from rules.models import Rule
from tests.factories import CONTRACT_EXAMPLE

# Written by curators from the review (authors, years, titles), not about patients.
CURATED = {"rules", "cases.marker"}
# Set by the system, never typed: codes, slugs, versions, keys.
SYSTEM = {
    "cases.caseprofile.code",
    "cases.marker.code",
    "rules.reference.key",
    "board.cdscard.rule_slug",
    "board.cdscard.knowledge_base_version",
    "board.evaluationsnapshot.knowledge_base_version",
    "board.evaluationsnapshot.knowledge_base_release",
    "board.storedevaluation.basis",
    "board.storedevaluationmark.basis",
    "rules.release.version",
    "rules.review.section",
    "rules.review.key",
    "board.keptupload.token",  # generated
    "board.keptupload.name",  # the file's type only, never the user's file name
    "board.proposalchoice.mapped_option",  # an option id, checked against the vocabulary
}


def _text_fields():
    for model in apps.get_models():
        label = model._meta.label_lower
        app = model._meta.app_label
        if app not in {"core", "cases", "rules", "board"} or model.__name__.startswith(
            "Historical"
        ):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                yield f"{label}.{field.name}", app, label, field


def test_every_free_text_field_is_screened_or_curated():
    unchecked = []
    for name, app, label, field in _text_fields():
        if name in SYSTEM or isinstance(field, models.SlugField):
            continue
        if app in CURATED or label in CURATED:
            wanted = control_characters_validate
        else:
            wanted = text_validate
        if wanted not in field.validators:
            unchecked.append(name)
    assert unchecked == []


def test_the_screened_fields_include_everything_users_type():
    screened = {name for name, *_, field in _text_fields() if text_validate in field.validators}
    assert {
        "cases.caseprofile.notes",
        "board.boardsession.title",
        "board.traineeproposal.reasoning",
        "board.cdscard.hook_instance",
        "board.cdsfeedback.override_reason_code",
        "board.cdsfeedback.override_reason_display",
        "board.cdsfeedback.user_comment",
    } <= screened


def test_a_session_title_with_a_name_is_refused_on_the_web(client, educator):
    client.force_login(educator)
    response = client.post("/sessions/", {"title": "Anna Nowak's case, week 3"})
    assert response.status_code == 200
    assert "a person&#x27;s name" in response.content.decode()
    assert not BoardSession.objects.exists()


def test_notes_with_a_ukrainian_name_are_refused_by_the_api(api_client, trainee):
    api_client.force_authenticate(trainee)
    body = {**CONTRACT_EXAMPLE, "notes": "Пацієнтка Олена Коваленко, HER2 3+"}
    response = api_client.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    assert "person's name (characters 11–25)" in str(response.json())
    assert "Коваленко" not in str(response.json())


@pytest.mark.parametrize("char", ["\x00", "\x1b"])
def test_control_characters_in_notes_are_refused_with_a_message(api_client, trainee, char):
    api_client.force_authenticate(trainee)
    body = {**CONTRACT_EXAMPLE, "notes": f"HER2 3+{char}"}
    response = api_client.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    assert "notes" in str(response.json())


def test_a_cds_override_reason_with_a_phone_number_is_refused(api_client, trainee):
    api_client.force_authenticate(trainee)
    service = "/cds-services/her2-trastuzumab-resistance"
    call = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e0512345678",
            "context": {"patientId": "example", "profile": CONTRACT_EXAMPLE}}  # fmt: skip
    card = api_client.post(service, call, format="json").json()["cards"][0]
    item = {
        "card": card["uuid"],
        "outcome": "overridden",
        "overrideReason": {"reason": {"code": "other", "display": "call 0770-090-0123"}},
        "outcomeTimestamp": "2026-11-29T10:00:00Z",
    }
    response = api_client.post(f"{service}/feedback", {"feedback": [item]}, format="json")
    assert response.status_code == 400
    assert not CdsFeedback.objects.exists()


def test_a_curators_rule_text_refuses_control_characters(db):
    rule = Rule.objects.filter(status="published").first()
    rule.rationale += "\u202e"
    with pytest.raises(ValidationError, match="control characters"):
        rule.full_clean()
