from django.contrib import admin

from partnership.directory.models import (
    Decision,
    Membership,
    MemorandumVersion,
    Network,
    Partnership,
    RoleAssignment,
    School,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["school"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "suppression_threshold"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "la_code", "establishment_number", "phase", "town"]
    search_fields = ["name", "urn", "town", "postcode"]
    list_filter = ["phase"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "subject", "school", "partnership", "started_on", "ended_on"]
    list_filter = ["role"]
    search_fields = ["person__full_name", "person__email"]
    autocomplete_fields = ["person", "school", "partnership"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "kind", "role", "subject"]
    list_filter = ["kind", "partnership"]
    search_fields = ["name"]


admin.site.register(MemorandumVersion)
admin.site.register(Decision)
