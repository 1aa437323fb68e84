"""Security: headers on every page, passwords, brute force, the audit trail and its hygiene."""

import logging

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from cases.services import case_create
from tests.factories import CONTRACT_EXAMPLE, token_client

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/api/schema/", "/api/docs/", "/cds-services"]
)
def test_security_headers_on_every_page(client, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


def test_hsts_and_secure_cookies_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = response.cookies["csrftoken"]
    assert cookie["samesite"] == "Lax" and cookie["httponly"] is True


def test_sessions_last_at_most_eight_hours(settings):
    from django.conf import settings as live

    assert live.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert live.SESSION_COOKIE_HTTPONLY is True


def test_only_the_docs_pages_relax_styles_and_no_page_loads_a_cdn(client):
    assert "'unsafe-inline'" not in client.get("/").get("Content-Security-Policy")
    docs = client.get("/api/redoc/")
    assert "'unsafe-inline'" in docs["Content-Security-Policy"]
    assert "googleapis" not in docs.content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs.content.decode()


def test_a_pages_policy_carries_its_own_nonce_and_an_api_answer_the_plain_policy(
    client, trainee, settings
):
    from csp.utils import build_policy

    page = client.get("/api/docs/")  # its inline script carries this response's nonce
    nonce = page.content.decode().split('nonce="', 1)[1].split('"', 1)[0]
    assert f"'nonce-{nonce}'" in page["Content-Security-Policy"]
    assert f"'nonce-{nonce}'" not in client.get("/api/docs/")["Content-Security-Policy"]
    assert "nonce" not in client.get("/accounts/login/")["Content-Security-Policy"]
    answer = token_client(trainee).get("/api/v1/mechanisms/")
    assert answer["Content-Security-Policy"] == build_policy()
    assert "nonce" not in answer["Content-Security-Policy"]
    # A changed setting reaches the next answer (the built header is not kept past it).
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert token_client(trainee).get("/api/v1/mechanisms/")["Content-Security-Policy"] == (
        "default-src 'none'"
    )


@override_settings(DEBUG=False)
def test_a_500_shows_no_traceback_or_sql(trainee, monkeypatch):
    import cases.views as pages

    def boom(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr(pages, "case_creator_names", boom)
    client = Client(raise_request_exception=False)
    client.force_login(trainee)
    response = client.get("/cases/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Traceback" not in body and "SELECT" not in body


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("short-pass1", False),
        ("password1234", False),
        ("x" * 12 + "Q7!", True),
        ("Zq9!" * 16, True),
    ],
)
def test_password_rules(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_a_64_character_password_signs_in(client, django_user_model):
    long_password = "Zq9!" * 16
    django_user_model.objects.create_user("longpass", password=long_password)
    response = client.post("/accounts/login/", {"username": "longpass", "password": long_password})
    assert response.status_code == 302


def _fail(client, path, username, times):
    for _ in range(times):
        client.post(path, {"username": username, "password": "wrong-password-123"})


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_locked_account_stays_locked_even_with_the_right_password(client, trainee, path, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        _fail(client, path, "trainee1", 5)
    response = client.post(path, {"username": "trainee1", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert any("lock" in record.getMessage().lower() for record in caplog.records)


def test_the_api_token_endpoint_is_protected_against_brute_force(api_client, trainee):
    for _ in range(5):
        api_client.post(
            "/api/v1/token/", {"username": "trainee1", "password": "wrong-password-123"}
        )
    response = api_client.post("/api/v1/token/", {"username": "trainee1", "password": PASSWORD})
    assert response.status_code == 429
    assert "locked" in response.json()["detail"]


def _audit(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.name == "her2board.audit")


def test_sign_ins_refusals_and_changes_are_audited(client, trainee, other_trainee, caplog):
    with caplog.at_level(logging.INFO, logger="her2board.audit"):
        client.post("/accounts/login/", {"username": "trainee1", "password": "nope-nope-nope"})
        client.post("/accounts/login/", {"username": "trainee1", "password": PASSWORD})
        case = case_create(data=CONTRACT_EXAMPLE, user=trainee)
        client.force_login(other_trainee)
        client.get(f"/cases/{case.code}/edit/")
    log = _audit(caplog)
    assert "sign-in.failed user=trainee1 path=/accounts/login/" in log
    assert "sign-in.ok user=trainee1 path=/accounts/login/" in log
    assert f"change model=cases.caseprofile object={case.code} action=created" in log
    assert f"refused status=403 user=trainee2 path=/cases/{case.code}/edit/" in log


def test_knowledge_base_changes_are_audited_with_the_curator(curator, caplog):
    from rules.models import Rule

    api = token_client(curator)
    version = Rule.objects.get(slug="met-overexpression").version
    with caplog.at_level(logging.INFO, logger="her2board.audit"):
        api.patch(
            "/api/v1/rules/met-overexpression/",
            {"title": "MET (audited)", "version": version, "change_reason": "test edit"},
            format="json",
        )
    assert (
        "change model=rules.rule object=met-overexpression action=changed user=curator1"
        in _audit(caplog)
    )


def test_an_overlong_username_is_refused_not_a_server_error(api_client, db):
    # django-axes records failed usernames in 255 characters; PostgreSQL refused longer ones.
    response = api_client.post("/api/v1/token/", {"username": "u" * 300, "password": "x"})
    assert response.status_code == 400
    assert "username" in response.json()["errors"]


def test_no_password_token_or_refused_note_reaches_a_log(client, trainee, caplog):
    api = token_client(trainee)
    token = api._credentials["HTTP_AUTHORIZATION"].split()[1]
    with caplog.at_level(logging.DEBUG):
        signed_in = client.post(
            "/accounts/login/", {"username": "trainee1", "password": "Secret-Pass-987"}
        )
        refused = api.post(
            "/api/v1/cases/", {**CONTRACT_EXAMPLE, "notes": "Mrs. Kowalska MRN 4471"}, format="json"
        )
        listed = api.get("/api/v1/cases/")
        client.force_login(trainee)
        form = client.post("/cases/new/", {**CONTRACT_EXAMPLE, "notes": "Dr Petrenko"})
    assert signed_in.status_code == 200 and refused.status_code == 400  # a wrong password
    assert listed.status_code == 200 and form.status_code == 200
    assert "notes" in form.context["form"].errors  # refused, not stored
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "sign-in.failed" in text  # the log was written, without the secrets
    for secret in ("Secret-Pass-987", token, "Kowalska", "4471", "Petrenko"):
        assert secret not in text


def test_cr_lf_in_input_cannot_forge_a_log_line():
    from core.logging import SafeFormatter

    forged = "x\r\n2026-01-01T00:00:00Z INFO her2board.audit sign-in.ok user=admin"
    record = logging.LogRecord(
        "her2board.audit", logging.INFO, __file__, 1, "sign-in.failed user=%s", (forged,), None
    )
    line = SafeFormatter("%(asctime)s %(message)s").format(record)
    assert "\n" not in line and "\r" not in line
    assert line.endswith(
        "user=x\\r\\n2026-01-01T00:00:00Z INFO her2board.audit sign-in.ok user=admin"
    )
