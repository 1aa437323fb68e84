"""The one validation every entry path uses (form, API, import, admin, CDS, examples).

The fields are declared in cases.contract. `profile_clean` turns untrusted input into a
complete, normalised profile dict or raises one ValidationError keyed by field. It is pure:
the marker catalogue is passed in, so the importer, the API and the tests share it.
"""

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import contract
from cases.contract import PROFILE_FIELDS, REQUIRED, FieldSpec
from cases.deid import text_screen

DERIVED_FIELDS = tuple(contract.DERIVED_FIELDS)
_SAFE_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{0,39}$")


def _error(message: str, code: str = "invalid", **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _accepts_error(spec: FieldSpec, code: str = "invalid") -> ValidationError:
    return _error(
        _("%(field)s accepts %(accepts)s."), code=code, field=spec.name, accepts=spec.accepts(_)
    )


def _clean_choice(spec: FieldSpec, value: Any) -> Any:
    if value is None and spec.optional:
        return None
    if not isinstance(value, str) or value not in spec.values:
        raise _error(
            _("Not an accepted value. %(field)s accepts %(accepts)s."),
            field=spec.name,
            accepts=spec.accepts(_),
        )
    return value


def _clean_choices(spec: FieldSpec, value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        raise _accepts_error(spec)
    cleaned: list[str] = []
    for item in value:
        if not isinstance(item, str) or item not in spec.values:
            raise _error(
                _("A listed value is not accepted. %(field)s accepts %(accepts)s."),
                field=spec.name,
                accepts=spec.accepts(_),
            )
        if item in cleaned:
            raise _error(
                _("A value is listed twice. %(field)s accepts %(accepts)s."),
                field=spec.name,
                accepts=spec.accepts(_),
            )
        cleaned.append(item)
    return cleaned


def _clean_bool(spec: FieldSpec, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _accepts_error(spec)
    return value


def _clean_percent(spec: FieldSpec, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise _accepts_error(spec)
    return value


def _clean_text(spec: FieldSpec, value: Any) -> str:
    if not isinstance(value, str):
        raise _accepts_error(spec)
    if len(value) > contract.NOTES_MAX_LENGTH:
        raise _accepts_error(spec, code="max_length")
    text_screen(value)
    return value.strip()


def markers_clean(value: Any, *, marker_scales: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Validate a markers mapping against the catalogue (code -> accepted results)."""
    if not isinstance(value, Mapping):
        raise _accepts_error(PROFILE_FIELDS["markers"])
    catalogue = ", ".join(sorted(marker_scales))
    if len(value) > len(marker_scales):
        # One message however many codes were sent (a 55,000-code body once got 18 MB back).
        raise _error(
            _(
                "markers accepts at most one result per catalogue code (%(count)s codes); "
                "the catalogue has: %(codes)s."
            ),
            code="too_many_markers",
            count=len(marker_scales),
            codes=catalogue,
        )
    errors: list[ValidationError] = []
    cleaned: dict[str, str] = {}
    unknown: list[str] = []
    for code, result in value.items():
        if not isinstance(code, str) or code not in marker_scales:
            unknown.append(code if isinstance(code, str) and _SAFE_CODE.match(code) else "")
            continue
        if result == contract.MARKER_NOT_TESTED:
            continue  # absent and "not_tested" mean the same thing
        allowed = marker_scales[code]
        if not isinstance(result, str) or result not in allowed:
            errors.append(
                _error(
                    _("Marker %(marker)s accepts: %(allowed)s (or not_tested)."),
                    code="invalid_marker_result",
                    marker=code,
                    allowed=", ".join(allowed),
                )
            )
            continue
        cleaned[code] = result
    if unknown:
        shown = ", ".join(code or _("(not shown)") for code in unknown[:5])
        more = _(" and %(count)s more") % {"count": len(unknown) - 5} if len(unknown) > 5 else ""
        errors.insert(
            0,
            _error(
                _("Unknown marker code %(marker)s. The catalogue has: %(codes)s."),
                code="unknown_marker",
                marker=shown + more,
                codes=catalogue,
            ),
        )
    if errors:
        raise ValidationError(errors)
    return dict(sorted(cleaned.items()))


_CLEANERS = {
    "choice": _clean_choice,
    "choices": _clean_choices,
    "bool": _clean_bool,
    "percent": _clean_percent,
    "text": _clean_text,
}


def clean_field(spec: FieldSpec, value: Any) -> Any:
    """Clean one field's value (the same check profile_clean applies)."""
    return _CLEANERS[spec.kind](spec, value)


def profile_clean(
    *, data: Any, marker_scales: Mapping[str, tuple[str, ...]], partial_of: Mapping | None = None
) -> dict[str, Any]:
    """Validate untrusted input into a complete contract profile (her2_status not included).

    `partial_of` is an existing clean profile that `data` updates (PATCH semantics):
    missing fields keep its values instead of taking defaults.
    """
    if not isinstance(data, Mapping):
        raise ValidationError(
            {"non_field_errors": [_error(_("A case profile is an object of contract fields."))]}
        )
    errors: dict[str, list[ValidationError]] = {}
    for name in data:
        if name in DERIVED_FIELDS:
            errors[name] = [
                _error(
                    _("her2_status is derived from her2_ihc and her2_ish and cannot be set."),
                    code="read_only",
                )
            ]
        elif name not in PROFILE_FIELDS:
            errors[str(name)[:60]] = [
                _error(
                    _("Unknown field; refused. A case profile accepts only: %(fields)s."),
                    code="unknown_field",
                    fields=", ".join(PROFILE_FIELDS),
                )
            ]
    cleaned: dict[str, Any] = {}
    for name, spec in PROFILE_FIELDS.items():
        if name in data:
            value = data[name]
        elif partial_of is not None and name in partial_of:
            value = partial_of[name]
        elif spec.default is REQUIRED:
            errors[name] = [
                _error(
                    _("This field is required; it accepts %(accepts)s."),
                    code="required",
                    accepts=spec.accepts(_),
                )
            ]
            continue
        else:
            value = spec.default
        try:
            if spec.kind == "markers":
                cleaned[name] = markers_clean(value, marker_scales=marker_scales)
            else:
                cleaned[name] = _CLEANERS[spec.kind](spec, value)
        except ValidationError as exc:
            errors[name] = exc.error_list
    line = cleaned.get("metastatic_line")
    if line not in (None, "unknown") and cleaned.get("setting") not in (None, "metastatic"):
        errors["metastatic_line"] = [
            _error(
                _(
                    "A line of metastatic therapy is only given in the metastatic setting; "
                    "metastatic_line accepts unknown for any other setting."
                ),
                code="setting",
            )
        ]
    if errors:
        raise ValidationError(errors)
    return cleaned
