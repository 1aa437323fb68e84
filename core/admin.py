"""The user admin, with an action that issues API tokens."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User

from core.services import api_token_issue


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
