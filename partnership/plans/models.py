"""School Development Plans and Partnership School Improvement Plans (C4).

plan -> priorities (framework area + themes) -> objectives (success criteria, termly milestones)
-> actions (`actions.Action`). RAG status is stored on priorities and objectives; every change is a
dated `ProgressUpdate`, so the history of a status can be read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from partnership.core.schoolyear import Term, academic_year_label, current_academic_year  # noqa: F401

# Ofsted's report-card evaluation areas (from November 2025). Frameworks become data with the
# self-evaluation module (C6); until then plans tag priorities with these.
FRAMEWORK_AREAS = [
    ("inclusion", "Inclusion"),
    ("curriculum_teaching", "Curriculum and teaching"),
    ("achievement", "Achievement"),
    ("attendance_behaviour", "Attendance and behaviour"),
    ("personal_development", "Personal development and well-being"),
    ("leadership_governance", "Leadership and governance"),
    ("early_years", "Early years"),
    ("safeguarding", "Safeguarding"),
]


class Rag(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    RED = "red", "Red – off track"
    AMBER = "amber", "Amber – some concerns"
    GREEN = "green", "Green – on track"
    COMPLETE = "complete", "Complete"


class Theme(models.Model):
    """A free theme tag (e.g. "reading", "attendance"); shared so the shared-priorities matrix can line up."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=90, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImprovementPlan(models.Model):
    """A school's development plan (SDP) or a partnership's school improvement plan, for one year."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "School Development Plan"
        PARTNERSHIP = "partnership", "Partnership School Improvement Plan"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.CASCADE, related_name="plans"
    )
    partnership = models.ForeignKey(
        "directory.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="plans"
    )
    academic_year = models.PositiveSmallIntegerField(help_text="Starting year: 2025 means 2025/26.")
    title = models.CharField(max_length=200, blank=True)
    vision = models.TextField(blank=True)
    shares_priorities = models.BooleanField(
        default=False,
        help_text="For a school plan: whether the partnership can see its priorities (not objectives or actions).",
    )
    rolled_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-academic_year"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="school") & Q(school__isnull=False) & Q(partnership__isnull=True))
                | (Q(kind="partnership") & Q(partnership__isnull=False) & Q(school__isnull=True)),
                name="plan_owner_matches_kind",
            ),
            models.UniqueConstraint(fields=["school", "academic_year"], name="one_sdp_per_year"),
            models.UniqueConstraint(fields=["partnership", "academic_year"], name="one_partnership_plan_per_year"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.year_label}"

    @property
    def year_label(self) -> str:
        return academic_year_label(self.academic_year)


class Priority(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    framework_area = models.CharField(max_length=40, choices=FRAMEWORK_AREAS, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="priorities")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rag = models.CharField(max_length=20, choices=Rag.choices, default=Rag.NOT_STARTED)
    rolled_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_priority_number")]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Objective(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    success_criteria = models.TextField(blank=True, help_text="How we will know it has worked.")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rag = models.CharField(max_length=20, choices=Rag.choices, default=Rag.NOT_STARTED)
    rolled_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["priority", "number"]
        constraints = [models.UniqueConstraint(fields=["priority", "number"], name="unique_objective_number")]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """What should be true by the end of a term."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="milestones")
    term = models.CharField(max_length=10, choices=Term.choices)
    description = models.CharField(max_length=300)
    achieved = models.BooleanField(default=False)

    class Meta:
        ordering = ["objective", "term", "id"]

    def __str__(self) -> str:
        return f"{self.get_term_display()}: {self.description}"


class ProgressUpdate(models.Model):
    """A dated RAG judgement on a priority or an objective, with who made it and the evidence."""

    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.CASCADE, related_name="updates")
    objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="updates")
    rag = models.CharField(max_length=20, choices=Rag.choices)
    note = models.TextField(blank=True)
    evidence_url = models.URLField(blank=True, max_length=500)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(priority__isnull=False) & Q(objective__isnull=True))
                | (Q(priority__isnull=True) & Q(objective__isnull=False)),
                name="update_is_for_priority_or_objective",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_rag_display()} on {self.recorded_at:%d %b %Y}"
