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

from board.agreement import (
    CALIBRATION_KEYS,
    calibration,
    engine_strategies,
    reference_level,
    strategy_slugs,
)
from board.models import BoardDecision, TraineeProposal
from board.scoring import board_agreement, engine_agreement, proposal_options, proposal_unmapped
from rules.evaluation import profile_evaluate
from rules.knowledge_base import knowledge_base_published
from rules.models import Rule


def _mechanisms() -> dict[str, str]:
    """Strategy option -> the first mechanism (in the review's order) its rules name."""
    found: dict[str, str] = {}
    rows = Rule.objects.filter(strategy__isnull=False).order_by("mechanism__position", "slug")
    for slug, mechanism in rows.values_list("strategy__slug", "mechanism__name"):
        found.setdefault(f"strategy:{slug}", mechanism)
    return found


def _scored_proposals(proposals) -> list[dict[str, Any]]:
    """Each proposal with its scores, its session and its trainee."""
    proposals = list(proposals)
    sessions = {p.session_id for p in proposals}
    decisions = {
        (d.session_id, d.case_id): d for d in BoardDecision.objects.filter(session_id__in=sessions)
    }
    slugs = strategy_slugs()
    kb = knowledge_base_published()
    engines: dict[int, dict] = {}
    scored = []
    for proposal in proposals:
        if proposal.case_id not in engines:
            payload = profile_evaluate(profile=proposal.case.as_profile(), knowledge_base=kb)
            engines[proposal.case_id] = {
                f"strategy:{slugs[name]}": item
                for name, item in engine_strategies(payload).items()
                if name in slugs
            }
        engine = engines[proposal.case_id]
        decision = decisions.get((proposal.session_id, proposal.case_id))
        options = proposal_options(proposal)
        unscored = not options and proposal_unmapped(proposal) > 0
        level, _ = reference_level(options[0] if options else None, engine, decision)
        scored.append(
            {
                "proposal": proposal,
                "decision": decision,
                "options": options,
                "board": None if unscored else board_agreement(options, decision),
                "engine": engine_agreement(options, list(engine), unscored),
                "calibration": calibration(proposal.evidence_guess, level) or "not_assessable",
            }
        )
    return scored


def _proposals(**filters):
    return (
        TraineeProposal.objects.filter(after_reveal=False, **filters)
        .select_related("session", "case", "trainee")
        .prefetch_related("choices__strategy")
        .order_by("session__created_at", "session_id", "case_id")
    )


def _mean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _by_session(scored: list[dict]) -> list[dict[str, Any]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    titles = {}
    for item in scored:
        session = item["proposal"].session
        grouped[session.pk].append(item)
        titles[session.pk] = session.title
    rows = []
    for pk, items in grouped.items():
        counts = Counter(item["calibration"] for item in items)
        rows.append(
            {
                "session": pk,
                "title": titles[pk],
                "board": _mean([i["board"] for i in items]),
                "engine": _mean([i["engine"] for i in items]),
                **{key: counts.get(key, 0) for key in CALIBRATION_KEYS},
            }
        )
    return rows


def trainee_progress(*, trainee: AbstractBaseUser) -> list[dict[str, Any]]:
    """The trainee's sessions, oldest first: agreement with the board and the engine, and
    calibration counts."""
    return _by_session(_scored_proposals(_proposals(trainee=trainee)))


def never_matched(scored: list[dict], mechanisms: dict[str, str]) -> list[str]:
    """Mechanisms of the board's options that the trainee's proposals for those cases
    never included, in name order."""
    seen: dict[str, bool] = {}
    for item in scored:
        decision = item["decision"]
        if decision is None:
            continue
        for option in decision.option_ids:
            mechanism = mechanisms.get(option)
            if mechanism:
                seen[mechanism] = seen.get(mechanism, False) or option in item["options"]
    return sorted(mechanism for mechanism, matched in seen.items() if not matched)


def group_progress() -> dict[str, Any]:
    """Every trainee's sessions (as trainee_progress), the group's per session, and the
    mechanisms each trainee has never chosen as the board did."""
    scored = _scored_proposals(_proposals())
    mechanisms = _mechanisms()
    per_trainee: dict[str, list[dict]] = defaultdict(list)
    for item in scored:
        per_trainee[item["proposal"].trainee.get_username()].append(item)
    return {
        "group": _by_session(scored),
        "trainees": [
            {
                "trainee": name,
                "sessions": _by_session(items),
                "board": _mean([i["board"] for i in items]),
                "engine": _mean([i["engine"] for i in items]),
                "never_matched": never_matched(items, mechanisms),
            }
            for name, items in sorted(per_trainee.items())
        ],
    }


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
