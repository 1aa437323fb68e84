"""Admin of board records: read-only CDS feedback and evaluation snapshots."""

from django.contrib import admin

from board.models import CdsFeedback, EvaluationSnapshot


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
