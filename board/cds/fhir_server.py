"""Fetching what a hook call's prefetch left out from the EHR's own FHIR server.

CDS Hooks 2.0 lets an EHR send `fhirServer` and `fhirAuthorization` instead of (or beside)
a prefetch; the service then runs its declared prefetch queries itself. Here that happens
only for a call signed by a trusted issuer (a CDS Hooks JWT) and only against a server
that issuer is allowed to name (`fhir_servers` in its settings.CDS_HOOKS_ISSUERS entry):
any other `fhirServer` is refused, so a call cannot make the service fetch an arbitrary
address. Each query is a GET with the EHR's bearer token, no redirect is followed, every
response is read up to a size limit, and all of them share one time budget; a query that
fails leaves its prefetch key missing, with a note, and the reader answers 412 as usual
when that leaves a fact unread.
"""

import re
import time
from collections.abc import Mapping
from typing import Any

import httpx
from django.conf import settings

FETCH_SECONDS = 5.0  # every query of one call together
RESPONSE_BYTES = 5 * 1024 * 1024  # one response
FHIR_JSON = "application/fhir+json"
FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")  # FHIR's id datatype


class ServerRefused(ValueError):
    """A `fhirServer` the calling issuer may not name."""


def allowed_server(*, issuer: str | None, fhir_server: str) -> str:
    """The issuer's allowed base URL that `fhir_server` names, or ServerRefused."""
    if not issuer:
        raise ServerRefused("Only a call signed by a trusted EHR (a CDS Hooks JWT) may name one.")
    config = settings.CDS_HOOKS_ISSUERS.get(issuer, {})
    allowed = {url.rstrip("/") for url in config.get("fhir_servers", []) if isinstance(url, str)}
    wanted = fhir_server.rstrip("/")
    if wanted not in allowed:
        raise ServerRefused(f"This service does not fetch from that server for issuer {issuer}.")
    return wanted


def _query(template: str, context: Mapping[str, Any]) -> str | None:
    """A prefetch template with its context tokens filled in, or None when one is missing."""
    query = template
    for name in ("patientId", "userId", "encounterId"):
        token = "{{context." + name + "}}"
        if token in query:
            value = context.get(name)
            value = value.split("/")[-1] if isinstance(value, str) else ""
            if not FHIR_ID.fullmatch(value):
                return None
            query = query.replace(token, value)
    return None if "{{" in query else query


def _read(client: httpx.Client, url: str, deadline: float) -> tuple[Any, str]:
    """(the JSON answer, "") or (None, why)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None, "the time for fetching ran out"
    try:
        with client.stream("GET", url, timeout=remaining) as response:
            if response.is_redirect:
                return None, f"the server redirected (HTTP {response.status_code}); not followed"
            if response.status_code != 200:
                return None, f"the server answered HTTP {response.status_code}"
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > RESPONSE_BYTES:
                    return None, f"the answer is over {RESPONSE_BYTES // (1024 * 1024)} MB"
                if time.monotonic() > deadline:
                    return None, "the time for fetching ran out"
    except httpx.HTTPError as exc:
        return None, f"the server could not be read ({type(exc).__name__})"
    try:
        return httpx.Response(200, content=bytes(body)).json(), ""
    except ValueError:
        return None, "the answer is not JSON"


def prefetch_fetch(
    *,
    base: str,
    authorization: Mapping[str, Any] | None,
    templates: Mapping[str, str],
    context: Mapping[str, Any],
) -> tuple[dict[str, Any], list[str]]:
    """({key: the Bundle fetched}, notes) for each template, from `base` (allowed already)."""
    headers = {"Accept": FHIR_JSON}
    token = (authorization or {}).get("access_token")
    if isinstance(token, str) and token:
        headers["Authorization"] = f"Bearer {token}"
    fetched: dict[str, Any] = {}
    notes: list[str] = []
    deadline = time.monotonic() + FETCH_SECONDS
    with httpx.Client(headers=headers, follow_redirects=False) as client:
        for key, template in templates.items():
            query = _query(template, context)
            if query is None:
                notes.append(f"prefetch {key}: the context lacks what its query needs")
                continue
            found, why = _read(client, f"{base}/{query}", deadline)
            if why:
                notes.append(f"prefetch {key} from the FHIR server: {why}")
            else:
                fetched[key] = found
    return fetched, notes


def prefetch_complete(
    *,
    call: Mapping[str, Any],
    prefetch: Mapping[str, Any],
    templates: Mapping[str, str],
    issuer: str | None,
) -> tuple[dict[str, Any], list[str]]:
    """The prefetch with what it left out (absent or null keys of `templates`) fetched
    from the call's `fhirServer`, if `issuer` may name it (any other server is never
    contacted), and notes on what was not fetched, which a 412 carries."""
    missing = {key: query for key, query in templates.items() if prefetch.get(key) is None}
    if not missing or not call.get("fhirServer"):
        return dict(prefetch), []
    try:
        base = allowed_server(issuer=issuer, fhir_server=call["fhirServer"])
    except ServerRefused as exc:  # never contacted; the call goes on with what it sent
        return dict(prefetch), [f"fhirServer not used: {exc}"]
    fetched, notes = prefetch_fetch(
        base=base,
        authorization=call.get("fhirAuthorization"),
        templates=missing,
        context=call["context"],
    )
    return {**prefetch, **fetched}, notes
