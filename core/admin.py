"""The user admin, with an action that issues API tokens; and API tokens listed by user,
creation and expiry only (the database holds digests, and the admin shows none of them)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User
from knox.models import get_token_model

from core.services import api_token_issue


class UserAdmin(DjangoUserAdmin):
    actions = ["issue_api_token"]

    @admin.action(description="Issue a new API token (ends the user's others)")
    def issue_api_token(self, request, queryset):
        for user in queryset:
            key = api_token_issue(user=user)
            self.message_user(
                request, f"API token for {user.get_username()}: {key}", messages.SUCCESS
            )


class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be seen (whose, since when, until when) and deleted; they are issued from
    the user list's action or the account page, which show a new token's text once."""

    list_display = ["user", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = readonly_fields = ["user", "created", "expiry"]
    ordering = ["-created"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
token_model = get_token_model()
if admin.site.is_registered(token_model):
    admin.site.unregister(token_model)
admin.site.register(token_model, ApiTokenAdmin)
