"""Writes for case profiles: every entry path (admin, forms, API, import) comes through here."""

import secrets
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cases.contract import PROFILE_FIELDS
from cases.her2 import her2_status_derive
from cases.models import CaseProfile
from cases.profile import profile_clean
from cases.selectors import marker_scales_get
from core.audit import audit
from core.concurrency import version_claim

# Crockford-style alphabet: no I, L, O, U, so codes read aloud without confusion.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6
assert len(CODE_ALPHABET) == 32, "case_code_generate picks a letter per byte"  # noqa: S101


def case_code_generate() -> str:
    """A random pseudonymous code such as TB-7KQ2MX; it encodes nothing about the case.

    One read of the system's randomness per code: each byte picks a letter, and with 32
    letters (a divisor of 256) every letter is equally likely, as secrets.choice makes them.
    """
    return "TB-" + "".join(CODE_ALPHABET[byte % 32] for byte in secrets.token_bytes(CODE_LENGTH))


def _apply(case: CaseProfile, profile: Mapping[str, Any]) -> None:
    for name in PROFILE_FIELDS:
        setattr(case, name, profile[name])
    case.her2_status = her2_status_derive(ihc=profile["her2_ihc"], ish=profile["her2_ish"])


def case_create(
    *, data: Any, user: AbstractBaseUser | None = None, instance: CaseProfile | None = None
) -> CaseProfile:
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


class ImportRefused(Exception):
    """A table with any bad row: nothing was stored; `errors` lists every problem."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{errors.total} problem(s); nothing was imported")


def cases_import(*, frame, user: AbstractBaseUser | None = None) -> int:
    """Store every row of a table as a case (with its history row), in one transaction, or
    nothing at all; returns how many. The bulk path is cases.bulk (COPY on PostgreSQL);
    the audit log gets one line for the whole import."""
    from cases.tabular import frame_clean

    clean, errors = frame_clean(frame, marker_scales=marker_scales_get())
    if errors:
        raise ImportRefused(errors)
    return cases_import_checked(clean=clean, user=user)


def cases_import_checked(*, clean, user: AbstractBaseUser | None = None) -> int:
    """cases_import for a table `cases.tabular.frame_clean` already checked, against the
    catalogue's marker scales (`marker_scales_get`), without a problem: an upload checked
    in its bounded child process (board.cohort)."""
    from cases.bulk import cases_bulk_import

    count = cases_bulk_import(
        clean=clean, user=user, reason="Imported from a table", generate=case_code_generate
    )
    audit("import", model="cases.caseprofile", rows=count, user=getattr(user, "username", "-"))
    return count
