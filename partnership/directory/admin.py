from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from partnership.core.admin import AuditedModelAdmin
from partnership.core.errors import ApplicationError
from partnership.directory import services
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
class PartnershipAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "suppression_threshold"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(School)
class SchoolAdmin(AuditedModelAdmin):
    list_display = ["name", "urn", "la_code", "establishment_number", "phase", "town"]
    search_fields = ["name", "urn", "town", "postcode"]
    list_filter = ["phase"]


class RoleGrantForm(forms.ModelForm):
    """Adding a role in the admin follows the same rules as the app (`services.role_grant_check`)."""

    class Meta:
        model = RoleAssignment
        fields = ["person", "role", "school", "partnership", "subject", "started_on"]

    actor: Any = None
    refusal: ApplicationError | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors or data.get("person") is None:
            return data
        try:
            services.role_grant_check(
                person=data["person"],
                role=data.get("role", ""),
                actor=self.actor,
                school=data.get("school"),
                partnership=data.get("partnership"),
                subject=data.get("subject", ""),
            )
        except ApplicationError as exc:
            self.refusal = exc
            raise ValidationError(exc.message) from exc
        return data


class RoleChangeForm(forms.ModelForm):
    """A role row can only be ended here: reopening or extending it would be a new grant."""

    class Meta:
        model = RoleAssignment
        fields = ["ended_on"]

    def clean_ended_on(self) -> Any:
        ended_on = self.cleaned_data["ended_on"]
        before = self.instance.ended_on
        if before is not None and (ended_on is None or ended_on > before):
            raise ValidationError("An ended role cannot be reopened or extended. Give the role again instead.")
        return ended_on


def _decide_roles(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any, decide: Any, outcome: str) -> None:
    """Approve or refuse each selected grant through its service, saying what became of each."""
    for assignment in queryset:
        try:
            decide(assignment=assignment, actor=request.user, request=request, via="admin")
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{assignment.person}, {assignment}: {exc.message}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{assignment.person} {outcome} {assignment}.", messages.SUCCESS)


@admin.action(description="Approve the selected roles awaiting approval")
def approve_roles(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> None:
    _decide_roles(modeladmin, request, queryset, services.role_approve, "is now")


@admin.action(description="Refuse the selected roles awaiting approval")
def refuse_roles(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> None:
    _decide_roles(modeladmin, request, queryset, services.role_refuse, "will not be")


class AwaitingApprovalFilter(admin.SimpleListFilter):
    title = "approval"
    parameter_name = "approval"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("waiting", "Awaiting approval"), ("approved", "Approved")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "waiting":
            return queryset.awaiting_approval()
        if self.value() == "approved":
            return queryset.filter(approved_at__isnull=False)
        return queryset


ROLE_FIXED_FIELDS = [
    "person",
    "role",
    "subject",
    "school",
    "partnership",
    "started_on",
    "granted_by",
    "approved_by",
    "approved_at",
]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    """Roles are given through `services.role_assign`: nobody gives themselves a role, and a
    pupil-data role waits for the school's headteacher or a second administrator to approve it."""

    list_display = ["person", "role", "subject", "school", "partnership", "started_on", "ended_on", "approved_at"]
    list_filter = [AwaitingApprovalFilter, "role"]
    search_fields = ["person__full_name", "person__email"]
    autocomplete_fields = ["person", "school", "partnership"]
    actions = [approve_roles, refuse_roles]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return [
            "person",
            "role",
            "subject",
            "school",
            "partnership",
            "started_on",
            "granted_by",
            "approved_by",
            "approved_at",
        ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = RoleChangeForm if obj is not None else RoleGrantForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return list(RoleGrantForm.Meta.fields)
        return [*self.get_readonly_fields(request, obj), "ended_on"]

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        form = context["adminform"].form
        refusal = getattr(form, "refusal", None)
        if request.method == "POST" and refusal is not None:
            services.role_grant_refused(
                actor=request.user,
                person=form.cleaned_data.get("person"),
                role=form.cleaned_data.get("role", ""),
                reason=refusal.message,
                request=request,
                via="admin",
            )
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            assignment = services.role_assign(
                person=obj.person,
                role=obj.role,
                actor=request.user,
                school=obj.school,
                partnership=obj.partnership,
                subject=obj.subject,
                started_on=obj.started_on,
                request=request,
                via="admin",
            )
        except ApplicationError as exc:  # checked in the form already; a race lands here
            raise ValidationError(exc.message) from exc
        obj.pk = assignment.pk
        obj.__dict__.update({f.attname: getattr(assignment, f.attname) for f in RoleAssignment._meta.concrete_fields})
        if assignment.approved_at is None:
            self.message_user(
                request,
                f"{assignment.person} has been given the role {assignment}, which opens pupil data: it counts once "
                "the school's headteacher or another platform administrator approves it.",
                messages.WARNING,
            )


@admin.register(Network)
class NetworkAdmin(AuditedModelAdmin):
    list_display = ["name", "partnership", "kind", "role", "subject"]
    list_filter = ["kind", "partnership"]
    search_fields = ["name"]


@admin.register(MemorandumVersion)
class MemorandumVersionAdmin(AuditedModelAdmin):
    list_display = ["title", "number", "partnership", "published_at"]


@admin.register(Decision)
class DecisionAdmin(AuditedModelAdmin):
    list_display = ["title", "partnership", "status", "opened_at"]
