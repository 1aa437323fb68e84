"""Writes for case profiles: every entry path (admin, forms, API, import) comes through here."""

import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token
from simple_history.utils import bulk_create_with_history

from cases.her2 import her2_status_derive
from cases.models import CaseProfile
from cases.profile import PROFILE_FIELDS, profile_clean
from cases.selectors import marker_scales_get
from config.audit import audit

# Crockford-style alphabet: no I, L, O, U, so codes read aloud without confusion.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6


def case_code_generate() -> str:
    """A random pseudonymous code such as TB-7KQ2MX; it encodes nothing about the case."""
    return "TB-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _apply(case: CaseProfile, profile: Mapping[str, Any]) -> None:
    for name in PROFILE_FIELDS:
        setattr(case, name, profile[name])
    case.her2_status = her2_status_derive(ihc=profile["her2_ihc"], ish=profile["her2_ish"])


def case_create(*, data: Any, user=None, instance: CaseProfile | None = None) -> CaseProfile:
    """Validate `data` against the contract and store it as a new case.

    `instance` lets the admin hand in the unsaved object it will redirect to.
    """
    profile = profile_clean(data=data, marker_scales=marker_scales_get())
    case = instance or CaseProfile()
    case.created_by = user
    _apply(case, profile)
    with transaction.atomic():
        while True:
            case.code = case_code_generate()
            if not CaseProfile.objects.filter(code=case.code).exists():
                break
        case.save()
    return case


class StaleVersion(Exception):
    """Someone saved this record after the version the writer read: refused, not merged."""

    def __init__(self, *, label: str, current: int):
        self.current = current
        super().__init__(
            f"{label} was changed by someone else since you opened it (now version {current}). "
            "Reload it, check their changes, then make yours again."
        )


def version_claim(obj, *, expected: int | None, label: str) -> None:
    """Atomically move `obj` from version `expected` (default: as loaded) to the next one."""
    expected = obj.version if expected is None else expected
    claimed = type(obj).objects.filter(pk=obj.pk, version=expected).update(version=expected + 1)
    if not claimed:
        current = type(obj).objects.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise StaleVersion(label=label, current=current or 0)
    obj.version = expected + 1


def case_update(
    *, case: CaseProfile, data: Any, partial: bool = False, expected_version: int | None = None
) -> CaseProfile:
    """Validate `data` and apply it to `case`; with `partial`, missing fields keep their values.

    `expected_version` is the version the writer read; a newer stored one is a conflict.
    """
    profile = profile_clean(
        data=data,
        marker_scales=marker_scales_get(),
        partial_of=case.as_profile() if partial else None,
    )
    with transaction.atomic():
        version_claim(case, expected=expected_version, label=f"Case {case.code}")
        _apply(case, profile)
        case.save()
    return case


def case_delete(*, case: CaseProfile) -> None:
    case.delete()


def api_token_issue(*, user) -> str:
    """Issue a new API token for `user`, replacing any previous one; returns its key."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


class ImportRefused(Exception):
    """A table with any bad row: nothing was stored; `errors` lists every problem."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors.rows)} problem(s); nothing was imported")


def _codes_unused(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        batch = {case_code_generate() for _ in range(count - len(codes))}
        batch -= set(CaseProfile.objects.filter(code__in=batch).values_list("code", flat=True))
        codes |= batch
    return list(codes)


def cases_import(*, frame, user=None) -> list[CaseProfile]:
    """Store every row of a table as a case, in one transaction, or nothing at all."""
    from cases.tabular import frame_clean, profiles_from_frame

    clean, errors = frame_clean(frame, marker_scales=marker_scales_get())
    if errors:
        raise ImportRefused(errors)
    cases = []
    for profile in profiles_from_frame(clean):
        case = CaseProfile(created_by=user)
        _apply(case, profile)
        cases.append(case)
    with transaction.atomic():
        for case, code in zip(cases, _codes_unused(len(cases)), strict=True):
            case.code = code
        # History rows too, as for any other write (bulk_create alone would skip them).
        bulk_create_with_history(
            cases, CaseProfile, batch_size=1000, default_user=user,
            default_change_reason="Imported from a table",
        )  # fmt: skip
    audit("import", model="cases.caseprofile", rows=len(cases), user=getattr(user, "username", "-"))
    return cases
