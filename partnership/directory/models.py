"""Partnerships, schools, membership, roles, networks, the MoU and the decisions log (C1, C2)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from partnership.core.roles import Role

urn_validator = RegexValidator(r"^\d{6}$", "A URN is 6 digits.")
la_code_validator = RegexValidator(r"^\d{3}$", "A local authority code is 3 digits.")
estab_validator = RegexValidator(r"^\d{4}$", "An establishment number is 4 digits.")


def current_on(field_from: str, field_to: str, day: datetime.date | None = None) -> Q:
    """Rows current on `day` (today by default): started on or before it and not yet ended.

    The end date is the first day without the role or membership, so ending today takes effect at once.
    An empty end date is open.
    """
    day = day or timezone.localdate()
    return Q(**{f"{field_from}__lte": day}) & (Q(**{f"{field_to}__isnull": True}) | Q(**{f"{field_to}__gt": day}))


class Partnership(models.Model):
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    summary = models.TextField(blank=True, help_text="What the partnership is, in a few sentences.")
    suppression_threshold = models.PositiveSmallIntegerField(
        default=6, help_text="Figures for groups smaller than this are hidden outside the pupils' own school."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if not self.slug:
            self.slug = slugify(self.name)[:160]
        super().save(*args, **kwargs)


class School(models.Model):
    class Phase(models.TextChoices):
        NURSERY = "nursery", "Nursery"
        PRIMARY = "primary", "Primary"
        INFANT = "infant", "Infant"
        JUNIOR = "junior", "Junior"
        FIRST = "first", "First"
        MIDDLE = "middle", "Middle"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SPECIAL = "special", "Special"
        OTHER = "other", "Other"

    urn = models.CharField("URN", max_length=6, unique=True, validators=[urn_validator])
    la_code = models.CharField("local authority code", max_length=3, validators=[la_code_validator])
    establishment_number = models.CharField(max_length=4, validators=[estab_validator])
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=210, unique=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.PRIMARY)
    establishment_type = models.CharField(max_length=120, blank=True)
    street = models.CharField(max_length=200, blank=True)
    locality = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    website = models.URLField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["la_code", "establishment_number"], name="unique_laestab"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if not self.slug:
            self.slug = slugify(self.name)[:200] or self.urn
            if School.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
                self.slug = f"{self.slug}-{self.urn}"
        super().save(*args, **kwargs)

    @property
    def laestab(self) -> str:
        return f"{self.la_code}{self.establishment_number}"

    @property
    def address(self) -> str:
        return ", ".join(p for p in [self.street, self.locality, self.town, self.postcode] if p)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, day: datetime.date | None = None) -> MembershipQuerySet:
        return self.filter(current_on("joined_on", "left_on", day))


class Membership(models.Model):
    """A school's membership of a partnership. A school may belong to several partnerships."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True, help_text="First day the school is no longer a member.")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "school"], condition=Q(left_on__isnull=True), name="one_open_membership"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.partnership}"


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def current(self, day: datetime.date | None = None) -> RoleAssignmentQuerySet:
        """Approved roles held on `day` by active people: the only roles that give access."""
        return self.filter(current_on("started_on", "ended_on", day), person__is_active=True, approved_at__isnull=False)

    def awaiting_approval(self) -> RoleAssignmentQuerySet:
        """Grants of a pupil-data role that nobody entitled to has approved yet (and not ended)."""
        today = timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today), approved_at__isnull=True)


class RoleAssignment(models.Model):
    """A role a person holds: at their school, or in a partnership (coordinator, external adviser)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments")
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments"
    )
    subject = models.CharField(max_length=60, blank=True, help_text="For subject and curriculum leaders.")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True, help_text="First day the person no longer holds the role.")
    # Who gave the role, and who approved it. A role counts only once approved: at once when the
    # granter may give it alone, otherwise when the school's headteacher or a second platform
    # administrator approves (`directory.services.role_approve`).
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["role"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(school__isnull=False) & Q(partnership__isnull=True))
                | (Q(school__isnull=True) & Q(partnership__isnull=False)),
                name="role_at_school_or_partnership",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_role_display()
        if self.subject:
            label = f"{label} ({self.subject})"
        return label

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class Network(models.Model):
    """A role network (membership follows people's roles) or a working party with a remit."""

    class Kind(models.TextChoices):
        ROLE = "role", "Role network"
        WORKING_PARTY = "working_party", "Working party"
        BOARD = "board", "Board"  # e.g. the Raising Achievement Board, the headteachers' board

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="networks")
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    subject = models.CharField(max_length=60, blank=True)
    remit = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="unique_network_slug"),
            models.CheckConstraint(condition=~Q(kind="role") | ~Q(role=""), name="role_network_has_role"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if not self.slug:
            self.slug = slugify(self.name)[:160]
        super().save(*args, **kwargs)


class NetworkMember(models.Model):
    """A manual member of a network, in addition to those its role brings."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="manual_members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "person"], name="unique_network_member")]

    def __str__(self) -> str:
        return f"{self.person} in {self.network}"


class MemorandumVersion(models.Model):
    """One version of the partnership's Memorandum of Understanding. Earlier versions are kept."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memorandum_versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200, default="Memorandum of Understanding")
    body = models.TextField(help_text="The text of the memorandum.")
    change_summary = models.CharField(max_length=300, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["partnership", "number"], name="unique_mou_version")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class MemorandumAgreement(models.Model):
    """A school's agreement to one version of the memorandum, recorded by its headteacher."""

    version = models.ForeignKey(MemorandumVersion, on_delete=models.CASCADE, related_name="agreements")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "school"], name="one_agreement_per_school")]

    def __str__(self) -> str:
        return f"{self.school} agreed {self.version}"


class Decision(models.Model):
    """A partnership-wide decision: one vote per member school."""

    class Status(models.TextChoices):
        OPEN = "open", "Open for votes"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closes_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title


class DecisionVote(models.Model):
    class Choice(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAIN = "abstain", "Abstain"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "school"], name="one_vote_per_school")]

    def __str__(self) -> str:
        return f"{self.school}: {self.get_choice_display()}"
