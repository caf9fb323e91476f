from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from partnership.accounts.models import ApiToken, Invitation, User
from partnership.accounts.services import sign_out_everywhere
from partnership.core.admin import AuditedModelAdmin

PERSONAL_FIELDS = ("email", "full_name", "job_title", "phone", "organisation")


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    list_display = ["full_name", "email", "school", "is_active", "is_platform_admin"]
    list_filter = ["is_active", "is_platform_admin"]
    search_fields = ["full_name", "email"]
    exclude = ["password", "groups", "user_permissions"]
    # Administrator status is given on the command line (`createsuperuser`), not here, so one
    # administrator cannot make a second one to approve their own grants. An account's email is
    # its sign-in name and password-reset address: changing it here would hand over the account.
    readonly_fields = ["last_login", "date_joined", "disabled_at", "is_staff", "is_superuser", "is_platform_admin"]
    audit_personal_fields = PERSONAL_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "email"] if obj is not None else fields

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            sign_out_everywhere(obj)


@admin.register(Invitation)
class InvitationAdmin(AuditedModelAdmin):
    list_display = ["email", "school", "partnership", "created_at", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]
    # What an invitation grants is set by whoever sent it; here it can only be withdrawn or extended.
    readonly_fields = ["email", "full_name", "school", "partnership", "roles", "invited_by", "accepted_at", "user"]
    audit_personal_fields = PERSONAL_FIELDS

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False  # invitations are sent from the school and partnership pages


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False  # keys are created with `manage.py create_api_token`, which shows the key once
