"""The one action log: every action, wherever it arose (a plan objective, a meeting's agenda item,
later a review finding or a data flag), with a generic link to its source."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> ActionQuerySet:
        return self.filter(status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS])

    def overdue(self, day: Any = None) -> ActionQuerySet:
        return self.open().filter(due_on__lt=day or timezone.localdate())


class Action(models.Model):
    """One thing someone will do, wherever it arose: a plan, a meeting, a review finding, a data flag,
    a support request. The source is a generic link, so later modules add sources without changing
    this model. Written only through `partnership.actions` services (optimistic version check)."""

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
        db_table = "core_action"  # the action log began inside core; its table kept the name
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
        db_table = "core_actionnote"
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.action}"
