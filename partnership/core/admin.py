from django.contrib import admin
from django.http import HttpRequest

from partnership.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log cannot be edited or deleted, even by administrators."""

    list_display = ["at", "actor_label", "verb", "object_type", "object_repr", "ip_address"]
    list_filter = ["verb", "object_type"]
    search_fields = ["actor_label", "object_repr"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
