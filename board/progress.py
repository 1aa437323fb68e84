"""Progress across sessions: for a trainee, and for every trainee and the group, agreement
with the board and with the engine and evidence calibration, session by session; and the
mechanisms each trainee has never chosen as the board did. Proposals made after a reveal
are left out, as in each session's summary.

Everything is read in a fixed number of queries, and each case is evaluated once (the
evaluation memo answers repeats), whatever the number of sessions and trainees.
"""

from collections import Counter, defaultdict
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache

from board.agreement import CALIBRATION_KEYS, engine_by_option, score_facts, strategy_slugs
from board.models import BoardDecision, BoardSession, TraineeProposal
from board.presentation import name_shown
from board.scoring import proposal_facts
from cases.models import CaseProfile
from rules.evaluation import profile_evaluate
from rules.knowledge_base import knowledge_base_published
from rules.models import Rule
from rules.translations import in_english


def _mechanisms() -> dict[str, str]:
    """Strategy option -> the first mechanism (in the review's order) its rules name."""
    found: dict[str, str] = {}
    rows = Rule.objects.filter(strategy__isnull=False).order_by("mechanism__position", "slug")
    with in_english():
        rows = list(rows.values_list("strategy__slug", "mechanism__name"))
    for slug, mechanism in rows:
        found.setdefault(f"strategy:{slug}", mechanism)
    return {option: name_shown("mechanisms", name) for option, name in found.items()}


def _scored_proposals(proposals) -> list[dict[str, Any]]:
    """Each proposal's facts with its scores (board.agreement.score_facts)."""
    facts = proposal_facts(proposals)
    decisions = {
        (d.session_id, d.case_id): d
        for d in BoardDecision.objects.filter(session_id__in=proposals.values("session_id"))
    }
    slugs = strategy_slugs()
    kb = knowledge_base_published()
    engines: dict[int, dict] = {}
    for case in CaseProfile.objects.filter(pk__in={f.case_id for f in facts}):
        payload = profile_evaluate(profile=case.as_profile(), knowledge_base=kb)
        engines[case.pk] = engine_by_option(payload, slugs)
    scored = []
    for item in facts:
        decision = decisions.get((item.session_id, item.case_id))
        scores = score_facts(item, engines.get(item.case_id, {}), decision)
        scored.append(
            {
                "session": item.session_id,
                "trainee": item.trainee,
                "decision_options": tuple(decision.option_ids) if decision else None,
                "options": item.options,
                "board": scores["board"],
                "engine": scores["engine"],
                "calibration": scores["calibration"] or "not_assessable",
            }
        )
    return scored


def _proposals(**filters):
    return TraineeProposal.objects.filter(after_reveal=False, **filters).order_by(
        "session__created_at", "session_id", "case_id"
    )


def _mean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _by_session(scored: list[dict], titles: dict[int, str]) -> list[dict[str, Any]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    for item in scored:
        grouped[item["session"]].append(item)
    rows = []
    for pk, items in grouped.items():
        counts = Counter(item["calibration"] for item in items)
        rows.append(
            {
                "session": pk,
                "title": titles.get(pk, ""),
                "board": _mean([i["board"] for i in items]),
                "engine": _mean([i["engine"] for i in items]),
                **{key: counts.get(key, 0) for key in CALIBRATION_KEYS},
            }
        )
    return rows


def trainee_progress(*, trainee: AbstractBaseUser) -> list[dict[str, Any]]:
    """The trainee's sessions, oldest first: agreement with the board and the engine, and
    calibration counts."""
    proposals = _proposals(trainee=trainee)
    titles = dict(
        BoardSession.objects.filter(pk__in=proposals.values("session_id")).values_list(
            "pk", "title"
        )
    )
    return _by_session(_scored_proposals(proposals), titles)


# Each session's sums per trainee, kept in the shared cache under the session's revision
# and the knowledge base's version (either moving on makes a new key; old ones lapse):
# the educator's page over every session adds them up instead of scoring tens of
# thousands of proposals on every view (docs/performance.md).
PROGRESS_KEPT_SECONDS = 24 * 3600


def _tally(items: list[dict], mechanisms: dict[str, str]) -> dict[str, Any]:
    """Sums that add up across sessions: agreement sums and counts, calibration counts,
    and for each mechanism of the board's options whether it was ever chosen."""
    tally = {"board": [0.0, 0], "engine": [0.0, 0], "calibration": Counter(), "matched": {}}
    for item in items:
        for key in ("board", "engine"):
            if item[key] is not None:
                tally[key][0] += item[key]
                tally[key][1] += 1
        tally["calibration"][item["calibration"]] += 1
        for option in item["decision_options"] or ():
            mechanism = mechanisms.get(option)
            if mechanism:
                matched = tally["matched"].get(mechanism, False)
                tally["matched"][mechanism] = matched or option in item["options"]
    return tally


def _merge(tallies: list[dict]) -> dict[str, Any]:
    merged = {"board": [0.0, 0], "engine": [0.0, 0], "calibration": Counter(), "matched": {}}
    for tally in tallies:
        for key in ("board", "engine"):
            merged[key][0] += tally[key][0]
            merged[key][1] += tally[key][1]
        merged["calibration"].update(tally["calibration"])
        for mechanism, matched in tally["matched"].items():
            merged["matched"][mechanism] = merged["matched"].get(mechanism, False) or matched
    return merged


def _row(tally: dict[str, Any]) -> dict[str, Any]:
    board, engine = tally["board"], tally["engine"]
    return {
        "board": board[0] / board[1] if board[1] else None,
        "engine": engine[0] / engine[1] if engine[1] else None,
        **{key: tally["calibration"].get(key, 0) for key in CALIBRATION_KEYS},
    }


def _sessions_tallied(sessions: list[tuple[int, int]]) -> dict[int, dict[str, dict]]:
    """Session -> trainee -> tally, from the shared cache where kept, else scored now."""
    version = knowledge_base_published().version
    keys = {pk: f"progress:{pk}:{revision}:{version}" for pk, revision in sessions}
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        mechanisms = _mechanisms()
        grouped: dict[int, dict[str, list]] = {pk: defaultdict(list) for pk in missing}
        for item in _scored_proposals(_proposals(session_id__in=missing)):
            grouped[item["session"]][item["trainee"]].append(item)
        fresh = {
            keys[pk]: {name: _tally(items, mechanisms) for name, items in per_trainee.items()}
            for pk, per_trainee in grouped.items()
        }
        cache.set_many(fresh, PROGRESS_KEPT_SECONDS)
        found.update(fresh)
    return {pk: found[keys[pk]] for pk, _ in sessions}


def group_progress() -> dict[str, Any]:
    """The group's agreement and calibration per session; and each trainee's overall
    figures, their agreement with the board session by session (for a small chart), and
    the mechanisms of the board's choices they have never chosen as the board did."""
    sessions = list(
        BoardSession.objects.filter(proposals__isnull=False)
        .distinct()
        .order_by("created_at", "pk")
        .values_list("pk", "revision", "title")
    )
    titles = {pk: title for pk, _, title in sessions}
    tallied = _sessions_tallied([(pk, revision) for pk, revision, _ in sessions])
    group = [
        {"session": pk, "title": title, **_row(_merge(list(tallied[pk].values())))}
        for pk, _, title in sessions
    ]
    names = sorted({name for per_trainee in tallied.values() for name in per_trainee})
    trainees = []
    for name in names:
        mine = [(pk, tallied[pk][name]) for pk, _, _ in sessions if name in tallied[pk]]
        overall = _merge([tally for _, tally in mine])
        rows = [{"session": pk, "title": titles[pk], **_row(tally)} for pk, tally in mine]
        trainees.append(
            {
                "trainee": name,
                **_row(overall),
                "sessions": len(mine),
                "rows": rows,
                "trend": trend_points([row["board"] for row in rows]),
                "never_matched": sorted(m for m, ok in overall["matched"].items() if not ok),
            }
        )
    return {"group": group, "trainees": trainees}


def trend_points(values: list[float | None], *, width: int = 120, height: int = 24) -> str:
    """An SVG polyline's points for a small trend chart (agreement per session, 0 to 1);
    sessions without a score are skipped."""
    step = width / max(len(values) - 1, 1)
    return " ".join(
        f"{index * step:.1f},{height - value * height:.1f}"
        for index, value in enumerate(values)
        if value is not None
    )


def progress_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry of a per-session bar chart (board and engine agreement side by side),
    drawn as inline SVG by the template."""
    width, bar, gap, label = 420, 12, 8, 150
    span = width - label - 60
    bars = []
    for index, row in enumerate(rows):
        y = index * (2 * bar + gap)
        bars.append(
            {
                "y": y,
                "label": row["title"][:24],
                "board": round((row["board"] or 0) * span, 1),
                "engine": round((row["engine"] or 0) * span, 1),
                "board_text": "—" if row["board"] is None else f"{row['board']:.2f}",
                "engine_text": "—" if row["engine"] is None else f"{row['engine']:.2f}",
            }
        )
    return {"width": width, "bar": bar, "label": label, "bars": bars,
            "height": max(len(rows), 1) * (2 * bar + gap)}  # fmt: skip
