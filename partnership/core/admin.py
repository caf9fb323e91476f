"""The Django admin's shared base: every change made in the admin is written to the audit log
through `partnership.core.audit`, as the app's own changes are."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from partnership.core import audit
from partnership.core.models import AuditEvent

VIA_ADMIN = {"via": "admin"}
# Values never copied into the audit log, whatever the model.
SECRET_FIELDS = frozenset({"password", "token_hash", "key_hash"})
# Model fields whose values are small and not personal: these are recorded, others by name only.
SMALL_FIELD_TYPES = (
    models.BooleanField,
    models.IntegerField,
    models.DecimalField,
    models.FloatField,
    models.DateField,  # and DateTimeField
    models.TimeField,
    models.ForeignKey,
    models.ManyToManyField,
    models.SlugField,
)


def _plain(value: Any) -> Any:
    """A JSON-safe form of a form value: related rows by primary key."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, datetime.date | datetime.time):  # and datetime
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, str):
        return value[:200]
    return value


class AuditedModelAdmin(admin.ModelAdmin):
    """Records every add, change (the changed fields, with values for small non-personal fields),
    delete (one at a time or in bulk) and inline change made in the admin.

    `audit_personal_fields` names fields whose values stay out of the log (their names are kept).
    """

    audit_personal_fields: tuple[str, ...] = ()

    def _recorded_value(self, model: type[models.Model], name: str) -> bool:
        if name in SECRET_FIELDS or name in self.audit_personal_fields:
            return False
        try:
            field = model._meta.get_field(name)
        except Exception:  # a form-only field
            return False
        if isinstance(field, models.EmailField | models.TextField):
            return False
        if isinstance(field, models.CharField):
            return bool(field.choices) or isinstance(field, models.SlugField) or (field.max_length or 0) <= 200
        return isinstance(field, SMALL_FIELD_TYPES)

    def audit_detail(self, form: forms.BaseForm, change: bool) -> dict[str, Any]:
        model = form._meta.model  # type: ignore[attr-defined]
        if not change:
            values = {
                name: _plain(value)
                for name, value in form.cleaned_data.items()
                if self._recorded_value(model, name) and value not in (None, "")
            }
            return {**VIA_ADMIN, "values": values}
        changed = list(form.changed_data)
        changes = {
            name: [_plain(form.initial.get(name)), _plain(form.cleaned_data.get(name))]
            for name in changed
            if self._recorded_value(model, name)
        }
        return {**VIA_ADMIN, "changed": changed, "changes": changes}

    def audit_save(self, request: HttpRequest, obj: models.Model, form: forms.BaseForm, change: bool) -> None:
        audit.record(
            request.user, "update" if change else "create", obj, detail=self.audit_detail(form, change), request=request
        )

    def audit_delete(self, request: HttpRequest, obj: models.Model) -> None:
        audit.record(request.user, "delete", obj, detail=dict(VIA_ADMIN), request=request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self.audit_save(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Many-to-many fields are saved here; their names and ids are already in the save's event.
        super().save_related(request, form, formsets, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        deleted = [f for f in formset.deleted_forms if f.instance.pk is not None]
        for inline_form in deleted:
            self.audit_delete(request, inline_form.instance)
        super().save_formset(request, form, formset, change)
        initial = set(map(id, formset.initial_forms))
        for inline_form in formset.forms:
            if inline_form in deleted or not inline_form.has_changed() or inline_form.instance.pk is None:
                continue
            self.audit_save(request, inline_form.instance, inline_form, id(inline_form) in initial)


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedModelAdmin):
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
