"""Training-mode board sessions: an educator's cases, trainees' proposals, and agreement.

A trainee proposes first; only then are the engine's suggestions shown beside the
proposal (`proposal_agreement`), and the educator sees every trainee's (`session_overview`).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef

from board.models import BoardSession, SessionCase, TraineeProposal
from cases.deid import text_screen
from cases.models import CaseProfile
from core.roles import TRAINEE
from rules.evaluation import profile_evaluate, strategy_names
from rules.knowledge_base import KnowledgeBase, knowledge_base_published
from rules.models import Strategy


def session_create(*, title: str, educator: AbstractBaseUser) -> BoardSession:
    text_screen(title)
    return BoardSession.objects.create(title=title, educator=educator)


def session_case_add(*, session: BoardSession, code: str) -> tuple[CaseProfile, bool]:
    """Add a stored case to a session by its code: (the case, whether it was new there).
    An unknown code is refused."""
    case = CaseProfile.objects.filter(code=code.strip().upper()).first()
    if case is None:
        raise ValidationError({"code": ["No case has that code."]})
    _, created = SessionCase.objects.get_or_create(
        session=session, case=case, defaults={"position": session.sessioncase_set.count()}
    )
    return case, created


def session_case_remove(
    *, session: BoardSession, case: CaseProfile, user: AbstractBaseUser
) -> None:
    """Take a case out of a session (its proposals go with it); only the educator may."""
    if session.educator_id != user.pk:
        raise PermissionDenied("Only the session's educator removes cases.")
    SessionCase.objects.filter(session=session, case=case).delete()
    TraineeProposal.objects.filter(session=session, case=case).delete()


def proposal_submit(
    *,
    session: BoardSession,
    case: CaseProfile,
    trainee: AbstractBaseUser,
    strategies: Iterable[Strategy],
    reasoning: str,
) -> TraineeProposal:
    """Record a trainee's own proposal; it is made once, before the engine is shown, and
    only while the session is open."""
    if not session.is_open:
        raise ValidationError("This session is closed; it takes no more proposals.", code="closed")
    text_screen(reasoning)
    if TraineeProposal.objects.filter(session=session, case=case, trainee=trainee).exists():
        raise ValidationError("You have already made a proposal for this case.")
    proposal = TraineeProposal.objects.create(
        session=session, case=case, trainee=trainee, reasoning=reasoning.strip()
    )
    proposal.strategies.set(strategies)
    return proposal


def session_open_set(*, session: BoardSession, user: AbstractBaseUser, is_open: bool) -> None:
    """Open or close a session; only its educator may."""
    if session.educator_id != user.pk:
        raise PermissionDenied("Only the session's educator opens or closes it.")
    session.is_open = is_open
    session.save(update_fields=["is_open"])


def proposal_due(*, user: AbstractBaseUser, case: CaseProfile) -> BoardSession | None:
    """An open session holding `case` in which `user`, a trainee who does not run it, has
    not proposed yet. Until they do, they get no suggestions for that case anywhere (case
    page, print, API evaluation and snapshots, CDS Hooks): propose first, really."""
    if not getattr(user, "is_authenticated", False):
        return None
    trainee = get_user_model().groups.through.objects.filter(user_id=user.pk, group__name=TRAINEE)
    proposed = TraineeProposal.objects.filter(session=OuterRef("pk"), case=case, trainee=user)
    return (
        BoardSession.objects.filter(is_open=True, cases=case)
        .exclude(educator_id=user.pk)
        .filter(Exists(trainee), ~Exists(proposed))
        .order_by("pk")
        .first()
    )


def propose_first_message(session: BoardSession, case: CaseProfile) -> str:
    return (
        f"Propose first: case {case.code} is in the open board session "
        f"\u201c{session.title}\u201d. Record your own proposal there; the engine's "
        "suggestions appear once you have."
    )


def proposal_agreement(*, chosen: set[str], engine: set[str]) -> dict[str, list[str]]:
    """Where a trainee's strategies and the engine's agree, and where either stands alone."""
    return {
        "agreed": sorted(chosen & engine),
        "trainee_only": sorted(chosen - engine),
        "engine_only": sorted(engine - chosen),
    }


def proposal_get(
    *, session: BoardSession, case: CaseProfile, trainee: AbstractBaseUser
) -> TraineeProposal | None:
    return TraineeProposal.objects.filter(session=session, case=case, trainee=trainee).first()


def session_cases(*, session: BoardSession):
    return session.cases.order_by("sessioncase__position", "sessioncase__id")


def proposed_case_ids(*, session: BoardSession, trainee: AbstractBaseUser) -> set[int]:
    return set(
        TraineeProposal.objects.filter(session=session, trainee=trainee).values_list(
            "case_id", flat=True
        )
    )


def sessions_open():
    return BoardSession.objects.filter(is_open=True).select_related("educator")


def session_overview(
    *, session: BoardSession, knowledge_base: KnowledgeBase | None = None
) -> list[dict[str, Any]]:
    """Per case: the engine's strategies and, per trainee, where they agreed or differed."""
    kb = knowledge_base or knowledge_base_published()
    proposals = (
        TraineeProposal.objects.filter(session=session)
        .select_related("trainee")
        .prefetch_related("strategies")
    )
    by_case: dict[int, list] = {}
    for proposal in proposals:
        by_case.setdefault(proposal.case_id, []).append(proposal)
    overview = []
    for case in session_cases(session=session):
        payload = profile_evaluate(profile=case.as_profile(), knowledge_base=kb)
        engine = strategy_names(payload)
        rows = [
            {
                "trainee": proposal.trainee,
                "proposal": proposal,
                **proposal_agreement(
                    chosen={s.name for s in proposal.strategies.all()}, engine=engine
                ),
            }
            for proposal in by_case.get(case.pk, [])
        ]
        overview.append({"case": case, "engine": sorted(engine), "trainees": rows})
    return overview


def proposal_reveal(*, proposal: TraineeProposal, case: CaseProfile) -> Mapping[str, Any]:
    """After a proposal: the engine's evaluation and where the trainee agreed with it."""
    evaluation = profile_evaluate(profile=case.as_profile())
    chosen = {s.name for s in proposal.strategies.all()}
    return {
        "evaluation": evaluation,
        **proposal_agreement(chosen=chosen, engine=strategy_names(evaluation)),
    }
