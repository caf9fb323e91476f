"""Self-evaluation and peer review (C6).

framework (ordered areas, a grade scale) -> a school's self-evaluation (SEF) for a year, area by
area, with its versions and its sharing level -> a partnership's review cycle (the rota of teams)
-> one review per school: the visit (focus areas, activities, reviewers' evidence notes), the agreed
findings and grades, an Area of Excellence, the report the school owns -> actions in the school's
plan (the one `actions.Action`, linked to a finding) -> an impact check a term later.

Frameworks are data. A framework that a SEF or a review uses is never changed in place: editing it
makes a new version (copy on write), so past SEFs and reviews keep the words and scale they used.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from partnership.core.schoolyear import academic_year_label


class Framework(models.Model):
    """An evaluation framework: ordered areas and a grade scale (best first)."""

    key = models.SlugField(max_length=60, help_text="The same for every version of one framework.")
    version = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    source_url = models.URLField(blank=True, max_length=500)
    partnership = models.ForeignKey(
        "directory.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="frameworks",
        help_text="Empty for the frameworks shipped with the platform.",
    )
    is_default = models.BooleanField(default=False, help_text="Offered first for a new SEF or review cycle.")
    is_historic = models.BooleanField(default=False, help_text="Kept for past SEFs; not offered for new ones.")
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_current = models.BooleanField(default=True, help_text="False once a newer version replaces it.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partnership_id", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key", "version"], name="framework_version_unique"),
            models.UniqueConstraint(
                fields=["key", "version"], condition=Q(partnership__isnull=True), name="shipped_framework_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name if self.version == 1 else f"{self.name} (version {self.version})"


class FrameworkArea(models.Model):
    """One evaluation area, in the framework's order. Some areas are judged met / not met
    (safeguarding in Ofsted's report cards); some apply only where the school has the phase."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    met_or_not = models.BooleanField(default=False, help_text="Judged Met / Not met instead of on the scale.")
    optional = models.BooleanField(default=False, help_text="Only where the school has it (e.g. early years).")

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="framework_area_number_unique"),
            models.UniqueConstraint(fields=["framework", "key"], name="framework_area_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """One point of a framework's scale; rank 1 is the best."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="grades")
    rank = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "rank"]
        constraints = [models.UniqueConstraint(fields=["framework", "rank"], name="grade_rank_unique")]

    def __str__(self) -> str:
        return self.label


class Sharing(models.TextChoices):
    """How far a school shares its SEF or its review report."""

    OWN_SCHOOL = "own_school", "Our school only"
    REVIEW_TEAM = "review_team", "Our school and our review team"
    PARTNERSHIP = "partnership", "Everyone in our partnerships"


class SelfEvaluation(models.Model):
    """A school's self-evaluation for one academic year, against one framework."""

    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="self_evaluations")
    academic_year = models.PositiveSmallIntegerField(help_text="Starting year: 2026 means 2026/27.")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="self_evaluations")
    summary = models.TextField(blank=True, help_text="The school's overall picture in a few sentences.")
    sharing = models.CharField(max_length=20, choices=Sharing.choices, default=Sharing.OWN_SCHOOL)
    sharing_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sharing_decided_at = models.DateTimeField(null=True, blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every saved change.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school__name", "-academic_year"]
        constraints = [models.UniqueConstraint(fields=["school", "academic_year"], name="one_sef_per_school_year")]

    def __str__(self) -> str:
        return f"Self-evaluation {self.year_label}"

    @property
    def year_label(self) -> str:
        return academic_year_label(self.academic_year)


class SefEntry(models.Model):
    """The SEF's judgement of one area: a self-grade, the narrative, strengths and areas for
    development."""

    sef = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="entries")
    area = models.ForeignKey(FrameworkArea, on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey(Grade, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField(null=True, blank=True, help_text="For a met / not met area.")
    narrative = models.TextField(blank=True)
    strengths = models.TextField(blank=True, help_text="One per line.")
    development = models.TextField(blank=True, help_text="Areas for development, one per line.")

    class Meta:
        ordering = ["sef", "area__number"]
        constraints = [models.UniqueConstraint(fields=["sef", "area"], name="one_entry_per_sef_area")]

    def __str__(self) -> str:
        return str(self.area)


class SefEvidence(models.Model):
    """A link from a SEF area to its evidence: a document, an outcome measure or flag, a plan
    priority. `kind` and `ref` say what it is (as offered by `core.registry.school_evidence`)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document or web page"
        MEASURE = "measure", "Outcome measure"
        FLAG = "flag", "Data flag"
        PRIORITY = "priority", "Plan priority"

    entry = models.ForeignKey(SefEntry, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ref = models.CharField(max_length=200, blank=True)
    label = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry", "kind", "id"]

    def __str__(self) -> str:
        return self.label


class SefVersion(models.Model):
    """A saved state of a SEF (the whole of it, as plain data), for its history and a readable diff."""

    sef = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["sef", "-number"]
        constraints = [models.UniqueConstraint(fields=["sef", "number"], name="sef_version_unique")]

    def __str__(self) -> str:
        return f"Version {self.number}"


class SharingChoice(models.Model):
    """A school's data-sharing choice for a SEF or a review report: who decided, when. The latest
    for an object is the one in force; the rest are its history."""

    class Subject(models.TextChoices):
        SEF = "sef", "Self-evaluation"
        REPORT = "report", "Peer review report"

    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="review_sharing_choices")
    subject = models.CharField(max_length=20, choices=Subject.choices)
    object_id = models.PositiveBigIntegerField()
    level = models.CharField(max_length=20, choices=Sharing.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school", "subject", "object_id", "-decided_at", "-id"]
        indexes = [models.Index(fields=["subject", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_subject_display()}: {self.get_level_display()}"


class ReviewCycle(models.Model):
    """A partnership's round of peer reviews for a year: one or two rounds, a team per school."""

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning the rota"
        ACCEPTED = "accepted", "Rota agreed"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey("directory.Partnership", on_delete=models.CASCADE, related_name="review_cycles")
    academic_year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="cycles")
    rounds = models.PositiveSmallIntegerField(default=1, help_text="Reviews per school this year: 1 or 2.")
    team_size = models.PositiveSmallIntegerField(default=2)
    max_load = models.PositiveSmallIntegerField(default=2, help_text="The most reviews one reviewer takes on.")
    include_deputies = models.BooleanField(default=False, help_text="Senior leaders may review as well as heads.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    relaxed = models.JSONField(default=list, blank=True, help_text="Soft rules the planner could not keep.")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-academic_year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(rounds__gte=1) & Q(rounds__lte=2), name="cycle_one_or_two_rounds"),
            models.CheckConstraint(condition=Q(team_size__gte=1), name="cycle_team_size_positive"),
            models.CheckConstraint(condition=Q(max_load__gte=1), name="cycle_max_load_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def year_label(self) -> str:
        return academic_year_label(self.academic_year)


class ConflictOfInterest(models.Model):
    """A reviewer's declared conflict with a school (a relative on its staff, a former post...)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_conflicts")
    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "school"]
        constraints = [models.UniqueConstraint(fields=["person", "school"], name="one_conflict_per_pair")]

    def __str__(self) -> str:
        return f"{self.person} and {self.school}"


class Review(models.Model):
    """One school's peer review in a cycle: from the rota through the visit to the impact check."""

    class Stage(models.TextChoices):
        PLANNED = "planned", "Team agreed"
        SCHEDULED = "scheduled", "Visit scheduled"
        VISITED = "visited", "Visit done"
        FINDINGS = "findings", "Findings agreed"
        REPORTED = "reported", "Report final"
        IMPACT = "impact", "Impact reviewed"

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="reviews")
    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="peer_reviews")
    round = models.PositiveSmallIntegerField(default=1)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PLANNED)
    enquiry_question = models.TextField(blank=True, help_text='The school\'s question: "To what extent ..."')
    visit_starts_on = models.DateField(null=True, blank=True)
    visit_ends_on = models.DateField(null=True, blank=True)
    pre_review_on = models.DateField(null=True, blank=True)
    pre_review_notes = models.TextField(blank=True)
    workshop_on = models.DateField(null=True, blank=True)
    workshop_notes = models.TextField(blank=True)
    impact_due_on = models.DateField(null=True, blank=True)
    impact_reviewed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["cycle", "round", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "school", "round"], name="one_review_per_school_round"),
            models.CheckConstraint(
                condition=Q(visit_ends_on__isnull=True) | Q(visit_ends_on__gte=models.F("visit_starts_on")),
                name="review_visit_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Peer review of {self.school} ({self.cycle})"

    @property
    def visit_days(self) -> int:
        if not self.visit_starts_on:
            return 0
        return ((self.visit_ends_on or self.visit_starts_on) - self.visit_starts_on).days + 1


class TeamMember(models.Model):
    """A reviewer on a review's team; one of them leads."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_places")
    from_school = models.ForeignKey(
        "directory.School",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The reviewer's school when the team was set (for the reciprocity ledger).",
    )
    is_lead = models.BooleanField(default=False)

    class Meta:
        ordering = ["review", "-is_lead", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="one_place_per_reviewer"),
            models.UniqueConstraint(fields=["review"], condition=Q(is_lead=True), name="one_lead_per_review"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class FocusArea(models.Model):
    """What the visit looks at, agreed with the school (suggested from its SEF and its data)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="focus_areas")
    area = models.ForeignKey(FrameworkArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    why = models.CharField(max_length=300, blank=True, help_text="Where it came from (SEF, a data flag...).")

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    """One item of the visit's schedule, done with a host leader of the school."""

    class Kind(models.TextChoices):
        LEARNING_WALK = "learning_walk", "Learning walk"
        LESSON_VISIT = "lesson_visit", "Lesson visit"
        BOOK_LOOK = "book_look", "Book look"
        PUPIL_VOICE = "pupil_voice", "Pupil voice"
        LEADERS = "leaders", "Meeting with leaders"
        STAFF = "staff", "Meeting with staff"
        GOVERNORS = "governors", "Meeting with governors"
        OTHER = "other", "Other"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    day = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField(null=True, blank=True)
    focus = models.CharField(max_length=200, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The school's leader who does it with the reviewers.",
    )
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["review", "day", "starts_at", "id"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:%d %b} {self.starts_at:%H:%M}"


class EvidenceNote(models.Model):
    """A reviewer's evidence note on one area, written during the visit and autosaved as they type."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="notes")
    area = models.ForeignKey(FrameworkArea, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "area__number", "created_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.area}"


class AreaJudgement(models.Model):
    """The team's agreed grade for one area (or met / not met)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="judgements")
    area = models.ForeignKey(FrameworkArea, on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey(Grade, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "area__number"]
        constraints = [models.UniqueConstraint(fields=["review", "area"], name="one_judgement_per_area")]

    def __str__(self) -> str:
        return f"{self.area}: {self.grade or ''}"


class Finding(models.Model):
    """A strength or an area for development the team agreed. Areas for development become actions
    in the school's plan at the improvement workshop, and the impact review records what changed."""

    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        DEVELOPMENT = "development", "Area for development"

    class Impact(models.TextChoices):
        NOT_YET = "not_yet", "Not yet started"
        SOME = "some", "Some progress"
        SECURE = "secure", "Secured"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    area = models.ForeignKey(FrameworkArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    impact = models.CharField(max_length=20, choices=Impact.choices, blank=True)
    impact_note = models.TextField(blank=True, help_text="What changed, recorded at the impact review.")
    impact_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    impact_recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "kind", "area__number", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class AreaOfExcellence(models.Model):
    """An Area of Excellence the school puts forward; the team may endorse it."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="area_of_excellence")
    title = models.CharField(max_length=200)
    description = models.TextField()
    put_forward_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    endorsed = models.BooleanField(null=True, blank=True, help_text="Empty until the team decides.")
    team_comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "areas of excellence"

    def __str__(self) -> str:
        return self.title


class ReviewReport(models.Model):
    """The review's report: drafted from the findings, the school's response added, finalised by
    the lead reviewer. The school owns it and chooses who else may read it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="report")
    summary = models.TextField(blank=True)
    school_response = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    sharing = models.CharField(max_length=20, choices=Sharing.choices, default=Sharing.REVIEW_TEAM)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Report: {self.review}"
