"""The teaching API: the one vocabulary of options, the board's decision for a session
case, the mapping of a trainee's "Other" answer, a case's outcome, a session's summary and
a trainee's progress. The services (board.decisions) check who may and what they accept;
a problem answers 400, 403 or 409 with what to fix."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from board.agreement import session_summary
from board.choices import BestResponse, Implemented, NoRecommendationReason, NotImplementedReason
from board.decisions import choice_map, decision_record, outcome_record
from board.models import BoardSession, ProposalChoice
from board.options import options_list
from board.presentation import strategy_options
from board.progress import group_progress, trainee_progress
from board.selectors import decision_get, outcome_get
from cases.models import CaseProfile
from core.notices import DISCLAIMER_SHORT
from core.permissions import ModelPermissionsByMethod
from rules.choices import EvidenceLevel


class OptionSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The option: what decisions and mappings name.")
    choose_as = serializers.CharField(help_text="What a proposal sends to choose it.")
    label = serializers.CharField()
    kind = serializers.ChoiceField(["strategy", "standard", "no_change", "trial"])
    in_review = serializers.BooleanField(help_text="Whether the review itself mentions it.")
    review_note = serializers.CharField()


class OptionsView(APIView):
    """Every option a trainee, an educator or the engine can name. Two entries with one `id`
    are one option (T-DXd from the strategies or from the standard of care)."""

    @extend_schema(responses={200: OptionSerializer(many=True)})
    def get(self, request):
        entries = options_list(strategies=strategy_options())
        return Response([entry.__dict__ for entry in entries])


class DecisionOptionSerializer(serializers.Serializer):
    option = serializers.CharField(help_text="An option id from `options_list`.")
    evidence_grade = serializers.ChoiceField(EvidenceLevel.choices)
    rationale = serializers.CharField(allow_blank=True, required=False, max_length=2000)


class DecisionSerializer(serializers.Serializer):
    options = DecisionOptionSerializer(many=True, help_text="Up to three, best first.")
    no_recommendation_reason = serializers.ChoiceField(
        NoRecommendationReason.choices, allow_blank=True, required=False
    )
    version = serializers.IntegerField(
        required=False, allow_null=True, help_text="The version you read, when changing it."
    )


def _strict(serializer_class, data):
    """Validate with `serializer_class`, refusing fields it does not declare."""
    serializer = serializer_class(data=data)
    unknown = set(data) - set(serializer.fields) if isinstance(data, dict) else set()
    serializer.is_valid(raise_exception=True)
    if unknown:
        raise serializers.ValidationError({name: ["Unknown field; refused."] for name in unknown})
    return serializer.validated_data


def _decision_body(decision) -> dict:
    return {
        "options": decision.options,
        "no_recommendation_reason": decision.no_recommendation_reason,
        "version": decision.version,
        "decided_by": decision.decided_by.get_username(),
        "updated_at": decision.updated_at,
    }


class DecisionOutSerializer(DecisionSerializer):
    decided_by = serializers.CharField()
    updated_at = serializers.DateTimeField()


SESSION_RUNNING = [permissions.IsAuthenticated, ModelPermissionsByMethod]


def _session_case(pk: int, code: str) -> tuple[BoardSession, CaseProfile]:
    session = get_object_or_404(BoardSession, pk=pk)
    return session, get_object_or_404(session.cases, code=code)


class DecisionView(APIView):
    """The board's decision for a session case (the reveal's answer key)."""

    permission_classes = SESSION_RUNNING
    required_perms = {"GET": ["cases.view_caseprofile"], "PUT": ["board.change_boarddecision"]}

    @extend_schema(responses={200: DecisionOutSerializer})
    def get(self, request, pk: int, code: str):
        session, case = _session_case(pk, code)
        if session.is_open:
            raise exceptions.NotFound("The board decides after proposals lock.")
        decision = decision_get(session=session, case=case)
        if decision is None:
            raise exceptions.NotFound("No decision is recorded for this case yet.")
        return Response(_decision_body(decision))

    @extend_schema(request=DecisionSerializer, responses={200: DecisionOutSerializer})
    def put(self, request, pk: int, code: str):
        session, case = _session_case(pk, code)
        data = _strict(DecisionSerializer, request.data)
        decision = decision_record(
            session=session,
            case=case,
            user=request.user,
            options=[dict(item) for item in data["options"]],
            no_recommendation_reason=data.get("no_recommendation_reason", ""),
            version=data.get("version"),
        )
        return Response(_decision_body(decision))


class MappingSerializer(serializers.Serializer):
    choice = serializers.IntegerField(help_text="The id of the proposal choice ('Other').")
    option = serializers.CharField(
        allow_blank=True, help_text="An option id, 'new-idea', or '' to unmap."
    )


class MappingView(APIView):
    """Map a trainee's "Other" answer to an option; the scores recompute."""

    permission_classes = SESSION_RUNNING
    required_perms = {"POST": ["board.change_boarddecision"]}

    @extend_schema(request=MappingSerializer, responses={200: MappingSerializer})
    def post(self, request, pk: int, code: str):
        session, case = _session_case(pk, code)
        data = _strict(MappingSerializer, request.data)
        choice = get_object_or_404(
            ProposalChoice.objects.select_related("proposal"),
            pk=data["choice"],
            proposal__session=session,
            proposal__case=case,
        )
        choice_map(session=session, choice=choice, user=request.user, option=data["option"])
        return Response({"choice": choice.pk, "option": choice.mapped_option})


class OutcomeSerializer(serializers.Serializer):
    implemented = serializers.ChoiceField(Implemented.choices)
    not_implemented_reason = serializers.ChoiceField(
        NotImplementedReason.choices, allow_blank=True, required=False
    )
    best_response = serializers.ChoiceField(BestResponse.choices, allow_blank=True, required=False)
    progressed = serializers.BooleanField(allow_null=True, required=False)
    months_to_progression = serializers.IntegerField(
        min_value=0, max_value=600, allow_null=True, required=False,
        help_text="Whole months since the board; never a date.",
    )  # fmt: skip
    months_followed = serializers.IntegerField(
        min_value=0, max_value=600, allow_null=True, required=False,
        help_text="Whole months since the board; never a date.",
    )  # fmt: skip
    notes = serializers.CharField(allow_blank=True, required=False, max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True)


OUTCOME_FIELDS = [
    "implemented", "not_implemented_reason", "best_response", "progressed",
    "months_to_progression", "months_followed", "notes", "version",
]  # fmt: skip


class OutcomeView(APIView):
    """What happened after the board (hindsight for later sessions). Months, never dates."""

    permission_classes = SESSION_RUNNING
    required_perms = {"GET": ["board.view_caseoutcome"], "PUT": ["board.change_caseoutcome"]}

    @extend_schema(responses={200: OutcomeSerializer})
    def get(self, request, code: str):
        outcome = outcome_get(case=get_object_or_404(CaseProfile, code=code))
        if outcome is None:
            raise exceptions.NotFound("No outcome is recorded for this case yet.")
        return Response({name: getattr(outcome, name) for name in OUTCOME_FIELDS})

    @extend_schema(request=OutcomeSerializer, responses={200: OutcomeSerializer})
    def put(self, request, code: str):
        case = get_object_or_404(CaseProfile, code=code)
        data = _strict(OutcomeSerializer, request.data)
        outcome = outcome_record(
            case=case, user=request.user, data=data, version=data.get("version")
        )
        return Response({name: getattr(outcome, name) for name in OUTCOME_FIELDS})


class ScoreSerializer(serializers.Serializer):
    trainee = serializers.CharField()
    board = serializers.FloatField(allow_null=True, help_text="Agreement with the board.")
    engine = serializers.FloatField(allow_null=True, help_text="Agreement with the engine.")
    scored = serializers.IntegerField()


class CaseScoreSerializer(serializers.Serializer):
    case = serializers.CharField()
    decided = serializers.BooleanField()
    proposals = serializers.IntegerField()
    board = serializers.FloatField(allow_null=True)
    engine = serializers.FloatField(allow_null=True)


class SummarySerializer(serializers.Serializer):
    disclaimer = serializers.CharField()
    cases = CaseScoreSerializer(many=True)
    trainees = ScoreSerializer(many=True)
    kappa = serializers.FloatField(allow_null=True)
    unmapped = serializers.IntegerField()
    after_reveal_left_out = serializers.IntegerField()


class SummaryView(APIView):
    """A session's summary for its educator: agreement with the board (the headline) and
    with the engine, per case and per trainee; Fleiss' kappa between trainees."""

    @extend_schema(responses={200: SummarySerializer})
    def get(self, request, pk: int):
        session = get_object_or_404(BoardSession, pk=pk)
        if session.educator_id != request.user.pk:
            raise exceptions.PermissionDenied("Only the session's educator reads its summary.")
        summary = session_summary(session=session)
        return Response(
            {
                "disclaimer": DISCLAIMER_SHORT,
                "cases": [
                    {
                        "case": row.case.code,
                        "decided": row.decision is not None,
                        "proposals": len(row.proposals),
                        "board": row.mean_board,
                        "engine": row.mean_jaccard,
                    }
                    for row in summary["cases"]
                ],
                "trainees": summary["trainees"],
                "kappa": summary["kappa"],
                "unmapped": summary["unmapped"],
                "after_reveal_left_out": summary["after_reveal_left_out"],
            }
        )


class ProgressSessionSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    title = serializers.CharField()
    board = serializers.FloatField(allow_null=True)
    engine = serializers.FloatField(allow_null=True)
    exact = serializers.IntegerField()
    over = serializers.IntegerField()
    under = serializers.IntegerField()
    not_assessable = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    disclaimer = serializers.CharField()
    trainee = serializers.CharField()
    sessions = ProgressSessionSerializer(many=True)


class ProgressView(APIView):
    """A trainee's progress across sessions: agreement with the board and the engine, and
    evidence calibration, per session, oldest first. The trainee themself, or an educator."""

    @extend_schema(responses={200: ProgressSerializer})
    def get(self, request, username: str):
        trainee = get_object_or_404(get_user_model(), username=username)
        if trainee.pk != request.user.pk and not request.user.has_perm("board.change_boardsession"):
            raise exceptions.PermissionDenied("Only the trainee or an educator reads this.")
        return Response(
            {
                "disclaimer": DISCLAIMER_SHORT,
                "trainee": trainee.get_username(),
                "sessions": trainee_progress(trainee=trainee),
            }
        )


class GroupTraineeSerializer(serializers.Serializer):
    trainee = serializers.CharField()
    board = serializers.FloatField(allow_null=True)
    engine = serializers.FloatField(allow_null=True)
    sessions = serializers.IntegerField()
    exact = serializers.IntegerField()
    over = serializers.IntegerField()
    under = serializers.IntegerField()
    not_assessable = serializers.IntegerField()
    never_matched = serializers.ListField(
        child=serializers.CharField(),
        help_text="Mechanisms of the board's choices the trainee never chose as the board did.",
    )
    rows = ProgressSessionSerializer(many=True)


class GroupProgressSerializer(serializers.Serializer):
    disclaimer = serializers.CharField()
    group = ProgressSessionSerializer(many=True)
    trainees = GroupTraineeSerializer(many=True)


class GroupProgressView(APIView):
    """Every trainee's progress and the group's, session by session (for educators)."""

    permission_classes = SESSION_RUNNING
    required_perms = {"GET": ["board.change_boardsession"]}

    @extend_schema(responses={200: GroupProgressSerializer})
    def get(self, request):
        progress = group_progress()
        trainees = [{k: v for k, v in t.items() if k != "trend"} for t in progress["trainees"]]
        return Response(
            {"disclaimer": DISCLAIMER_SHORT, "group": progress["group"], "trainees": trainees}
        )
