"""Admin of board records: read-only CDS feedback and evaluation snapshots; and propose
first in the admin (security review 2, L9): a staff user who owes a proposal for a case sees
neither its snapshots' payloads nor rule previews against it."""

from django.contrib import admin

from board.models import CdsFeedback, EvaluationSnapshot
from board.training import proposal_due
from rules.admin import RuleAdmin
from rules.models import Rule


class ProposeFirstRuleAdmin(RuleAdmin):
    def case_preview_allowed(self, request, case) -> bool:
        return proposal_due(user=request.user, case=case) is None


admin.site.unregister(Rule)
admin.site.register(Rule, ProposeFirstRuleAdmin)


@admin.register(CdsFeedback)
class CdsFeedbackAdmin(admin.ModelAdmin):
    """Read-only: what CDS clients said about our cards."""

    list_display = [
        "rule_slug",
        "outcome",
        "override_reason_display",
        "outcome_timestamp",
        "submitted_by",
    ]
    list_filter = ["outcome", "card__rule_slug"]
    list_select_related = ["card", "submitted_by"]
    readonly_fields = [f.name for f in CdsFeedback._meta.fields]

    @admin.display(description="rule", ordering="card__rule_slug")
    def rule_slug(self, obj):
        return obj.card.rule_slug

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EvaluationSnapshot)
class EvaluationSnapshotAdmin(admin.ModelAdmin):
    list_display = ["case", "knowledge_base_version", "created_by", "created_at"]
    list_select_related = ["case", "created_by"]
    readonly_fields = ["case", "knowledge_base_version", "payload", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or proposal_due(user=request.user, case=obj.case) is None)
