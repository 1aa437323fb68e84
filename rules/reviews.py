"""A second curator's review of every change before it can be released (CIViC's moderated
revisions, on top of rules.releases): writes and reads.

A change is an entry of the working copy (rule, strategy, mechanism or reference) that
differs from the latest release. It carries its authors (who edited it since that
release), their recorded reasons and the diff. It can be released only once a curator
who is not one of its authors approves it as it now stands; a rejection restores the
released version of the entry in the working copy and is kept with its reason.

A change of an entry's Ukrainian text alone (`translation_only`) is reviewed the same way,
but does not hold a release back: it ships marked unreviewed (rules.translations), and
stays listed here, its translation compared with none, until a curator approves it.

A decision names the revision the reviewer read (the change's newest history id); one made
on a change edited since is refused. Authors are found by the entry's primary key, so a
rename does not shed them, and a released key is never renamed.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from rules.curation import knowledge_base_export
from rules.knowledge_base_file import knowledge_base_apply
from rules.models import Mechanism, Reference, Release, Review, Rule, Strategy
from rules.translations import (
    translation_blanked,
    translation_defaults,
    translation_fields,
    translation_present,
)

NO_REASON = "no reason recorded"
TRANSLATION_RELEASED = "its Ukrainian translation was released not yet reviewed"

SECTIONS = {
    "rules": (Rule, "slug", "rule"),
    "strategies": (Strategy, "slug", "strategy"),
    "mechanisms": (Mechanism, "slug", "mechanism"),
    "references": (Reference, "key", "reference"),
}


@dataclass
class Change:
    """One entry of the working copy as it differs from the latest release."""

    section: str
    key: str
    before: Mapping[str, Any] | None  # None: added since the release
    after: Mapping[str, Any] | None  # None: removed since the release
    history_id: int = 0
    authors: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    approved_by: str | None = None
    # Released already, its translation not yet reviewed: `before` is it without one.
    released_unreviewed: bool = False

    @property
    def noun(self) -> str:
        return SECTIONS[self.section][2]

    @property
    def action(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"

    @property
    def diff(self) -> list[tuple[str, Any, Any]]:
        """(field, released value, working value) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        names = list(dict.fromkeys([*before, *after]))
        return [(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]

    @property
    def translation_only(self) -> bool:
        """Only its Ukrainian text (or what users see while unreviewed) changed."""
        if self.before is None or self.after is None:
            return False
        own = set(translation_fields(self.section))
        return all(name in own for name, _old, _new in self.diff)


def _by_key(data: Mapping[str, Any], section: str) -> dict[str, Mapping[str, Any]]:
    """A section's entries by key; an entry stored before translations has none."""
    name = SECTIONS[section][1]
    defaults = translation_defaults(section)
    return {item[name]: {**defaults, **item} for item in data.get(section, [])}


def _released_status(released: Mapping[str, Any], section: str, key: str) -> Mapping[str, Any]:
    return ((released.get("translation_status") or {}).get(section) or {}).get(key) or {}


def _released_unreviewed(released: Mapping[str, Any], section: str, key: str) -> bool:
    return _released_status(released, section, key).get("status") == "unreviewed"


def _drafted_by(released: Mapping[str, Any], section: str, key: str) -> list[str]:
    return list(_released_status(released, section, key).get("drafted_by") or [])


def changes_pending() -> list[Change]:
    """Every change of the working copy since the latest release, with its review state.

    A few queries per section, however many changes: a release with its whole translation
    unreviewed lists every translated entry."""
    release = Release.objects.newest()
    released = release.knowledge_base if release else {}
    since = release.published_at if release else None
    working = knowledge_base_export()
    changes = []
    for section, (model, name, _noun) in SECTIONS.items():
        old, new = _by_key(released, section), _by_key(working, section)
        found = []
        for key in sorted(set(old) | set(new)):
            if old.get(key) == new.get(key):
                entry = new[key]
                if not (
                    translation_present(section, entry)
                    and _released_unreviewed(released, section, key)
                ):
                    continue
                # Released with its translation unreviewed: listed until approved.
                change = Change(section, key, translation_blanked(section, entry), entry)
                change.released_unreviewed = True
            else:
                change = Change(section, key, old.get(key), new.get(key))
            found.append(change)
        if found:
            _review_state(found, model, name, released, since)
        changes += found
    return changes


def _review_state(changes: list[Change], model, name: str, released, since) -> None:
    """Each change's authors, reasons, revision (newest history row) and approval."""
    keys = [change.key for change in changes]
    # By the entry's primary key, not its key: a rename keeps its authors, and the removal
    # of a released key is authored by whoever renamed and deleted it.
    ids_of: dict[str, set[int]] = {}
    for key, pk in model.history.filter(**{f"{name}__in": keys}).values_list(name, "id"):
        ids_of.setdefault(key, set()).add(pk)
    wanted = set().union(*ids_of.values()) if ids_of else set()
    records = list(
        model.history.filter(id__in=list(wanted))
        .select_related("history_user")
        .order_by("history_id")
    )
    approvals = {}
    for review in Review.objects.filter(
        section=changes[0].section, key__in=keys, decision=Review.Decision.APPROVED
    ).select_related("reviewer"):
        approvals.setdefault((review.key, review.history_id), review)
    for change in changes:
        own = [r for r in records if r.id in ids_of.get(change.key, ())]
        if change.released_unreviewed:
            # Its drafters are those the release recorded; the decision holds for the
            # entry as it now stands (its newest history row).
            change.history_id = own[-1].history_id if own else 0
            change.authors = _drafted_by(released, change.section, change.key)
            change.reasons.append(TRANSLATION_RELEASED)
        else:
            for record in own:
                if since is not None and record.history_date <= since:
                    continue
                change.history_id = record.history_id
                who = record.history_user.get_username() if record.history_user else ""
                if who and who not in change.authors:
                    change.authors.append(who)
                change.reasons.append(record.history_change_reason or NO_REASON)
        approval = approvals.get((change.key, change.history_id))
        if change.released_unreviewed and approval and since and approval.created_at <= since:
            approval = None  # an approval of the English before the release, not of this
        if approval is not None:
            change.approved_by = approval.reviewer.get_username() if approval.reviewer else "?"


def change_get(*, section: str, key: str) -> Change:
    for change in changes_pending():
        if change.section == section and change.key == key:
            return change
    raise ValidationError(
        _("No change of %(section)s %(key)s awaits review.") % {"section": section, "key": key}
    )


class ChangeMoved(Exception):
    """The change was edited after the reviewer read it: their decision is refused."""


def _as_read(change: Change, revision: int | None) -> None:
    if revision is not None and revision != change.history_id:
        raise ChangeMoved(
            f"This change was edited since you read it (revision {revision}; now "
            f"{change.history_id}): read its diff again before deciding."
        )


def change_approve(
    *, section: str, key: str, reviewer: AbstractBaseUser, revision: int | None = None
) -> Review:
    """Approve a change as the reviewer read it (`revision`: its newest history id then);
    its own authors may not, and a change no curator is recorded for (an import) needs a
    superuser."""
    change = change_get(section=section, key=key)
    _as_read(change, revision)
    if reviewer.get_username() in change.authors:
        raise PermissionDenied(
            _("You made this change; another curator must approve it (no self-approval).")
        )
    if not change.authors and not reviewer.is_superuser:
        raise PermissionDenied(
            _("No curator is recorded for this change (an import, say): a superuser approves it.")
        )
    return Review.objects.create(
        section=section,
        key=key,
        history_id=change.history_id,
        reviewer=reviewer,
        decision=Review.Decision.APPROVED,
    )


@transaction.atomic
def change_reject(
    *,
    section: str,
    key: str,
    reviewer: AbstractBaseUser,
    reason: str,
    revision: int | None = None,
) -> Review:
    """Reject a change as the reviewer read it: the working copy gets the released version
    back (an added entry is removed), and the rejection is kept with its reason."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the change is rejected.")]})
    change = change_get(section=section, key=key)
    _as_read(change, revision)
    model, name, _noun = SECTIONS[section]
    note = f"rejected by {reviewer.get_username()}: {reason.strip()}"
    if change.before is None:
        entry = model.objects.get(**{name: key})
        entry._change_reason = note
        entry.delete()
    else:
        data = {"format": None, section: [change.before]}
        knowledge_base_apply(
            data, Reference=Reference, Mechanism=Mechanism, Strategy=Strategy, Rule=Rule
        )
        if hasattr(model, "version"):
            model.objects.filter(**{name: key}).update(version=F("version") + 1)
        entry = model.objects.get(**{name: key})
        # The restore itself is in the history; give it the rejection as its reason.
        record = entry.history.order_by("-history_id").first()
        if record is not None:
            record.history_change_reason = note
            record.history_user = reviewer
            record.save(update_fields=["history_change_reason", "history_user"])
    return Review.objects.create(
        section=section,
        key=key,
        history_id=change.history_id,
        reviewer=reviewer,
        decision=Review.Decision.REJECTED,
        reason=reason.strip(),
    )


def change_decide(
    *,
    section: str,
    key: str,
    reviewer: AbstractBaseUser,
    decision: str,
    reason: str = "",
    revision: int | None = None,
) -> Review:
    """Approve or reject a change ("approve" or "reject") as the reviewer read it: what the
    admin's review page and the API's revision routes both call."""
    if decision == "approve":
        return change_approve(section=section, key=key, reviewer=reviewer, revision=revision)
    if decision == "reject":
        return change_reject(
            section=section, key=key, reviewer=reviewer, reason=reason, revision=revision
        )
    raise ValidationError({"decision": [_("Say approve or reject.")]})


def changes_unapproved() -> list[Change]:
    return [change for change in changes_pending() if change.approved_by is None]


def changes_blocking(changes: list[Change]) -> list[Change]:
    """The unapproved changes a release must wait for: all but translations alone."""
    return [c for c in changes if c.approved_by is None and not c.translation_only]


def key_released(*, section: str, key: str) -> bool:
    """Whether the latest release holds this key: then it is never renamed (a rename is a
    removal and an addition, each reviewed)."""
    release = Release.objects.newest()
    return release is not None and key in _by_key(release.knowledge_base, section)
