"""Optimistic concurrency for every versioned record (cases, rules): one mechanism, three doors.

A versioned model has a `version` integer. A write names the version it was based on:
`version_claim` (services) moves the stored row from that version to the next in one
UPDATE, or raises `StaleVersion`; the API answers 409 with `current_version`
(core.api_errors), forms show the same message beside the form (`VersionedFormMixin`).
"""

from django import forms
from rest_framework import serializers

STALE_MESSAGE = (
    "This record was changed by someone else since you opened it. Reload it, check "
    "their changes, then make yours again."
)


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


def version_required(value) -> int:
    """The version an API update is based on; required so no write silently overwrites another."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise serializers.ValidationError(
            {
                "version": [
                    "Required: the version you read (an integer), so that a change made "
                    "meanwhile by someone else is not overwritten."
                ]
            }
        )
    return value


def stored_version(instance) -> int | None:
    if not instance.pk:
        return None
    return type(instance).objects.filter(pk=instance.pk).values_list("version", flat=True).first()


class VersionedFormMixin(forms.Form):
    """A hidden `version`: saving from an older version than the stored one is refused.

    Forms bound to an `instance` (model forms) read the stored version themselves; other
    forms get it in `initial`.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None:
            # The stored version, not the instance's: a history revert form holds an old
            # instance, but the revert is based on what is stored now.
            self.initial["version"] = stored_version(instance)

    def clean(self):
        cleaned = super().clean()
        instance = getattr(self, "instance", None)
        sent = cleaned.get("version")
        stale = instance is not None and instance.pk and sent is not None
        if stale and sent != stored_version(instance):
            self.add_error(None, STALE_MESSAGE)
        return cleaned
