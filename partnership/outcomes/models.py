"""Pupils, their characteristics per year, results and in-year teacher assessments (C5).

Pupil-level rows belong to one school and are visible only to that school's authorised staff
(see `partnership/core/access.py`); everyone else sees aggregates from `outcomes/stats.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from partnership.core.schoolyear import Term, is_summer_born  # noqa: F401
from partnership.outcomes.upn import validate_upn


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"


class SenProvision(models.TextChoices):
    NONE = "N", "No special educational need"
    SEN_SUPPORT = "K", "SEN support"
    EHCP = "E", "Education, health and care plan"


# The generation (`core/memo.py`) that every cached outcome figure hangs on: moved on by whatever
# changes results, pupils' groups, national figures or schools (`outcomes.services.figures_changed`).
FIGURES_GENERATION = "outcomes-figures"


class Measure(models.TextChoices):
    EYFS_GLD = "eyfs_gld", "EYFS good level of development"
    PHONICS_Y1 = "phonics_y1", "Phonics screening check, Year 1"
    PHONICS_Y2 = "phonics_y2", "Phonics screening check, Year 2 retake"
    KS1_READING = "ks1_reading", "KS1 reading (teacher assessment)"
    KS1_WRITING = "ks1_writing", "KS1 writing (teacher assessment)"
    KS1_MATHS = "ks1_maths", "KS1 maths (teacher assessment)"
    MTC = "mtc", "Multiplication tables check"
    KS2_READING = "ks2_reading", "KS2 reading"
    KS2_MATHS = "ks2_maths", "KS2 maths"
    KS2_GPS = "ks2_gps", "KS2 grammar, punctuation and spelling"
    KS2_WRITING = "ks2_writing", "KS2 writing (teacher assessment)"
    KS2_RWM = "ks2_rwm", "KS2 reading, writing and maths combined"


class NonResultCode(models.TextChoices):
    """KS2 codes that are not results: kept as codes, never counted as zero marks."""

    A = "A", "Absent"
    B = "B", "Working below the level of the test"
    T = "T", "Unable to access the test"
    M = "M", "Missing"
    H = "H", "Cheating"
    Q = "Q", "Maladministration"
    L = "L", "Left"
    F = "F", "Future (will take it next year)"
    P = "P", "Previous year"


class Pupil(models.Model):
    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="pupils")
    upn = models.CharField("UPN", max_length=13, validators=[validate_upn])
    surname = models.CharField(max_length=100)
    forename = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["surname", "forename"]
        constraints = [models.UniqueConstraint(fields=["school", "upn"], name="unique_upn_per_school")]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def summer_born(self) -> bool:
        """Born between 1 April and 31 August: the youngest in their year group."""
        return 4 <= self.date_of_birth.month <= 8


class PupilYear(models.Model):
    """A pupil's year group and characteristics in one academic year (they change over time)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="years")
    academic_year = models.PositiveSmallIntegerField(help_text="Starting year: 2024 means 2024/25.")
    year_group = models.SmallIntegerField(help_text="0 is Reception, 1-6 are Years 1-6, -1 is Nursery.")
    disadvantaged = models.BooleanField(default=False)
    sen_provision = models.CharField(max_length=1, choices=SenProvision.choices, default=SenProvision.NONE)
    eal = models.BooleanField("English as an additional language", default=False)

    class Meta:
        ordering = ["academic_year", "year_group"]
        constraints = [models.UniqueConstraint(fields=["pupil", "academic_year"], name="one_pupil_year")]
        indexes = [models.Index(fields=["academic_year", "year_group"])]

    def __str__(self) -> str:
        return f"{self.pupil} {self.academic_year}"


class Result(models.Model):
    """One statutory result. `score` holds marks or scaled scores; `grade` a TA or GLD outcome;
    `code` a non-result code. `met_expected` / `met_higher` are derived by `outcomes/rules.py`
    when the result is saved through the import service, and are None where they do not apply."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="results")
    academic_year = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=20, choices=Measure.choices)
    score = models.SmallIntegerField(null=True, blank=True)
    grade = models.CharField(max_length=10, blank=True)
    code = models.CharField(max_length=1, choices=NonResultCode.choices, blank=True)
    detail = models.JSONField(default=dict, blank=True, help_text="e.g. EYFS early learning goal outcomes.")
    met_expected = models.BooleanField(null=True)
    met_higher = models.BooleanField(null=True)

    class Meta:
        ordering = ["academic_year", "measure"]
        constraints = [models.UniqueConstraint(fields=["pupil", "academic_year", "measure"], name="one_result")]
        indexes = [models.Index(fields=["academic_year", "measure"])]

    def __str__(self) -> str:
        return f"{self.pupil} {self.get_measure_display()} {self.academic_year}"


class TeacherAssessment(models.Model):
    """Termly in-year teacher assessment for any year group."""

    Term = Term  # the school year's terms (core vocabulary)

    class Subject(models.TextChoices):
        READING = "reading", "Reading"
        WRITING = "writing", "Writing"
        MATHS = "maths", "Maths"

    class Judgement(models.TextChoices):
        WORKING_TOWARDS = "WTS", "Working towards"
        EXPECTED = "EXS", "Expected standard"
        GREATER_DEPTH = "GDS", "Greater depth"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="assessments")
    academic_year = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=10, choices=Term.choices)
    subject = models.CharField(max_length=10, choices=Subject.choices)
    judgement = models.CharField(max_length=3, choices=Judgement.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "academic_year", "term", "subject"], name="one_assessment")
        ]

    def __str__(self) -> str:
        return f"{self.pupil} {self.subject} {self.term} {self.academic_year}"


class NationalFigure(models.Model):
    """A national comparator for England, shipped with the product (`outcomes/data/national_figures.csv`)
    and extendable by an administrator. Every row names its source."""

    class Statistic(models.TextChoices):
        EXPECTED_PCT = "expected_pct", "% meeting the expected standard"
        HIGHER_PCT = "higher_pct", "% at the higher standard"
        MEAN = "mean", "Mean score"
        FULL_MARKS_PCT = "full_marks_pct", "% scoring full marks"

    measure = models.CharField(max_length=20, choices=Measure.choices)
    academic_year = models.PositiveSmallIntegerField()
    statistic = models.CharField(max_length=20, choices=Statistic.choices)
    value = models.DecimalField(max_digits=6, decimal_places=2)
    source = models.CharField(max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["measure", "academic_year"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "academic_year", "statistic"], name="one_national_figure")
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.academic_year}: {self.value}"


class ResultImport(models.Model):
    """A record of each import: what file, by whom, what it did. Rejected files save nothing else."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Checked, not yet imported"
        IMPORTED = "imported", "Imported"
        REJECTED = "rejected", "Rejected"

    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="result_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    file_format = models.CharField(max_length=10)
    status = models.CharField(max_length=20, choices=Status.choices)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
