"""Admin for case profiles and the marker catalogue."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User

from cases.forms import CaseProfileForm
from cases.models import CaseProfile, Marker
from cases.services import api_token_issue, case_create, case_update


@admin.register(Marker)
class MarkerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "scale"]
    list_filter = ["scale"]
    search_fields = ["code", "name", "description"]


@admin.register(CaseProfile)
class CaseProfileAdmin(admin.ModelAdmin):
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
    fieldsets = [
        (None, {"fields": ["code", "her2_status", "created_by", "created_at", "updated_at"]}),
        (
            "Clinical context",
            {
                "fields": [
                    "tumour_site",
                    "setting",
                    "age_band",
                    "trastuzumab_response",
                    "prior_therapies",
                    "brain_metastases",
                    "notes",
                ]
            },
        ),
        (
            "HER2",
            {"fields": ["her2_ihc", "her2_ish", "her2_heterogeneity", "her2_positive_fraction"]},
        ),
        ("Hormone receptors and pathway genes", {"fields": ["er", "pr", "pik3ca", "pten"]}),
        ("Markers", {"fields": ["markers", "version"]}),
    ]

    def save_model(self, request, obj, form, change):
        # The service validates again and derives her2_status: one path for every writer.
        if change:
            case_update(
                case=obj, data=form.profile, expected_version=form.cleaned_data.get("version")
            )
        else:
            case_create(data=form.profile, user=request.user, instance=obj)


class UserAdmin(DjangoUserAdmin):
    actions = ["issue_api_token"]

    @admin.action(description="Issue a new API token (replaces the old one)")
    def issue_api_token(self, request, queryset):
        for user in queryset:
            key = api_token_issue(user=user)
            self.message_user(
                request, f"API token for {user.get_username()}: {key}", messages.SUCCESS
            )


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
