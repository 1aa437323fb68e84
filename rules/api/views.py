"""API views of the knowledge base (/api/v1/rules/, strategies/, mechanisms/, references/)
and of the changes awaiting a second curator (/api/v1/revisions/).

Curators write rules with the admin's checks (rules.curation); everyone signed in reads.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.deid import control_characters_validate
from core.concurrency import version_required
from core.permissions import IsMember, ModelPermissionsByMethod
from rules.api.serializers import (
    MechanismSerializer,
    ReferenceSerializer,
    ReleaseSerializer,
    RuleSerializer,
    RuleUpdateSerializer,
    StrategySerializer,
)
from rules.choices import RuleStatus
from rules.curation import rule_save
from rules.models import Mechanism, Reference, Release, Rule, Strategy
from rules.reviews import SECTIONS, ChangeMoved, change_decide, changes_pending, key_released
from rules.translations import in_english


class KnowledgeBasePermission(permissions.DjangoModelPermissions):
    """Every signed-in user reads; writes need the curator's model permissions."""


@extend_schema_view(
    update=extend_schema(request=RuleUpdateSerializer, responses={200: RuleSerializer}),
    partial_update=extend_schema(request=RuleUpdateSerializer, responses={200: RuleSerializer}),
)
class RuleViewSet(viewsets.ModelViewSet):
    """Rules; curators write them with the admin's checks, history and draft/publish rules."""

    serializer_class = RuleSerializer
    permission_classes = [IsMember, KnowledgeBasePermission]
    lookup_field = "slug"
    queryset = Rule.objects.select_related("mechanism", "strategy")
    filterset_fields = ["status", "kind", "evidence_level"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.request.user.has_perm("rules.change_rule"):
            queryset = queryset.filter(status=RuleStatus.PUBLISHED)
        return queryset

    def _save(self, serializer, instance: Rule, expected_version: int | None = None):
        data = dict(serializer.validated_data)
        reason = data.pop("change_reason", "").strip()
        if not reason:  # a PATCH may leave out any field but this one
            raise exceptions.ValidationError(
                {"change_reason": ["Say why: it goes to the reviewer and the changelog."]}
            )
        instance._change_reason = reason
        slug = data.get("slug", instance.slug)
        if (
            instance.pk
            and slug != instance.slug
            and key_released(section="rules", key=instance.slug)
        ):
            raise exceptions.ValidationError(
                {
                    "slug": [
                        "A released rule keeps its slug: add a rule under the new slug and "
                        "retire this one (each is reviewed)."
                    ]
                }
            )
        with in_english():  # `title` is the English text of record
            for name, value in data.items():
                setattr(instance, name, value)
        try:
            serializer.instance = rule_save(rule=instance, expected_version=expected_version)
        except ValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None

    def perform_create(self, serializer):
        self._save(serializer, Rule())

    def perform_update(self, serializer):
        data = self.request.data if isinstance(self.request.data, dict) else {}
        self._save(serializer, serializer.instance, version_required(data.get("version")))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "change_reason",
                str,
                required=True,
                description="Why the rule is deleted: kept in its history, shown to the "
                "reviewer and listed in the next release's changelog.",
            )
        ]
    )
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        data = self.request.data if isinstance(self.request.data, dict) else {}
        reason = str(
            self.request.query_params.get("change_reason") or data.get("change_reason") or ""
        ).strip()
        if not reason:
            raise exceptions.ValidationError(
                {"change_reason": ["Say why: it goes to the reviewer and the changelog."]}
            )
        control_characters_validate(reason)  # a 400 naming the problem (core.api_errors)
        instance._change_reason = reason[:300]
        instance.delete()


class StrategyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Strategy.objects.all()
    serializer_class = StrategySerializer
    lookup_field = "slug"


class ReleaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Knowledge-base releases, newest first, each with its changelog."""

    queryset = Release.objects.select_related("published_by").order_by("-id")
    serializer_class = ReleaseSerializer
    lookup_field = "name"
    lookup_value_regex = r"\d{4}\.\d{1,3}"


class MechanismViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Mechanism.objects.all()
    serializer_class = MechanismSerializer
    lookup_field = "slug"


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Reference.objects.all()
    serializer_class = ReferenceSerializer
    lookup_field = "key"
    filterset_fields = ["retracted", "year"]


class ChangeSerializer(serializers.Serializer):
    """A change of the working copy since the latest release, and its review state."""

    section = serializers.ChoiceField(choices=list(SECTIONS))
    key = serializers.CharField()
    action = serializers.ChoiceField(choices=["added", "changed", "removed"])
    authors = serializers.ListField(child=serializers.CharField())
    reasons = serializers.ListField(child=serializers.CharField())
    diff = serializers.SerializerMethodField()
    approved_by = serializers.CharField(allow_null=True)
    translation_only = serializers.BooleanField(
        help_text="Only the entry's Ukrainian text (or what users see while it is "
        "unreviewed) changed: it does not hold a release back, and ships marked unreviewed "
        "until approved."
    )
    revision = serializers.IntegerField(
        source="history_id",
        help_text="The revision this diff shows: send it with a decision (409 if it moved on).",
    )

    def get_diff(self, change) -> list[dict]:
        return [{"field": f, "released": old, "now": new} for f, old, new in change.diff]


class ReviewSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        min_value=0,
        write_only=True,
        help_text="The change's revision as you read it (from the revisions list); a change "
        "edited since answers 409.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ChangeMovedError(exceptions.APIException):
    status_code = 409
    default_detail = "This change was edited since you read it."
    default_code = "change_moved"


CURATORS = [permissions.IsAuthenticated, ModelPermissionsByMethod]
CURATING = {"GET": ["rules.change_rule"], "POST": ["rules.change_rule"]}


class RevisionListView(APIView):
    """Every change since the latest release; a release needs each approved by a curator
    who did not make it."""

    permission_classes = CURATORS
    required_perms = CURATING

    @extend_schema(responses={200: ChangeSerializer(many=True)})
    def get(self, request):
        return Response(ChangeSerializer(changes_pending(), many=True).data)


class RevisionDecisionView(APIView):
    """Approve (no self-approval) or reject (with a reason; the release's version returns)."""

    permission_classes = CURATORS
    required_perms = CURATING
    decision = "approve"

    @extend_schema(
        request=ReviewSerializer,
        responses={
            200: ReviewSerializer,
            409: OpenApiResponse(
                description="The change was edited since the revision you read; read it again."
            ),
        },
    )
    def post(self, request, section: str, key: str):
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            change_decide(
                section=section,
                key=key,
                reviewer=request.user,
                decision=self.decision,
                reason=body.validated_data.get("reason", ""),
                revision=body.validated_data["revision"],
            )
        except ChangeMoved as exc:
            raise ChangeMovedError(str(exc)) from None
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        except ValidationError as exc:
            detail = (
                exc.message_dict
                if hasattr(exc, "error_dict")
                else {"non_field_errors": exc.messages}
            )
            raise exceptions.ValidationError(detail) from None
        return Response({"reason": body.validated_data.get("reason", "")})
