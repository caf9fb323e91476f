"""Moderation and comparative judgement through the v1 API (read only): moderation sessions, their
samples (pseudonymised), moderators' judgements, the exemplar bank, CJ sessions, CJ decisions and
a CJ session's scale.

Each resource follows its rule in `partnership/moderation/policy.py`. A sample is known by its code:
its school and class teacher are served only to staff of the sample's own school (`shows_school`),
and who the pupil is (`SampleIdentity`: name, UPN) is never served here at all, to anyone. A
sample's outcome lists only the moderators' judgements the caller may read. A CJ decision names its
judge only to the partnership's coordinators; everyone else sees the judge's number in the session.
Filters narrow what the caller may see; a value that does not parse is a 400 naming the parameter.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from partnership.api.scoped import ScopedViewSet
from partnership.core import access
from partnership.core.exports import PLAIN_TEXT_HELP
from partnership.core.params import MAX_ID
from partnership.core.roles import STAFF_ROLES
from partnership.moderation import cj_results
from partnership.moderation.models import (
    CJJudge,
    CJPair,
    CJScript,
    CJSession,
    Exemplar,
    ModerationSession,
    Moderator,
    ModeratorJudgement,
    Sample,
    SampleFile,
)
from partnership.moderation.scales import SUBJECTS, YEAR_GROUPS

# ---------------------------------------------------------------------------------------------
# Who sees a sample's school


def shows_school(user: Any, school_id: int | None) -> bool:
    """Whether a sample's school and teacher may be shown to this user: only to staff (not
    governors) of the sample's own school. Nobody else, not administrators, not moderators."""
    if school_id is None:
        return False
    principal = access.principal_for(user)
    return principal.school_id == school_id and bool(principal.school_roles & STAFF_ROLES)


def _user(serializer: serializers.Serializer) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


# ---------------------------------------------------------------------------------------------
# Query parameters (validated at the edge, documented in the schema)


def _id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text=help_text)


def _year() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Starting year (2026 = 2026/27)"
    )


def _subject() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=SUBJECTS, required=False, help_text="A subject: " + ", ".join(key for key, _ in SUBJECTS)
    )


def _year_group() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=YEAR_GROUPS,
        required=False,
        help_text="A year group: " + ", ".join(key for key, _ in YEAR_GROUPS) + " (N: Nursery, R: Reception)",
    )


def _partnership() -> serializers.CharField:
    return serializers.CharField(required=False, max_length=100, help_text="A partnership's slug")


class ModerationSessionQuery(serializers.Serializer):
    partnership = _partnership()
    subject = _subject()
    year_group = _year_group()
    academic_year = _year()
    status = serializers.ChoiceField(
        choices=ModerationSession.Status.choices,
        required=False,
        help_text="One status: " + ", ".join(ModerationSession.Status.values),
    )


class SampleQuery(serializers.Serializer):
    session = _id("A moderation session's id")
    subject = _subject()
    year_group = _year_group()
    academic_year = _year()


class JudgementQuery(serializers.Serializer):
    session = _id("A moderation session's id")


class ExemplarQuery(serializers.Serializer):
    subject = _subject()
    year_group = _year_group()


class CJSessionQuery(serializers.Serializer):
    partnership = _partnership()
    subject = _subject()
    year_group = _year_group()
    academic_year = _year()
    status = serializers.ChoiceField(
        choices=CJSession.Status.choices, required=False, help_text="One status: " + ", ".join(CJSession.Status.values)
    )


class CJJudgementQuery(serializers.Serializer):
    session = _id("A comparative-judgement session's id")


# ---------------------------------------------------------------------------------------------
# Serializers


class HostSchoolSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=PLAIN_TEXT_HELP)
    slug = serializers.CharField()


class ModerationSessionSerializer(serializers.ModelSerializer):
    partnership_slug = serializers.CharField(source="partnership.slug", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    subject_label = serializers.CharField(read_only=True)
    year_group_label = serializers.CharField(read_only=True)
    year_label = serializers.CharField(read_only=True, help_text="2026/27 for a session starting in 2026.")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    host_school = HostSchoolSerializer(read_only=True, help_text="The school hosting the meeting.")
    moderators = serializers.SerializerMethodField(help_text="The moderators' names.")
    sample_count = serializers.IntegerField(read_only=True, help_text="Samples submitted by all schools.")

    class Meta:
        model = ModerationSession
        fields = [
            "id",
            "partnership",
            "partnership_slug",
            "kind",
            "kind_label",
            "subject",
            "subject_label",
            "year_group",
            "year_group_label",
            "academic_year",
            "year_label",
            "date",
            "host_school",
            "status",
            "status_label",
            "moderators",
            "sample_count",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField(help_text=PLAIN_TEXT_HELP)))
    def get_moderators(self, session: ModerationSession) -> list[str]:
        return [place.person.full_name for place in session.moderators.all()]


class SampleFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The page itself, for whoever may view the sample.")

    class Meta:
        model = SampleFile
        fields = ["id", "number", "content_type", "size", "url"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, page: SampleFile) -> str:
        path = reverse("moderation:sample_file", args=[page.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class OutcomeJudgementSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModeratorJudgement
        fields = ["judgement", "comment"]
        read_only_fields = fields
        extra_kwargs = {"comment": {"help_text": PLAIN_TEXT_HELP}}


class OutcomeSerializer(serializers.Serializer):
    judgements = OutcomeJudgementSerializer(many=True, help_text="The moderators' judgements you may read.")
    agreed = serializers.BooleanField(
        allow_null=True,
        help_text="Every moderator's judgement equals the teacher's; empty while there is none to read.",
    )


class SampleSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="session_id", read_only=True)
    teacher_judgement_label = serializers.CharField(source="judgement_label", read_only=True)
    selection_label = serializers.CharField(source="get_selection_display", read_only=True)
    pieces = serializers.ListField(
        child=serializers.CharField(help_text=PLAIN_TEXT_HELP), read_only=True, help_text="Titles of the pieces."
    )
    grid = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(min_value=0)),
        read_only=True,
        help_text="Statement key -> the pieces (0-based) evidencing it (KS2 writing).",
    )
    files = SampleFileSerializer(many=True, read_only=True)
    outcome = serializers.SerializerMethodField()
    school = serializers.SerializerMethodField(help_text="The school's slug: for the school's own staff only.")
    teacher = serializers.SerializerMethodField(help_text="The class teacher: for the school's own staff only.")

    class Meta:
        model = Sample
        fields = [
            "id",
            "session",
            "code",
            "teacher_judgement",
            "teacher_judgement_label",
            "selection",
            "selection_label",
            "pieces",
            "grid",
            "files",
            "outcome",
            "school",
            "teacher",
        ]
        read_only_fields = fields

    @extend_schema_field(OutcomeSerializer)
    def get_outcome(self, sample: Sample) -> dict[str, Any]:
        judgements = list(getattr(sample, "visible_judgements", []))
        agreed = all(j.judgement == sample.teacher_judgement for j in judgements) if judgements else None
        return {"judgements": OutcomeJudgementSerializer(judgements, many=True).data, "agreed": agreed}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_school(self, sample: Sample) -> str | None:
        return sample.school.slug if shows_school(_user(self), sample.school_id) else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text=PLAIN_TEXT_HELP))
    def get_teacher(self, sample: Sample) -> str | None:
        if sample.teacher is None or not shows_school(_user(self), sample.school_id):
            return None
        return sample.teacher.full_name


class ModeratorJudgementSerializer(serializers.ModelSerializer):
    sample_code = serializers.CharField(source="sample.code", read_only=True)
    session = serializers.IntegerField(source="sample.session_id", read_only=True)
    moderator_name = serializers.CharField(source="moderator.full_name", read_only=True, help_text=PLAIN_TEXT_HELP)

    class Meta:
        model = ModeratorJudgement
        fields = [
            "id",
            "sample",
            "sample_code",
            "session",
            "judgement",
            "comment",
            "moderator",
            "moderator_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"comment": {"help_text": PLAIN_TEXT_HELP}}


class ExemplarSerializer(serializers.ModelSerializer):
    sample_code = serializers.CharField(source="sample.code", read_only=True)
    session = serializers.IntegerField(source="sample.session_id", read_only=True)
    subject = serializers.CharField(source="sample.session.subject", read_only=True)
    subject_label = serializers.CharField(source="sample.session.subject_label", read_only=True)
    year_group = serializers.CharField(source="sample.session.year_group", read_only=True)
    year_group_label = serializers.CharField(source="sample.session.year_group_label", read_only=True)
    school = serializers.SerializerMethodField(help_text="The school's slug: for the school's own staff only.")

    class Meta:
        model = Exemplar
        fields = [
            "id",
            "sample",
            "sample_code",
            "session",
            "subject",
            "subject_label",
            "year_group",
            "year_group_label",
            "standard",
            "annotation",
            "consented_at",
            "school",
        ]
        read_only_fields = fields
        extra_kwargs = {"annotation": {"help_text": PLAIN_TEXT_HELP}}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_school(self, exemplar: Exemplar) -> str | None:
        sample = exemplar.sample
        return sample.school.slug if shows_school(_user(self), sample.school_id) else None


class CJSessionSerializer(serializers.ModelSerializer):
    partnership_slug = serializers.CharField(source="partnership.slug", read_only=True)
    subject_label = serializers.CharField(read_only=True)
    year_group_label = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    scripts_count = serializers.IntegerField(read_only=True)
    judges_count = serializers.IntegerField(read_only=True)
    judgements_made = serializers.IntegerField(read_only=True, help_text="Pairs decided so far.")
    judgements_planned = serializers.IntegerField(read_only=True, help_text="Pairs planned for all judges.")

    class Meta:
        model = CJSession
        fields = [
            "id",
            "partnership",
            "partnership_slug",
            "name",
            "subject",
            "subject_label",
            "year_group",
            "year_group_label",
            "academic_year",
            "status",
            "status_label",
            "per_script",
            "cross_school_every",
            "scripts_count",
            "judges_count",
            "judgements_made",
            "judgements_planned",
        ]
        read_only_fields = fields
        extra_kwargs = {"name": {"help_text": PLAIN_TEXT_HELP}}


class CJJudgementSerializer(serializers.ModelSerializer):
    judge_number = serializers.IntegerField(read_only=True, help_text="The judge's number in the session (1, 2, ...).")
    judge_name = serializers.SerializerMethodField(help_text="For the partnership's coordinators only.")
    pair_number = serializers.IntegerField(source="number", read_only=True, help_text="1 for the judge's first pair.")
    left_code = serializers.CharField(source="left.sample.code", read_only=True)
    right_code = serializers.CharField(source="right.sample.code", read_only=True)
    chosen_code = serializers.SerializerMethodField(help_text="The code of the script judged the better.")

    class Meta:
        model = CJPair
        fields = [
            "id",
            "session",
            "judge_number",
            "judge_name",
            "pair_number",
            "left_code",
            "right_code",
            "chosen_code",
            "decided_at",
            "seconds",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True, help_text=PLAIN_TEXT_HELP))
    def get_judge_name(self, pair: CJPair) -> str | None:
        principal = access.principal_for(_user(self))
        return pair.judge.person.full_name if pair.session.partnership_id in principal.coordinates else None

    @extend_schema_field(serializers.CharField())
    def get_chosen_code(self, pair: CJPair) -> str:
        return pair.left.sample.code if pair.chosen == CJPair.Side.LEFT else pair.right.sample.code


class CJScaleRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    score = serializers.FloatField(help_text="Logits (mean 0 unless anchored).")
    standard_error = serializers.FloatField(allow_null=True, help_text="Empty for a script not yet judged.")
    reading = serializers.FloatField(help_text="0-100 reading: 50 + 15 x score, clipped to 0-100.")
    rank = serializers.IntegerField(help_text="1 for the best script.")
    comparisons = serializers.IntegerField()
    anchor = serializers.BooleanField(help_text="The score is fixed from an earlier session.")


class CJResultsSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    scale = CJScaleRowSerializer(many=True, help_text="Best script first.")
    ssr = serializers.FloatField(help_text="Scale separation reliability, 0 to 1.")
    converged = serializers.BooleanField()
    judgements = serializers.IntegerField(help_text="Decided pairs in the fit.")


# ---------------------------------------------------------------------------------------------
# The scale of a CJ session


def _scale(session: CJSession) -> dict[str, Any]:
    """The session's scale as the results page fits it (`cj_results.fit_session`: the eps
    Bradley-Terry fit of the decided pairs, anchors held at their scores). A fixed number of
    queries, whatever the session's size."""
    fitted = cj_results.fit_session(session)
    fit = fitted.fit
    order = sorted(range(len(fitted.scripts)), key=lambda i: (-fit.scores[i], fitted.scripts[i].sample.code))
    scale = []
    for rank, i in enumerate(order, start=1):
        script = fitted.scripts[i]
        score = float(fit.scores[i])
        error = float(fit.standard_errors[i])
        scale.append(
            {
                "code": script.sample.code,
                "score": round(score, 4),
                "standard_error": round(error, 4) if np.isfinite(error) else None,
                "reading": round(cj_results.reading(score), 1),
                "rank": rank,
                "comparisons": int(fit.comparisons_per_script[i]),
                "anchor": script.anchor_score is not None,
            }
        )
    return {
        "session": session.pk,
        "scale": scale,
        "ssr": round(float(fit.ssr), 4),
        "converged": bool(fit.converged),
        "judgements": len(fitted.comparisons),
    }


# ---------------------------------------------------------------------------------------------
# Resources


def _count(model: Any, **where: Any) -> Coalesce:
    """How many rows of `model` belong to each session, as a subquery (no join, no GROUP BY)."""
    rows = (
        model.objects.filter(session_id=OuterRef("pk"), **where)
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _fake(view: Any) -> bool:
    return getattr(view, "swagger_fake_view", False)


@extend_schema_view(list=extend_schema(parameters=[ModerationSessionQuery]))
class ModerationSessionViewSet(ScopedViewSet):
    """Your partnerships' moderation and standardisation sessions, newest first (not their samples)."""

    serializer_class = ModerationSessionSerializer
    ordering = ("-date", "pk")
    query_class = ModerationSessionQuery
    filters = {
        "partnership": "partnership__slug",
        "subject": "subject",
        "year_group": "year_group",
        "academic_year": "academic_year",
        "status": "status",
    }

    queryset = (
        ModerationSession.objects.select_related("partnership", "host_school")
        .prefetch_related(Prefetch("moderators", queryset=Moderator.objects.select_related("person").order_by("pk")))
        .annotate(sample_count=_count(Sample))
    )


@extend_schema_view(list=extend_schema(parameters=[SampleQuery]))
class SampleViewSet(ScopedViewSet):
    """Samples you may see, by their code: your school's, those of the sessions you moderate or
    coordinate, those in the CJ sessions you judge, and the exemplar bank's. Never the pupil."""

    serializer_class = SampleSerializer
    ordering = ("session_id", "code", "pk")
    query_class = SampleQuery
    filters = {
        "session": "session_id",
        "subject": "session__subject",
        "year_group": "session__year_group",
        "academic_year": "session__academic_year",
    }

    queryset = Sample.objects.select_related("school", "teacher").prefetch_related(
        Prefetch("files", queryset=SampleFile.objects.order_by("number"))
    )

    def get_queryset(self) -> QuerySet[Sample]:
        rows = super().get_queryset()
        if _fake(self):
            return rows
        readable = access.visible_to(self.request.user, ModeratorJudgement.objects.order_by("created_at", "pk"))
        return rows.prefetch_related(Prefetch("judgements", queryset=readable, to_attr="visible_judgements"))


@extend_schema_view(list=extend_schema(parameters=[JudgementQuery]))
class ModeratorJudgementViewSet(ScopedViewSet):
    """Moderators' judgements you may read: of your school's samples, of the sessions you moderate,
    of the partnerships you coordinate."""

    serializer_class = ModeratorJudgementSerializer
    ordering = ("sample__session_id", "sample__code", "created_at", "pk")
    query_class = JudgementQuery
    filters = {"session": "sample__session_id"}

    queryset = ModeratorJudgement.objects.select_related("sample", "moderator")


@extend_schema_view(list=extend_schema(parameters=[ExemplarQuery]))
class ExemplarViewSet(ScopedViewSet):
    """The exemplar bank of your partnerships: current exemplars, by the sample's code."""

    serializer_class = ExemplarSerializer
    ordering = ("-consented_at", "pk")
    query_class = ExemplarQuery
    filters = {"subject": "sample__session__subject", "year_group": "sample__session__year_group"}

    queryset = Exemplar.objects.filter(withdrawn_at__isnull=True).select_related("sample__session", "sample__school")


@extend_schema_view(list=extend_schema(parameters=[CJSessionQuery]))
class CJSessionViewSet(ScopedViewSet):
    """Your partnerships' comparative-judgement sessions, newest first; `results` is the scale."""

    serializer_class = CJSessionSerializer
    ordering = ("-created_at", "pk")
    query_class = CJSessionQuery
    filters = {
        "partnership": "partnership__slug",
        "subject": "subject",
        "year_group": "year_group",
        "academic_year": "academic_year",
        "status": "status",
    }

    queryset = CJSession.objects.select_related("partnership").annotate(
        scripts_count=_count(CJScript),
        judges_count=_count(CJJudge),
        judgements_made=_count(CJPair, decided_at__isnull=False),
        judgements_planned=_count(CJPair),
    )

    @extend_schema(responses=CJResultsSerializer)
    @action(detail=True, pagination_class=None)  # one session's scale comes whole
    def results(self, request: Request, pk: str | None = None) -> Response:
        """The session's scale so far: scripts by code, best first, with standard errors, a 0-100
        reading and the number of comparisons each; the scale separation reliability."""
        return Response(CJResultsSerializer(_scale(self.get_object())).data)


@extend_schema_view(list=extend_schema(parameters=[CJJudgementQuery]))
class CJJudgementViewSet(ScopedViewSet):
    """Decided comparative judgements you may read: your own, and all of the partnerships you
    coordinate. Scripts by code; the judge by number (named to coordinators)."""

    serializer_class = CJJudgementSerializer
    ordering = ("session_id", "judge_id", "number", "pk")
    query_class = CJJudgementQuery
    filters = {"session": "session_id"}

    queryset = (
        CJPair.objects.filter(decided_at__isnull=False)
        .exclude(chosen="")
        .select_related("session", "judge__person", "left__sample", "right__sample")
        .annotate(
            judge_number=Subquery(
                CJJudge.objects.filter(session_id=OuterRef("session_id"), pk__lte=OuterRef("judge_id"))
                .order_by()
                .values("session_id")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            )
        )
    )
