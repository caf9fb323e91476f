"""Moderation and standardisation, Nursery to Year 6, with comparative judgement (C7).

A partnership's moderation session (subject, year group, date, host school, moderators from other
schools) -> samples the schools submit (uploaded scans, photos or PDFs under a pseudonymous sample
code, with the class teacher's judgement and, for KS2 writing, the evidence grid) -> moderators'
judgements and comments -> agreement (exact and Cohen's kappa) by school, year group and subject
over time -> agreed samples in the exemplar bank, with the school's consent. Attendance at
standardisation (and moderation) meetings is recorded per session.

A comparative-judgement (CJ) session takes submitted samples as scripts, invites judges and gives
each a planned list of pairs (`pairing.generate_pairs`); the decisions are fitted by `cj.py`.

Who a pupil is lives only in `SampleIdentity`, a pupil-level model the access engine keeps to the
pupil's own school; everything else about a sample is pseudonymised by its code, and pages shown to
other schools never name the school or the teacher.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from partnership.core.schoolyear import academic_year_label
from partnership.moderation.scales import JUDGEMENT_LABELS, SUBJECT_LABELS, SUBJECTS, YEAR_GROUP_LABELS, YEAR_GROUPS

JUDGEMENT_CHOICES = list(JUDGEMENT_LABELS.items())
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud in meetings


def new_code() -> str:
    """A sample code: four characters that say nothing about the pupil or the school."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))


class ModerationSession(models.Model):
    """A moderation (or standardisation) meeting of a partnership for one subject and year group."""

    class Kind(models.TextChoices):
        MODERATION = "moderation", "Moderation"
        STANDARDISATION = "standardisation", "Standardisation"

    class Status(models.TextChoices):
        OPEN = "open", "Taking samples"
        MODERATING = "moderating", "Moderating"
        CLOSED = "closed", "Closed"

    class SampleRule(models.TextChoices):
        TEACHER_EXAMPLES = "teacher_examples", "Each teacher brings one WTS, one EXS and one GDS example"
        COHORT_SHARE = "cohort_share", "About 15% of the cohort (at least 5 pupils)"

    partnership = models.ForeignKey(
        "directory.Partnership", on_delete=models.CASCADE, related_name="moderation_sessions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MODERATION)
    subject = models.CharField(max_length=20, choices=SUBJECTS)
    year_group = models.CharField(max_length=2, choices=YEAR_GROUPS)
    academic_year = models.PositiveSmallIntegerField(help_text="Starting year: 2026 means 2026/27.")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    host_school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    sample_rule = models.CharField(max_length=20, choices=SampleRule.choices, default=SampleRule.TEACHER_EXAMPLES)
    samples_due = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.subject_label}, {self.year_group_label} ({self.date:%-d %B %Y})"

    @property
    def subject_label(self) -> str:
        return SUBJECT_LABELS.get(self.subject, self.subject)

    @property
    def year_group_label(self) -> str:
        return YEAR_GROUP_LABELS.get(self.year_group, self.year_group)

    @property
    def year_label(self) -> str:
        return academic_year_label(self.academic_year)

    @property
    def title(self) -> str:
        kind = "standardisation" if self.kind == self.Kind.STANDARDISATION else "moderation"
        return f"{self.year_group_label} {self.subject_label.lower()} {kind}"


class Moderator(models.Model):
    """A person moderating a session. They never moderate their own school's samples."""

    session = models.ForeignKey(ModerationSession, on_delete=models.CASCADE, related_name="moderators")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The moderator's school when they were added (none for an adviser).",
    )  # fmt: skip
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="one_moderator_place")]

    def __str__(self) -> str:
        return str(self.person)


class Sample(models.Model):
    """A piece (or collection) of a pupil's work submitted to a session, known by its code."""

    class Selection(models.TextChoices):
        TEACHER_EXAMPLE = "teacher_example", "A teacher's example"
        COHORT_SAMPLE = "cohort_sample", "Part of the cohort sample"

    session = models.ForeignKey(ModerationSession, on_delete=models.CASCADE, related_name="samples")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=12)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The class teacher (shown to the school only).",
    )  # fmt: skip
    teacher_judgement = models.CharField(max_length=3, choices=JUDGEMENT_CHOICES)
    selection = models.CharField(max_length=20, choices=Selection.choices, default=Selection.TEACHER_EXAMPLE)
    context = models.TextField(blank=True, help_text="What moderators should know; no names.")
    pieces = models.JSONField(default=list, blank=True, help_text="Titles of the pieces of work (KS2 writing).")
    grid = models.JSONField(default=dict, blank=True, help_text="Statement key -> pieces (0-based) evidencing it.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["session", "code"]
        constraints = [models.UniqueConstraint(fields=["session", "code"], name="sample_code_unique")]

    def __str__(self) -> str:
        return f"Sample {self.code}"

    @property
    def judgement_label(self) -> str:
        return JUDGEMENT_LABELS.get(self.teacher_judgement, self.teacher_judgement)


class SampleIdentity(models.Model):
    """Who the sample's pupil is: for the pupil's own school only (pupil-level data)."""

    sample = models.OneToOneField(Sample, on_delete=models.CASCADE, related_name="identity")
    pupil_name = models.CharField(max_length=120)
    upn = models.CharField(max_length=13, blank=True)

    def __str__(self) -> str:
        return f"Pupil of sample {self.sample_id}"


def sample_upload_to(instance: SampleFile, filename: str) -> str:
    return f"moderation/{instance.sample.session_id}/{uuid.uuid4().hex}/{filename}"


class SampleFile(models.Model):
    """One page or photo of a sample. Images are re-encoded without their metadata (EXIF, GPS)
    before they are stored; the stored name is the sample's code, never the uploader's file name."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="files")
    number = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=sample_upload_to, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sample", "number"]
        constraints = [models.UniqueConstraint(fields=["sample", "number"], name="sample_file_number_unique")]

    def __str__(self) -> str:
        return f"{self.sample.code} page {self.number}" if self.sample_id else f"Page {self.number}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ModeratorJudgement(models.Model):
    """A moderator's judgement of a sample, with their comment for the school."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="judgements")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    judgement = models.CharField(max_length=3, choices=JUDGEMENT_CHOICES)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sample", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["sample", "moderator"], name="one_judgement_per_moderator")]

    def __str__(self) -> str:
        return f"{self.judgement} for {self.sample_id}"

    @property
    def agrees(self) -> bool:
        return self.judgement == self.sample.teacher_judgement


class Exemplar(models.Model):
    """An agreed sample in the partnership's exemplar bank, there with its school's consent."""

    sample = models.OneToOneField(Sample, on_delete=models.CASCADE, related_name="exemplar")
    standard = models.CharField(max_length=3, choices=JUDGEMENT_CHOICES)
    annotation = models.TextField(help_text="Why the sample is at this standard.")
    consented_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    consented_at = models.DateTimeField(default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-consented_at", "pk"]

    def __str__(self) -> str:
        return f"Exemplar {self.sample.code}" if self.sample_id else "Exemplar"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class Attendance(models.Model):
    """Who came to a session's meeting (the record of standardisation a school can show)."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    session = models.ForeignKey(ModerationSession, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PRESENT)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="one_attendance_per_session_person")]

    def __str__(self) -> str:
        return f"{self.person} - {self.get_status_display()}"


class CJSession(models.Model):
    """A comparative-judgement session: scripts (submitted samples), judges and their pairs."""

    class Status(models.TextChoices):
        SETUP = "setup", "Being set up"
        JUDGING = "judging", "Judging"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey("directory.Partnership", on_delete=models.CASCADE, related_name="cj_sessions")
    name = models.CharField(max_length=150)
    subject = models.CharField(max_length=20, choices=SUBJECTS, default="writing")
    year_group = models.CharField(max_length=2, choices=YEAR_GROUPS, default="6")
    academic_year = models.PositiveSmallIntegerField()
    source = models.ForeignKey(
        ModerationSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="cj_sessions",
        help_text="The moderation session whose samples are the scripts.",
    )  # fmt: skip
    per_script = models.PositiveSmallIntegerField(default=10, help_text="Judgements each script should get.")
    cross_school_every = models.PositiveSmallIntegerField(
        default=5, help_text="Every n-th pair a judge sees shows two other schools' scripts (0: off)."
    )
    seconds_per_pair = models.PositiveSmallIntegerField(default=20)
    seed = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SETUP)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def subject_label(self) -> str:
        return SUBJECT_LABELS.get(self.subject, self.subject)

    @property
    def year_group_label(self) -> str:
        return YEAR_GROUP_LABELS.get(self.year_group, self.year_group)


class CJScript(models.Model):
    """A sample judged in a CJ session. An anchor keeps a fixed score from an earlier session, which
    puts this session on the same scale; a boundary script marks where a standard begins."""

    class Boundary(models.TextChoices):
        NONE = "", "None"
        EXS = "EXS", "Start of the expected standard"
        GDS = "GDS", "Start of greater depth"

    session = models.ForeignKey(CJSession, on_delete=models.CASCADE, related_name="scripts")
    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="cj_scripts")
    position = models.PositiveIntegerField(help_text="0-based index of the script in the fit.")
    anchor_score = models.FloatField(null=True, blank=True, help_text="Fixed logit score (an anchor).")
    anchor_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The earlier session's script whose score this anchor keeps.",
    )  # fmt: skip
    boundary = models.CharField(max_length=3, choices=Boundary.choices, blank=True, default="")
    score = models.FloatField(null=True, blank=True, help_text="Logit score kept when the session closes.")
    standard_error = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "sample"], name="cj_script_once"),
            models.UniqueConstraint(fields=["session", "position"], name="cj_script_position_unique"),
        ]

    def __str__(self) -> str:
        return f"Script {self.position + 1}"

    @property
    def is_anchor(self) -> bool:
        return self.anchor_score is not None


class CJJudge(models.Model):
    """A person invited to judge a CJ session."""

    session = models.ForeignKey(CJSession, on_delete=models.CASCADE, related_name="judges")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    paused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="one_cj_judge_place")]

    def __str__(self) -> str:
        return str(self.person)


class CJPair(models.Model):
    """One planned comparison for one judge, in the order they see them; decided once judged."""

    class Side(models.TextChoices):
        LEFT = "L", "Left"
        RIGHT = "R", "Right"

    session = models.ForeignKey(CJSession, on_delete=models.CASCADE, related_name="pairs")
    judge = models.ForeignKey(CJJudge, on_delete=models.CASCADE, related_name="pairs")
    number = models.PositiveIntegerField(help_text="1 for the judge's first pair.")
    left = models.ForeignKey(CJScript, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(CJScript, on_delete=models.CASCADE, related_name="+")
    chosen = models.CharField(max_length=1, choices=Side.choices, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True, help_text="Time the judge took over the pair.")

    class Meta:
        ordering = ["judge", "number"]
        constraints = [models.UniqueConstraint(fields=["judge", "number"], name="cj_pair_number_unique")]

    def __str__(self) -> str:
        return f"Pair {self.number}"

    @property
    def winner_id(self) -> int | None:
        return {"L": self.left_id, "R": self.right_id}.get(self.chosen)

    @property
    def loser_id(self) -> int | None:
        return {"L": self.right_id, "R": self.left_id}.get(self.chosen)
