"""Fixtures of the board app's tests: a test EHR for CDS Hooks calls signed with a JWT."""

import json

import pytest

from tests.factories import CDS_ISSUER


@pytest.fixture
def ehr_key(tmp_path, settings, trainee):
    """A test EHR: its own EC P-384 key pair, its JWK Set in a file, trusted in settings."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    from board.cds import auth

    key = ec.generate_private_key(ec.SECP384R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "ES384"}]}))
    settings.CDS_HOOKS_ISSUERS = {CDS_ISSUER: {"jwks_file": str(jwks), "user": trainee.username}}
    auth._file_keys.cache_clear()
    yield key
    auth._file_keys.cache_clear()
