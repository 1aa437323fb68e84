"""CDS Hooks 2.0 authentication: `Authorization: Bearer <JWT>` signed by a trusted EHR.

Trusted issuers are settings (`CDS_HOOKS_ISSUERS`): per `iss`, its JWK Set (a URL, or a
file for offline use) and the local user its calls act as. The token must name this
service's URL as `aud`, carry `exp`, `iat` and a `jti` not seen before, and be signed with
an allowed algorithm by a key of the issuer's set (found by `kid`). Our own clients keep
using token and session authentication.
"""

import hashlib
import json
import time
from pathlib import Path

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache as shared_cache
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from core.memory import remembered
from core.throttling import UserThrottle

ALGORITHMS = ["ES384", "RS384", "ES256", "RS256"]
LEEWAY_SECONDS = 30
# A CDS Hooks JWT authenticates one call, so it is short-lived: at most five minutes from
# iat to exp (security review 2, L12); a longer lifetime, or a jti that is not a short
# string, is refused with 401 (and never reaches the replay cache).
LIFETIME_MOST_SECONDS = 300
JTI_MOST = 200


@remembered(
    holds="each CDS Hooks jwks_file's key set, by path and modification time",
    invalidated="a change of the file (a new modification time reads it again)",
    most=32,
)
def _file_keys(path: str, modified_ns: int):
    return jwt.PyJWKSet.from_dict(json.loads(Path(path).read_text()))


@remembered(
    holds="each CDS Hooks jwks_url's client (PyJWKClient keeps and refreshes the keys)",
    invalidated="never (the client fetches an unknown kid again)",
    most=32,
)
def _url_client(url: str):
    return jwt.PyJWKClient(url, cache_keys=True)


def _keys(issuer: str):
    """The issuer's key set: a jwks_file read again whenever it changes (rotate keys by
    replacing the file), or the jwks_url's client."""
    config = settings.CDS_HOOKS_ISSUERS[issuer]
    if config.get("jwks_file"):
        path = Path(config["jwks_file"])
        try:
            return _file_keys(str(path), path.stat().st_mtime_ns)
        except (OSError, ValueError, jwt.PyJWTError) as exc:
            raise AuthenticationFailed(f"The issuer's key set cannot be read: {exc}") from None
    return _url_client(config["jwks_url"])


def _key(issuer: str, kid: str | None):
    keys = _keys(issuer)
    if isinstance(keys, jwt.PyJWKClient):
        return keys.get_signing_key(kid).key if kid else keys.get_signing_keys()[0].key
    for key in keys.keys:
        if kid is None or key.key_id == kid:
            return key.key
    raise AuthenticationFailed("The token's key (kid) is not in the issuer's key set.")


class CdsJwtAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Authorization: Bearer takes one token.")
        token = parts[1].decode("ascii", "replace")
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise AuthenticationFailed("The bearer token is not a JWT.") from None
        issuer = unverified.get("iss") if isinstance(unverified, dict) else None
        if not isinstance(issuer, str):
            raise AuthenticationFailed("The token's issuer (iss) must be a string.")
        if issuer not in settings.CDS_HOOKS_ISSUERS:
            raise AuthenticationFailed("The token's issuer (iss) is not trusted here.")
        try:
            claims = jwt.decode(
                token,
                _key(issuer, header.get("kid")),
                algorithms=ALGORITHMS,
                audience=request.build_absolute_uri(request.path),
                issuer=issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "jti"]},
            )
        except (jwt.PyJWTError, jwt.exceptions.PyJWKClientError) as exc:
            raise AuthenticationFailed(f"The bearer token was refused: {exc}") from None
        if not isinstance(claims["jti"], str) or not 0 < len(claims["jti"]) <= JTI_MOST:
            raise AuthenticationFailed(f"The token's jti must be 1 to {JTI_MOST} characters.")
        lifetime = claims["exp"] - claims["iat"]
        if not isinstance(lifetime, int | float) or not 0 < lifetime <= LIFETIME_MOST_SECONDS:
            raise AuthenticationFailed(
                f"The token's lifetime (exp - iat) must be at most {LIFETIME_MOST_SECONDS} "
                "seconds, as CDS Hooks recommends."
            )
        remaining = int(claims["exp"] - time.time()) + LEEWAY_SECONDS
        if not shared_cache.add(f"cds-jti:{issuer}:{claims['jti']}", 1, timeout=max(remaining, 1)):
            raise AuthenticationFailed("The token was used before (jti replay).")
        username = settings.CDS_HOOKS_ISSUERS[issuer].get("user")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise AuthenticationFailed("The issuer's local user is not configured.")
        return user, claims

    def authenticate_header(self, request):
        return 'Bearer realm="cds-hooks"'


class CdsJwtScheme(OpenApiAuthenticationExtension):
    """Documents the CDS Hooks bearer JWT in the OpenAPI schema."""

    target_class = CdsJwtAuthentication
    name = "cdsHooksJwt"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


class IssuerThrottle(UserThrottle):
    """Hook calls count per EHR, by the JWT's issuer, not per the local user the issuer's
    calls act as (two EHRs configured with one user would otherwise share one count).
    Calls with our own token or session count per user, as elsewhere."""

    def get_cache_key(self, request, view):
        claims = request.auth
        if isinstance(claims, dict) and isinstance(claims.get("iss"), str):
            issuer = hashlib.sha256(claims["iss"].encode()).hexdigest()[:32]
            return self.cache_format % {"scope": "cds-issuer", "ident": issuer}
        return super().get_cache_key(request, view)
