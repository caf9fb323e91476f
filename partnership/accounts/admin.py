from django.contrib import admin

from partnership.accounts.models import ApiToken, Invitation, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "school", "is_active", "is_platform_admin"]
    list_filter = ["is_active", "is_platform_admin"]
    search_fields = ["full_name", "email"]
    exclude = ["password", "groups", "user_permissions"]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "school", "partnership", "created_at", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]
    readonly_fields = ["accepted_at", "user"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False  # invitations are sent from the school and partnership pages


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False  # keys are created with `manage.py create_api_token`, which shows the key once
