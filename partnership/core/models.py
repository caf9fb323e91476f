"""Cross-cutting models: the append-only audit log and the one Action model every module uses."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log cannot be changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("The audit log cannot be deleted.")


class AuditEvent(models.Model):
    """One thing that happened: a sign-in, a failure, a permission denial, a view of pupil data, a change.

    Written only by `partnership.core.audit.record`. Rows are never updated or deleted by the
    application; the links to people, schools and partnerships are kept without database
    constraints so that history survives whatever happens to the rows it mentions.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, blank=True, help_text="Email at the time, or what was typed.")
    verb = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    partnership = models.ForeignKey(
        "directory.Partnership",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["partnership", "-at"]), models.Index(fields=["school", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log cannot be deleted.")


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> ActionQuerySet:
        return self.filter(status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS])

    def overdue(self, day: Any = None) -> ActionQuerySet:
        return self.open().filter(due_on__lt=day or timezone.localdate())


class Action(models.Model):
    """One thing someone will do, wherever it arose: a plan, a meeting, a review finding, a data flag,
    a support request. The source is a generic link, so later modules add sources without changing
    this model. Written only through `partnership.core.actions` services (optimistic version check)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions")
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    partnership = models.ForeignKey(
        "directory.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
        help_text="Set for partnership actions (e.g. from a network meeting): visible across the partnership.",
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    priority = models.ForeignKey(
        "plans.Priority", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    objective = models.ForeignKey(
        "plans.Objective", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    source_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(max_length=200, blank=True, help_text="Where it arose, as people say it.")
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change, for the optimistic check.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["school", "status"]),
            models.Index(fields=["partnership", "status"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school__isnull=False) | models.Q(partnership__isnull=False),
                name="action_has_school_or_partnership",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)

    def is_overdue(self, day: Any = None) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < (day or timezone.localdate())


class ActionNote(models.Model):
    """A dated progress note on an action, with optional evidence link."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()
    evidence_url = models.URLField(blank=True, max_length=500)
    status_after = models.CharField(max_length=20, choices=Action.Status.choices, blank=True)

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.action}"
