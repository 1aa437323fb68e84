"""Training-mode board sessions: an educator's cases, trainees' proposals, and agreement.

A trainee proposes first (up to three ranked options and an evidence-level guess); only
then, or once the educator locks the session, are the engine's suggestions shown. Reading
sessions back (reveal, summary, progress, debrief, export) is board.agreement.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from board.choices import MAX_CHOICES, SessionState, StandardOfCare
from board.models import BoardSession, ProposalChoice, SessionCase, TraineeProposal
from board.options import TRIAL, choice_option_id
from board.presentation import name_shown
from cases.deid import text_screen
from cases.models import CaseProfile
from core.queries import raw_compiled
from core.roles import TRAINEE
from rules.choices import EvidenceLevel
from rules.models import Strategy
from rules.translations import in_english


def session_revise(session_id: int) -> None:
    """Move the session's revision on: its scores changed (board.progress keeps them by it)."""
    BoardSession.objects.filter(pk=session_id).update(revision=F("revision") + 1)


def session_create(*, title: str, educator: AbstractBaseUser) -> BoardSession:
    text_screen(title)
    return BoardSession.objects.create(title=title, educator=educator)


def session_case_add(*, session: BoardSession, code: str) -> tuple[CaseProfile, bool]:
    """Add a stored case to a session by its code: (the case, whether it was new there).
    An unknown code is refused."""
    code = code.strip().upper()
    # Codes are short and printable; anything else (a NUL, say) names no case.
    case = (
        CaseProfile.objects.filter(code=code).first()
        if len(code) <= 16 and code.isprintable()
        else None
    )
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
        raise PermissionDenied(_("Only the session's educator removes cases."))
    SessionCase.objects.filter(session=session, case=case).delete()
    TraineeProposal.objects.filter(session=session, case=case).delete()
    session_revise(session.pk)


@dataclass(frozen=True)
class Option:
    """One ranked option as proposed: a strategy, a standard-of-care option, or other text."""

    strategy: Strategy | None = None
    standard: str = ""
    other: str = ""

    @property
    def label(self) -> str:
        if self.strategy is not None:
            with in_english():
                english = self.strategy.name
            return name_shown("strategies", english)
        if self.standard:
            label = StandardOfCare(self.standard).label
            return f"{label}: {self.other}" if self.other else label
        return f"Other: {self.other}"


def proposal_submit(
    *,
    session: BoardSession,
    case: CaseProfile,
    trainee: AbstractBaseUser,
    options: Sequence[Option],
    evidence_guess: str = "",
    reasoning: str = "",
) -> TraineeProposal:
    """Record a trainee's own proposal: up to three ranked options, a guess of the first
    one's evidence level, and reasoning. It is made once, before the engine is shown, and
    only while the session is open; free text is screened for identifiers."""
    if not session.is_open:
        raise ValidationError(_("This session takes no more proposals."), code="closed")
    if not 1 <= len(options) <= MAX_CHOICES:
        raise ValidationError(
            _("Choose from one to %(count)s options.") % {"count": MAX_CHOICES}, code="options"
        )
    keys = [
        choice_option_id(
            strategy_slug=o.strategy.slug if o.strategy else None, standard=o.standard, mapped=""
        )
        for o in options
    ]
    known = [k for k in keys if k is not None and k != TRIAL]
    if len(known) != len(set(known)):
        # The same treatment twice, perhaps from the two lists (T-DXd is one option).
        raise ValidationError(_("Each option once: the same choice appears twice."), code="options")
    for option in options:
        if option.other:
            text_screen(option.other)
    text_screen(reasoning)
    if evidence_guess and evidence_guess not in EvidenceLevel.values:
        raise ValidationError(_("Not an evidence level."), code="evidence_guess")
    already = ValidationError(_("You have already made a proposal for this case."))
    if TraineeProposal.objects.filter(session=session, case=case, trainee=trainee).exists():
        raise already
    try:
        with transaction.atomic():
            return _proposal_store(session, case, trainee, options, evidence_guess, reasoning)
    except IntegrityError:
        # A double submission raced past the check: the unique constraint holds, and the
        # second one gets the same answer as any second proposal.
        raise already from None


def _proposal_store(
    session: BoardSession,
    case: CaseProfile,
    trainee: AbstractBaseUser,
    options: Sequence[Option],
    evidence_guess: str,
    reasoning: str,
) -> TraineeProposal:
    proposal = TraineeProposal.objects.create(
        session=session,
        case=case,
        trainee=trainee,
        evidence_guess=evidence_guess,
        reasoning=reasoning.strip(),
        # Locked once, then re-opened: the reveal may have been seen.
        after_reveal=session.revealed,
    )
    ProposalChoice.objects.bulk_create(
        ProposalChoice(
            proposal=proposal,
            rank=rank,
            strategy=option.strategy,
            standard=option.standard,
            other=option.other.strip(),
            label=option.label[:200],
        )
        for rank, option in enumerate(options, start=1)
    )
    session_revise(session.pk)
    return proposal


def session_state_set(*, session: BoardSession, user: AbstractBaseUser, state: str) -> None:
    """Open, lock (no more proposals; the engine shown to every trainee) or close a
    session; only its educator may."""
    if session.educator_id != user.pk:
        raise PermissionDenied(_("Only the session's educator opens, locks or closes it."))
    session.state = SessionState(state)
    session.revealed = session.revealed or state != SessionState.OPEN
    session.save(update_fields=["state", "revealed"])


def _proposal_due_queryset(*, user_pk: int, case_pk: int):
    trainee = get_user_model().groups.through.objects.filter(user_id=user_pk, group__name=TRAINEE)
    proposed = TraineeProposal.objects.filter(
        session=OuterRef("pk"), case_id=case_pk, trainee_id=user_pk
    )
    return (
        BoardSession.objects.filter(state=SessionState.OPEN, cases=case_pk)
        .exclude(educator_id=user_pk)
        .filter(Exists(trainee), ~Exists(proposed))
        .order_by("pk")[:1]
    )


def proposal_due(*, user: AbstractBaseUser, case: CaseProfile) -> BoardSession | None:
    """An open session holding `case` in which `user`, a trainee who does not run it, has
    not proposed yet. Until they do, they get no suggestions for that case anywhere (case
    page, print, API evaluation and snapshots, CDS Hooks): propose first, really.

    Asked on every case page and case evaluation, so its SQL is compiled once (building
    the query cost more than running it: a fifth of a case page)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return next(iter(raw_compiled(_proposal_due_queryset, user_pk=user.pk, case_pk=case.pk)), None)


def proposal_due_case_ids(*, user: AbstractBaseUser, case_ids: Sequence[int]) -> set[int]:
    """Of these cases, those for which `user` owes a proposal (as proposal_due), in one
    query."""
    if not getattr(user, "is_authenticated", False) or not case_ids:
        return set()
    if not user.groups.filter(name=TRAINEE).exists():
        return set()
    proposed = TraineeProposal.objects.filter(
        session=OuterRef("session"), case=OuterRef("case"), trainee=user
    )
    return set(
        SessionCase.objects.filter(case_id__in=case_ids, session__state=SessionState.OPEN)
        .exclude(session__educator_id=user.pk)
        .filter(~Exists(proposed))
        .values_list("case_id", flat=True)
    )


def profile_facts(profile) -> tuple:
    """A profile's facts, comparable whatever the order of lists and markers (not its
    notes, nor the derived HER2 status)."""
    items = []
    for name, value in profile.items():
        if name in ("notes", "her2_status"):
            continue
        if isinstance(value, dict):
            value = tuple(sorted(value.items()))
        elif isinstance(value, list | tuple):
            value = tuple(sorted(value))
        items.append((name, value))
    return tuple(sorted(items))


def _proposal_due_cases_queryset(*, user_pk: int):
    trainee = get_user_model().groups.through.objects.filter(user_id=user_pk, group__name=TRAINEE)
    proposed = TraineeProposal.objects.filter(
        session=OuterRef("session"), case=OuterRef("case"), trainee_id=user_pk
    )
    return (
        SessionCase.objects.filter(session__state=SessionState.OPEN)
        .exclude(session__educator_id=user_pk)
        .filter(Exists(trainee), ~Exists(proposed))
        .order_by("session_id", "position")
    )


def proposal_due_cases(*, user: AbstractBaseUser) -> list[tuple[BoardSession, CaseProfile]]:
    """Every (open session, case) for which `user`, a trainee who does not run the session,
    owes a proposal; none for a user in no trainee group.

    Asked on every evaluation through the API (the facts check), so its SQL is compiled
    once (core.queries): building it cost more than running it. One query when nothing is
    owed; the sessions and cases of what is owed come in two more."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = list(raw_compiled(_proposal_due_cases_queryset, user_pk=user.pk))
    if not rows:
        return []
    sessions = BoardSession.objects.in_bulk({row.session_id for row in rows})
    cases = CaseProfile.objects.in_bulk({row.case_id for row in rows})
    return [(sessions[row.session_id], cases[row.case_id]) for row in rows]


def proposal_due_facts(*, user: AbstractBaseUser) -> dict[tuple, tuple]:
    """The facts of every case `user` owes a proposal for -> (session, case)."""
    return {
        profile_facts(case.as_profile()): (s, case) for s, case in proposal_due_cases(user=user)
    }


def proposal_due_for_facts(
    *, user: AbstractBaseUser, profile, besides: CaseProfile | None = None
) -> tuple | None:
    """(session, case) when `profile` has the same facts as a case `user` owes a proposal
    for: a copy of the case would show its suggestions before the proposal (propose first,
    really). `besides`: a case being edited, which is not a copy of itself."""
    due = proposal_due_cases(user=user)
    if not due:
        return None
    facts = profile_facts(profile)
    for session, case in due:
        if case != besides and profile_facts(case.as_profile()) == facts:
            return session, case
    return None


def propose_first_message(session: BoardSession, case: CaseProfile) -> str:
    text = gettext(
        "Propose first: case %(code)s is in the open board session \u201c%(title)s\u201d. "
        "Record your own proposal there; the engine's suggestions appear once you have."
    )
    return text % {"code": case.code, "title": session.title}


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
    return BoardSession.objects.filter(state=SessionState.OPEN).select_related("educator")
