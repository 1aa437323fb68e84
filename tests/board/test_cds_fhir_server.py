"""A hook call that sends `fhirServer` and `fhirAuthorization` instead of a prefetch: the
service fetches its prefetch queries from that server, with the EHR's bearer token, only
when the calling issuer may name it, without following redirects, within a size limit and
a time budget. The FHIR server is a small real HTTP stub on 127.0.0.1."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from board.cds import fhir_server
from tests.board.fhir_resources import bundle, coding, disease_status, ihc, medication, observation
from tests.factories import CDS_ISSUER as ISSUER
from tests.factories import CDS_SERVICE as SERVICE
from tests.factories import cds_jwt as _jwt

pytestmark = pytest.mark.django_db
PATIENT_ID = "p1"


def _resources_for(code: str) -> list:
    """What the stub holds for each LOINC code a prefetch query asks for."""
    held = {
        "85319-2": [ihc("LA11843-2", id="ihc")],
        "21907-1": [
            observation("21907-1", coding("http://snomed.info/sct", "1229903009"), id="m1")
        ],
        "97509-4": [disease_status("271299001", id="ds", date="2024-06-01")],
    }
    return held.get(code, [])


class _Stub(BaseHTTPRequestHandler):
    seen: list = []
    mode = "ok"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        _Stub.seen.append((self.path, self.headers.get("Authorization")))
        if _Stub.mode == "redirect":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.2:9/elsewhere")
            self.end_headers()
            return
        url = urlsplit(self.path)
        if _Stub.mode == "huge":
            body = b'{"resourceType": "Bundle", "entry": [' + b" " * (6 * 1024 * 1024) + b"]}"
        elif url.path.endswith("/Observation"):
            codes = parse_qs(url.query).get("code", [""])[0].split(",")
            found = [r for c in codes for r in _resources_for(c.split("|")[-1])]
            body = json.dumps(bundle(*found)).encode()
        elif url.path.endswith("/MedicationStatement"):
            body = json.dumps(bundle(medication("224905", id="tras", start="2024-01-01"))).encode()
        else:
            body = json.dumps(bundle()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/fhir+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def fhir(settings, ehr_key):
    _Stub.seen, _Stub.mode = [], "ok"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/fhir"
    settings.CDS_HOOKS_ISSUERS = {
        ISSUER: {**settings.CDS_HOOKS_ISSUERS[ISSUER], "fhir_servers": [base]}
    }
    yield base
    server.shutdown()
    server.server_close()


def _call(client, key, server, **extra):
    body = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "fhirServer": server,
        "fhirAuthorization": {"access_token": "ehr-token", "token_type": "Bearer",
                              "expires_in": 300, "scope": "patient/*.read",
                              "subject": "her2-board"},
        "context": {"userId": "Practitioner/1", "patientId": PATIENT_ID},
        **extra,
    }  # fmt: skip
    return client.post(
        SERVICE, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {_jwt(key)}"
    )


def test_the_prefetch_is_fetched_from_the_ehrs_server_with_its_token(client, ehr_key, fhir):
    answer = _call(client, ehr_key, fhir)
    assert answer.status_code == 200, answer.content
    assert answer.json()["cards"]
    paths = [path for path, _ in _Stub.seen]
    assert any(p.startswith("/fhir/Observation?patient=p1&code=") for p in paths)
    assert any(p == "/fhir/MedicationStatement?patient=p1" for p in paths)
    assert {auth for _, auth in _Stub.seen} == {"Bearer ehr-token"}


def test_only_what_the_prefetch_left_out_is_fetched(client, ehr_key, fhir):
    sent = {"her2": bundle(ihc("LA11843-2", id="sent", subject="Patient/p1"))}
    assert _call(client, ehr_key, fhir, prefetch=sent).status_code == 200
    assert not any("85319-2" in path for path, _ in _Stub.seen)


def test_a_server_the_issuer_may_not_name_is_refused_and_never_contacted(client, ehr_key, fhir):
    answer = _call(client, ehr_key, fhir.replace("/fhir", "/other"))
    assert answer.status_code == 412
    assert "fhirServer not used: This service does not fetch" in answer.json()["detail"]
    assert _Stub.seen == []


def test_a_call_with_our_own_token_names_no_server(fhir, trainee):
    from tests.factories import token_client

    body = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "fhirServer": fhir, "context": {"patientId": PATIENT_ID}}  # fmt: skip
    answer = token_client(trainee).post(SERVICE, body, format="json")
    assert answer.status_code == 412
    assert "Only a call signed by a trusted EHR" in answer.json()["detail"]
    assert _Stub.seen == []


@pytest.mark.parametrize(("mode", "why"), [("redirect", "redirected"), ("huge", "over 5 MB")])
def test_a_redirect_or_an_oversized_answer_is_not_read(client, ehr_key, fhir, mode, why):
    _Stub.mode = mode
    answer = _call(client, ehr_key, fhir)
    assert answer.status_code == 412
    assert why in answer.json()["detail"]
    assert not any("elsewhere" in path for path, _ in _Stub.seen)


def test_the_fetches_share_one_time_budget(client, ehr_key, fhir, monkeypatch):
    monkeypatch.setattr(fhir_server, "FETCH_SECONDS", 0.0)
    answer = _call(client, ehr_key, fhir)
    assert answer.status_code == 412
    assert "time for fetching ran out" in answer.json()["detail"]
    assert _Stub.seen == []


def test_without_a_server_a_missing_prefetch_is_still_412(client, ehr_key, fhir):
    body = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"patientId": PATIENT_ID}}  # fmt: skip
    answer = client.post(SERVICE, body, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {_jwt(ehr_key)}")  # fmt: skip
    assert answer.status_code == 412
