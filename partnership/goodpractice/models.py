"""The good practice register and support brokering (C8): where the improvement loop closes.

A school puts forward what it does well (`RegisterEntry`: an area from the managed list, evidence,
a contact, the visits or sessions it can host a term, resources); the Raising Achievement Board or
a peer review endorses it. A school's needs are gathered from what the platform already knows (data
flags, self-evaluation and peer-review areas for development, plan priorities: through the
registry's practice sources) plus those it adds itself (`Need`). "Find support" matches a need to
other schools' entries (`matching.py`, a pure function). A `SupportRequest` runs request ->
accepted (capacity reserved under a row lock) or declined -> agreed plan -> sessions logged with
their impact -> impact recorded -> closed (capacity released). Teachers and leaders "buddy up"
across schools (`BuddyPair`, with a log of meetings).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from partnership.core.schoolyear import academic_year_label


class PracticeArea(models.Model):
    """One area of the managed list (EAL, maths, reading, ... governance). Changed in the admin."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=100)
    framework_keys = models.CharField(
        max_length=300,
        blank=True,
        help_text="Framework area keys (of SEFs and peer reviews) that bear on this area, separated by commas.",
    )
    is_active = models.BooleanField(default=True, help_text="Offered for new entries and needs.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def framework_key_list(self) -> list[str]:
        return [key.strip() for key in self.framework_keys.split(",") if key.strip()]


class RegisterEntry(models.Model):
    """Something a school does well, in the register of one partnership."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed by the school"
        ENDORSED = "endorsed", "Endorsed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class EndorsedBy(models.TextChoices):
        BOARD = "board", "The Raising Achievement Board"
        REVIEW = "review", "A peer review"

    partnership = models.ForeignKey("directory.Partnership", on_delete=models.CASCADE, related_name="register_entries")
    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="register_entries")
    area = models.ForeignKey(PracticeArea, on_delete=models.PROTECT, related_name="entries")
    title = models.CharField(max_length=200)
    description = models.TextField()
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="register_contacts"
    )
    capacity = models.PositiveSmallIntegerField(
        default=2, help_text="Visits or sessions the school can host or give a term."
    )
    inspection = models.CharField(
        max_length=200,
        blank=True,
        help_text='What inspection said of this area, e.g. "Ofsted 2025: Achievement, Strong standard".',
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    endorsed_how = models.CharField(max_length=20, choices=EndorsedBy.choices, blank=True)
    endorsement_note = models.CharField(max_length=300, blank=True)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    endorsed_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["area__order", "school__name", "title"]
        indexes = [models.Index(fields=["partnership", "status", "area"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.WITHDRAWN


class EntryEvidence(models.Model):
    """What shows an entry's strength: a measure above national, a review strength, an endorsed Area
    of Excellence, moderation agreement (linked from the registry, with the label as it read then),
    an inspection finding or a document."""

    class Kind(models.TextChoices):
        MEASURE = "measure", "Outcome measure"
        REVIEW = "review", "Peer review strength"
        AOE = "aoe", "Endorsed Area of Excellence"
        SEF = "sef", "Self-evaluation strength"
        MODERATION = "moderation", "Moderation agreement"
        INSPECTION = "inspection", "Inspection"
        DOCUMENT = "document", "Document or web page"

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ref = models.CharField(max_length=200, blank=True)
    label = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry", "added_at", "pk"]

    def __str__(self) -> str:
        return self.label


def resource_upload_to(instance: EntryResource, filename: str) -> str:
    return f"goodpractice/{instance.entry_id}/{uuid.uuid4().hex}/{filename}"


class EntryResource(models.Model):
    """A file or a link an entry offers (a policy, a planning sequence, a video)."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=resource_upload_to, max_length=300, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    url = models.URLField(max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry", "added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")), name="resource_file_or_link"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Need(models.Model):
    """A need a school adds itself (the rest are gathered from its data, SEF, reviews and plan)."""

    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="support_needs")
    academic_year = models.PositiveSmallIntegerField()
    area = models.ForeignKey(PracticeArea, on_delete=models.PROTECT, related_name="needs")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True, help_text="Set when the school says it is met.")

    class Meta:
        ordering = ["school", "-academic_year", "area__order", "pk"]

    def __str__(self) -> str:
        return self.title


class SupportRequest(models.Model):
    """One school asking another for support through a register entry, and what followed."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        AGREED = "agreed", "Plan agreed"
        IMPACT = "impact", "Impact recorded"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Impact(models.TextChoices):
        MOVED = "moved", "It moved"
        PARTLY = "partly", "It moved a little"
        NOT_YET = "not_yet", "Not yet"
        NO_CHANGE = "no_change", "No change"

    OPEN = (Status.ACCEPTED, Status.AGREED, Status.IMPACT)  # hold capacity

    partnership = models.ForeignKey("directory.Partnership", on_delete=models.CASCADE, related_name="support_requests")
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="requests")
    requesting_school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="support_asked")
    supporting_school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="support_given")
    area = models.ForeignKey(PracticeArea, on_delete=models.PROTECT, related_name="requests")
    academic_year = models.PositiveSmallIntegerField()
    need_kind = models.CharField(max_length=20, help_text="Where the need came from: flag, priority, sef, review, own.")
    need_ref = models.CharField(max_length=200, blank=True)
    need_title = models.CharField(max_length=300)
    need_url = models.CharField(max_length=500, blank=True)
    message = models.TextField(blank=True)
    sessions_requested = models.PositiveSmallIntegerField(default=2)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    reserved = models.PositiveSmallIntegerField(default=0, help_text="Sessions of the entry's capacity this holds.")
    plan = models.TextField(blank=True, help_text="What was agreed: who, what, where.")
    planned_sessions = models.PositiveSmallIntegerField(null=True, blank=True)
    planned_visits = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    cost = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    plan_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_agreed_at = models.DateTimeField(null=True, blank=True)
    impact_target = models.CharField(max_length=300, blank=True, help_text="The measure or area it was meant to move.")
    impact = models.CharField(max_length=20, choices=Impact.choices, blank=True)
    impact_note = models.TextField(blank=True)
    impact_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    impact_recorded_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["entry", "status"]), models.Index(fields=["partnership", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requesting_school=models.F("supporting_school")), name="support_across_schools"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requesting_school} from {self.supporting_school}: {self.area}"

    @property
    def year_label(self) -> str:
        return academic_year_label(self.academic_year)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class SupportSession(models.Model):
    """A session or visit given under a support request, with a short note of its impact."""

    class Kind(models.TextChoices):
        VISIT_HOST = "visit_host", "Visit to the supporting school"
        VISIT_SCHOOL = "visit_school", "Visit to the school supported"
        ONLINE = "online", "Online"
        TRAINING = "training", "Training or coaching"

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.VISIT_HOST)
    days = models.DecimalField(
        max_digits=3, decimal_places=1, default=0.5, help_text="Length in days: 0.5 is a half day."
    )
    attendees = models.CharField(max_length=300, blank=True, help_text="Who took part.")
    impact_note = models.TextField(help_text="What changed, in a sentence or two.")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request", "day", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.day:%d %B %Y}"


def year_end(academic_year: int) -> datetime.date:
    """The first day after an academic year: buddy pairs end then unless renewed."""
    return datetime.date(academic_year + 1, 9, 1)


class BuddyPair(models.Model):
    """Two teachers or leaders of different schools who support each other for a year."""

    partnership = models.ForeignKey("directory.Partnership", on_delete=models.CASCADE, related_name="buddy_pairs")
    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second_school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=30, blank=True, help_text="The role they share, e.g. teacher, SENCO.")
    year_group = models.CharField(max_length=2, blank=True)
    subject = models.CharField(max_length=60, blank=True)
    focus = models.CharField(max_length=300, blank=True, help_text="What they work on together.")
    academic_year = models.PositiveSmallIntegerField()
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(help_text="First day the pair has ended: the end of the academic year unless renewed.")
    renewed_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-academic_year", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(first_school=models.F("second_school")), name="buddies_across_schools"),
            models.CheckConstraint(condition=~Q(first=models.F("second")), name="buddies_two_people"),
        ]

    def __str__(self) -> str:
        return f"Buddy pair {self.pk}"

    def is_current(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day < self.ends_on


class BuddyMeeting(models.Model):
    """A meeting of a buddy pair: when, and a line or two about it."""

    pair = models.ForeignKey(BuddyPair, on_delete=models.CASCADE, related_name="meetings")
    day = models.DateField()
    note = models.TextField()
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pair", "-day", "-pk"]

    def __str__(self) -> str:
        return f"Meeting on {self.day:%d %B %Y}"
