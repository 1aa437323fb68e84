"""CDS Hooks speed: a patient-view call whose prefetch holds 600 Genomics Reporting variant
Observations (a sequencing panel: most of other genes, 10 of PIK3CA), against the spec's
guidance of about 500 ms; and a call with no prefetch, signed with an EHR's JWT, whose
queries are fetched from that EHR's FHIR server (an HTTP stub on 127.0.0.1), goal 1 s.
Measured in process (Django's test client), median of 7 calls after one warm-up. Run with
`make bench`.
"""

import copy
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth.models import Group, User
from django.test import Client

EXAMPLE = ROOT / "tests" / "data" / "shared" / "fhir-examples" / "gr_pik3ca_variant.json"
GOAL_MS = 500
VARIANTS = 600


def prefetch() -> dict:
    variant = json.loads(EXAMPLE.read_text())
    entries = []
    for n in range(VARIANTS):
        item = copy.deepcopy(variant)
        item["id"] = f"v{n}"
        item["subject"] = {"reference": "Patient/bench"}
        if n % 60:  # most variants are of other genes
            item["component"][1]["valueCodeableConcept"]["coding"][0]["code"] = "HGNC:644"
        entries.append({"resource": item})
    return {"variants": {"resourceType": "Bundle", "type": "searchset", "entry": entries}}


FETCH_GOAL_MS = 1000


def fetched_call() -> None:
    """A spec-shaped call that sends fhirServer instead of a prefetch."""
    import tempfile
    import threading
    import uuid
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec
    from django.conf import settings

    loinc = "http://loinc.org"
    ihc = {
        "resourceType": "Observation", "id": "ihc", "status": "final",
        "code": {"coding": [{"system": loinc, "code": "85319-2"}]},
        "subject": {"reference": "Patient/bench"}, "effectiveDateTime": "2024-05-01",
        "valueCodeableConcept": {"coding": [{"system": loinc, "code": "LA11843-2"}]},
    }  # fmt: skip
    held = json.dumps({"resourceType": "Bundle", "type": "searchset",
                       "entry": [{"resource": ihc}]}).encode()  # fmt: skip

    class Stub(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(held)))
            self.end_headers()
            self.wfile.write(held)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/fhir"
    key = ec.generate_private_key(ec.SECP384R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    issuer = "https://bench-ehr.example"
    user, _ = User.objects.get_or_create(username="cds-bench-ehr")
    user.groups.add(Group.objects.get(name="trainee"))
    url = "/cds-services/her2-trastuzumab-resistance"
    with tempfile.NamedTemporaryFile("w", suffix=".json") as jwks:
        json.dump({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "ES384"}]}, jwks)
        jwks.flush()
        settings.CDS_HOOKS_ISSUERS = {issuer: {"jwks_file": jwks.name, "user": user.username,
                                               "fhir_servers": [base]}}  # fmt: skip
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        body = json.dumps({
            "hook": "patient-view", "hookInstance": str(uuid.uuid4()), "fhirServer": base,
            "fhirAuthorization": {"access_token": "bench", "token_type": "Bearer"},
            "context": {"patientId": "bench", "profile": {
                "setting": "metastatic", "trastuzumab_response": "acquired_resistance"}},
        })  # fmt: skip

        def call():
            now = int(time.time())
            token = jwt.encode(
                {"iss": issuer, "aud": "http://testserver" + url, "exp": now + 60, "iat": now,
                 "jti": str(uuid.uuid4())}, key, algorithm="ES384", headers={"kid": "k1"},
            )  # fmt: skip
            start = time.perf_counter()
            response = Client().post(url, body, content_type="application/json",
                                     HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
            assert response.status_code == 200, response.content[:300]
            return (time.perf_counter() - start) * 1000

        call()  # warm-up
        median = statistics.median(call() for _ in range(7))
    server.shutdown()
    user.delete()
    verdict = "met" if median < FETCH_GOAL_MS else "NOT met"
    print(
        "CDS patient-view with its 9 prefetch queries fetched from the EHR's FHIR server: "
        f"median {median:.0f} ms (goal < {FETCH_GOAL_MS} ms): {verdict}"
    )


if __name__ == "__main__":
    user, _ = User.objects.get_or_create(username="cds-bench")
    user.groups.add(Group.objects.get(name="trainee"))
    client = Client()
    client.force_login(user)
    body = json.dumps({
        "hook": "patient-view",
        "hookInstance": "6f5e4d3c-2b1a-4c9d-8e7f-0a1b2c3d4e5f",
        "context": {"patientId": "bench", "profile": {
            "setting": "metastatic", "trastuzumab_response": "acquired_resistance",
            "her2_ihc": "3+"}},
        "prefetch": prefetch(),
    })  # fmt: skip
    url = "/cds-services/her2-trastuzumab-resistance"
    client.post(url, body, content_type="application/json")  # warm-up
    times = []
    for _ in range(7):
        start = time.perf_counter()
        response = client.post(url, body, content_type="application/json")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:300]
    median = statistics.median(times)
    verdict = "met" if median < GOAL_MS else "NOT met"
    print(
        f"CDS patient-view with {VARIANTS} variant Observations ({len(body) / 1e6:.1f} MB): "
        f"median {median:.0f} ms (goal < {GOAL_MS} ms): {verdict}"
    )
    user.delete()
    fetched_call()
