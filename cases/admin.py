"""Admin for case profiles and the marker catalogue; fieldsets follow cases.contract."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from cases import contract
from cases.forms import CaseProfileForm
from cases.models import CaseProfile, Marker
from cases.services import case_create, case_update
from core.roles import object_may_change


@admin.register(Marker)
class MarkerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "scale", "assay_status"]
    list_filter = ["scale", "assay_status"]
    search_fields = ["code", "name", "description"]


def contract_fieldsets() -> list[tuple[str | None, dict]]:
    """The record's own fields, then one fieldset per contract section."""
    fieldsets: list[tuple[str | None, dict]] = [
        (None, {"fields": ["code", "her2_status", "created_by", "created_at", "updated_at"]})
    ]
    for section in contract.SECTIONS:
        names = [spec.name for spec in contract.section_fields(section)]
        if section == contract.MARKERS:
            names.append("version")
        fieldsets.append((section, {"fields": names}))
    return fieldsets


@admin.register(CaseProfile)
class CaseProfileAdmin(SimpleHistoryAdmin):
    form = CaseProfileForm
    list_display = [
        "code",
        "her2_status",
        "tumour_site",
        "setting",
        "trastuzumab_response",
        "created_by",
        "created_at",
    ]
    list_filter = ["her2_status", "tumour_site", "setting", "trastuzumab_response", "her2_ihc"]
    search_fields = ["code"]
    list_select_related = ["created_by"]
    readonly_fields = ["code", "her2_status", "created_by", "created_at", "updated_at"]
    fieldsets = contract_fieldsets()

    # Model permissions let a role work with cases at all; one case is changed or deleted
    # only by its author or a superuser (core.roles), here as in the API and the forms.
    # Django's delete-selected action asks this for every object it would delete.
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or object_may_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or object_may_change(request.user, obj))

    # The history ("Revert") form saves a past version through save_model, and
    # django-simple-history opens it to anyone who may view the case: the same object rule
    # holds there (security review 2, M8). Others see the past version read-only.
    def has_change_history_permission(self, request, obj=None):
        allowed = super().has_change_history_permission(request, obj)
        return allowed and (obj is None or object_may_change(request.user, obj))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied("Only the case's author may revert it.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        # The service validates again and derives her2_status: one path for every writer.
        if change:
            case_update(
                case=obj, data=form.profile, expected_version=form.cleaned_data.get("version")
            )
        else:
            case_create(data=form.profile, user=request.user, instance=obj)
