"""Dated knowledge-base releases, as OncoKB publishes its data: writes and reads.

A release can be published only when a second curator approved every change in it
(rules.reviews).

Curators change the working copy (the rule, strategy, mechanism and reference tables,
every change in their history with who, when and why). Users' evaluations, case pages,
snapshots and CDS cards use the latest release only. `release_publish` stores the whole
working copy under a name such as `2026.2` with the date and a changelog made from the
reasons recorded with each change since the previous release.

A release also stores its Ukrainian text and each entry's review status
(`translation_status`, rules.translations): a translation no curator approved yet ships
marked unreviewed rather than holding the release back.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rules.curation import knowledge_base_export
from rules.knowledge_base import knowledge_base_from_release, knowledge_base_get
from rules.models import Release
from rules.reviews import NO_REASON, SECTIONS, changes_blocking, changes_pending
from rules.titles import titles_too_long
from rules.translations import (
    KEYS,
    translation_changelog,
    translation_defaults,
    translation_fields,
    translation_status_compute,
)

ACTIONS = {"+": "added", "~": "changed", "-": "removed"}


def _quotes_changed(record) -> str:
    """For a rule's change that changed what it quotes of the review: the quotes now."""
    quotes = getattr(record, "provenance", None)
    if quotes is None or record.history_type == "-":
        return ""
    previous = record.prev_record
    if previous is not None and previous.provenance == quotes:
        return ""
    said = " ".join(f"“{q['quote']}” (paragraph {q['paragraph']})" for q in quotes)
    return f" The review says: {said}" if said else " It quotes nothing of the review now."


def release_changelog(*, since: datetime | None) -> list[str]:
    """One line per recorded change of the working copy after `since`, oldest first:
    what changed, who changed it, and the reason they gave."""
    changes: list[tuple[Any, str]] = []
    for model, name, noun in SECTIONS.values():
        records = model.history.select_related("history_user").order_by("history_date")
        if since is not None:
            records = records.filter(history_date__gt=since)
        for record in records:
            who = record.history_user.get_username() if record.history_user else "an import"
            reason = record.history_change_reason or NO_REASON
            line = f"{noun} {getattr(record, name)} {ACTIONS[record.history_type]} by {who}: "
            changes.append((record.history_date, line + reason + _quotes_changed(record)))
    return [line for _, line in sorted(changes, key=lambda change: change[0])]


def _translations(data: Mapping[str, Any], statuses: Mapping[str, Any]) -> dict[str, Any]:
    """What users see of a knowledge base's translations: each entry's Ukrainian text and
    choices, and its status."""
    texts = {
        section: {
            item[key]: [
                {**translation_defaults(section), **item}[f] or None
                for f in translation_fields(section)
            ]
            for item in data.get(section, [])
        }
        for section, key in KEYS.items()
    }
    return {"texts": texts, "statuses": statuses}


def releases_list() -> Sequence[Release]:
    return Release.objects.select_related("published_by").order_by("-id")


def release_check(*, name: str) -> tuple[Release, Any, Release | None]:
    """Whether the working copy can be published as `name`: (the unsaved release, the
    working knowledge base, the previous release), or ValidationError keyed by name.

    Refused when the name is taken or malformed, when a published rule no longer
    compiles, or when nothing users would see has changed since the previous release.
    """
    release = Release(name=name.strip(), published_at=timezone.now())
    release.full_clean(exclude=["knowledge_base", "version", "changelog", "published_at"])
    working = knowledge_base_get()
    if working.broken:
        raise ValidationError(
            {
                "name": [
                    _("Published rules no longer compile: %(rules)s.")
                    % {"rules": ", ".join(working.broken)}
                ]
            }
        )
    unfit = titles_too_long({rule.slug: rule.title for rule in working.ruleset.rules})
    if unfit:
        raise ValidationError(
            {
                "name": [
                    _(
                        "These rules' titles cannot be a CDS card's summary (under 140 "
                        "characters, cut at a word, the evidence in brackets kept): %(rules)s."
                    )
                    % {"rules": ", ".join(unfit)}
                ]
            }
        )
    previous = Release.objects.newest()
    changes = changes_pending()
    data = knowledge_base_export()
    released = previous.knowledge_base if previous else {}
    statuses = translation_status_compute(working=data, previous=released, changes=changes)
    if (
        previous is not None
        and knowledge_base_from_release(previous).version == working.version
        and _translations(released, released.get("translation_status") or {})
        == _translations(data, statuses)
    ):
        raise ValidationError(
            {
                "name": [
                    _("Nothing users see has changed since release %(name)s.")
                    % {"name": previous.name}
                ]
            }
        )
    waiting = changes_blocking(changes)
    if waiting:
        listed = ", ".join(f"{c.noun} {c.key}" for c in waiting[:10])
        more = _(" and %(count)s more") % {"count": len(waiting) - 10} if len(waiting) > 10 else ""
        raise ValidationError(
            {
                "name": [
                    ngettext(
                        "%(count)s change awaits a second curator's approval: %(listed)s.",
                        "%(count)s changes await a second curator's approval: %(listed)s.",
                        len(waiting),
                    )
                    % {"count": len(waiting), "listed": listed + more}
                ]
            }
        )
    return release, working, previous


@transaction.atomic
def release_publish(*, name: str, user: AbstractBaseUser | None = None) -> Release:
    """Publish the working copy as release `name`; from now on users' evaluations use it.

    Once the transaction commits, board.apps (a post_save receiver on Release: board is a
    later layer, which rules cannot call) rebuilds the cohort dashboard's stored
    evaluations for the new release, up to board.stored.REFRESH_IN_REQUEST cases."""
    release, working, previous = release_check(name=name)
    release.published_by = user
    changes = changes_pending()
    approvals = [
        f"{change.noun} {change.key} approved by {change.approved_by}"
        for change in changes
        if change.approved_by is not None and not change.translation_only
    ]
    release.changelog = [
        *release_changelog(since=previous.published_at if previous else None),
        *approvals,
    ]
    release.knowledge_base = knowledge_base_export(source=f"her2-board release {release.name}")
    statuses = translation_status_compute(
        working=release.knowledge_base,
        previous=previous.knowledge_base if previous else None,
        changes=changes,
    )
    release.knowledge_base["translation_status"] = statuses
    release.changelog += translation_changelog(statuses=statuses, changes=changes)
    release.version = working.version
    release.save()
    return release
