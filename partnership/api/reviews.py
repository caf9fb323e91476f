"""Self-evaluation and peer review through the v1 API (read only): frameworks, self-evaluations,
review cycles and their rota, reviews, findings, area judgements and final reports.

Each resource follows its rule in `partnership/reviews/policy.py`. A SEF reaches past its school
only as far as the school shares it (its review team for that year, or its partnerships). A review
is for the school reviewed, its team and the cycle's coordinators; a cycle's rota lists only the
reviews the caller may see. Findings, judgements and reports are the school's and its team's until
the school shares its final report with the partnership. Only final reports are served: a draft is
still being written. Filters narrow what the caller may see; a value that does not parse is a 400
naming the parameter.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from partnership.api.scoped import ScopedViewSet
from partnership.core import access
from partnership.core.exports import PLAIN_TEXT_HELP
from partnership.core.params import MAX_ID
from partnership.reviews.models import (
    Activity,
    AreaJudgement,
    AreaOfExcellence,
    Finding,
    FocusArea,
    Framework,
    FrameworkArea,
    Grade,
    Review,
    ReviewCycle,
    ReviewReport,
    SefEntry,
    SefEvidence,
    SelfEvaluation,
    TeamMember,
)

# ---------------------------------------------------------------------------------------------
# Query parameters (validated at the edge, documented in the schema)


def _id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text=help_text)


def _year() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Starting year (2026 = 2026/27)"
    )


class FrameworkQuery(serializers.Serializer):
    partnership = _id("A partnership's id: the frameworks it built")


class SefQuery(serializers.Serializer):
    school = _id("A school's id: its self-evaluations")
    year = _year()


class CycleQuery(serializers.Serializer):
    partnership = _id("A partnership's id: its review cycles")
    year = _year()


class ReviewQuery(serializers.Serializer):
    cycle = _id("A review cycle's id")
    school = _id("A school's id: the reviews of that school")
    year = _year()


class FindingQuery(serializers.Serializer):
    review = _id("A review's id")
    cycle = _id("A review cycle's id")
    school = _id("A school's id: the findings of its reviews")


class ReportQuery(serializers.Serializer):
    cycle = _id("A review cycle's id")
    school = _id("A school's id: the reports of its reviews")
    year = _year()


# ---------------------------------------------------------------------------------------------
# Serializers


class ReviewPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField(help_text=PLAIN_TEXT_HELP)


class ReviewGradeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Grade
        fields = ["id", "rank", "label", "description"]
        read_only_fields = fields
        extra_kwargs = {"label": {"help_text": "Rank 1 is the best. " + PLAIN_TEXT_HELP}}


class ReviewFrameworkAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = FrameworkArea
        fields = ["id", "number", "key", "name", "description", "met_or_not", "optional"]
        read_only_fields = fields
        extra_kwargs = {"name": {"help_text": PLAIN_TEXT_HELP}, "description": {"help_text": PLAIN_TEXT_HELP}}


@extend_schema_field(
    {
        "type": "string",
        "maxLength": 500,
        "anyOf": [{"format": "uri"}, {"maxLength": 0}],
        "description": "Where the framework is published, or empty.",
    }
)
class UrlOrEmptyField(serializers.CharField):
    """A URL, or blank (the model allows both). Read only, so a CharField: nothing to validate."""


class ReviewFrameworkSerializer(serializers.ModelSerializer):
    source_url = UrlOrEmptyField(read_only=True, allow_blank=True)
    areas = ReviewFrameworkAreaSerializer(many=True, read_only=True, help_text="In the framework's order.")
    grades = ReviewGradeSerializer(many=True, read_only=True, help_text="The scale, best first.")

    class Meta:
        model = Framework
        fields = [
            "id",
            "key",
            "version",
            "name",
            "description",
            "source_url",
            "partnership",
            "is_default",
            "is_historic",
            "is_current",
            "areas",
            "grades",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "name": {"help_text": PLAIN_TEXT_HELP},
            "description": {"help_text": PLAIN_TEXT_HELP},
            "partnership": {"help_text": "Empty for the frameworks shipped with the platform."},
        }


class SefEvidenceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = SefEvidence
        fields = ["id", "kind", "kind_label", "ref", "label", "url", "added_at"]
        read_only_fields = fields
        extra_kwargs = {"label": {"help_text": PLAIN_TEXT_HELP}, "url": {"help_text": "A link, or empty."}}


class SefEntrySerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True, help_text=PLAIN_TEXT_HELP)
    area_number = serializers.IntegerField(source="area.number", read_only=True)
    grade_label = serializers.CharField(
        source="grade.label", read_only=True, allow_null=True, default=None, help_text="Empty when not graded."
    )
    grade_rank = serializers.IntegerField(source="grade.rank", read_only=True, allow_null=True, default=None)
    evidence = SefEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = SefEntry
        fields = [
            "id",
            "area",
            "area_number",
            "area_name",
            "grade",
            "grade_label",
            "grade_rank",
            "met",
            "narrative",
            "strengths",
            "development",
            "evidence",
        ]
        read_only_fields = fields
        extra_kwargs = {name: {"help_text": PLAIN_TEXT_HELP} for name in ["narrative", "strengths", "development"]}


class SelfEvaluationSerializer(serializers.ModelSerializer):
    year_label = serializers.CharField(read_only=True, help_text="2026/27 for a SEF starting in 2026.")
    sharing_label = serializers.CharField(source="get_sharing_display", read_only=True)

    class Meta:
        model = SelfEvaluation
        fields = [
            "id",
            "school",
            "academic_year",
            "year_label",
            "framework",
            "summary",
            "sharing",
            "sharing_label",
            "version",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"summary": {"help_text": PLAIN_TEXT_HELP}}


class SelfEvaluationDetailSerializer(SelfEvaluationSerializer):
    entries = SefEntrySerializer(many=True, read_only=True, help_text="Area by area, in the framework's order.")

    class Meta(SelfEvaluationSerializer.Meta):
        fields = [*SelfEvaluationSerializer.Meta.fields, "entries"]
        read_only_fields = fields


class ReviewCycleSerializer(serializers.ModelSerializer):
    year_label = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ReviewCycle
        fields = [
            "id",
            "partnership",
            "academic_year",
            "year_label",
            "name",
            "framework",
            "rounds",
            "team_size",
            "max_load",
            "status",
            "status_label",
            "accepted_at",
            "closed_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "name": {"help_text": PLAIN_TEXT_HELP},
            "accepted_at": {"help_text": "When the rota was agreed, or null."},
            "closed_at": {"help_text": "When the cycle was closed, or null (open cycles, and those opened again)."},
        }


class ReviewTeamMemberSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="person.full_name", read_only=True, help_text=PLAIN_TEXT_HELP)

    class Meta:
        model = TeamMember
        fields = ["person", "full_name", "from_school", "is_lead"]
        read_only_fields = fields


class RotaReviewSerializer(serializers.ModelSerializer):
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    team = ReviewTeamMemberSerializer(many=True, read_only=True, help_text="The lead first.")

    class Meta:
        model = Review
        fields = ["id", "school", "round", "stage", "stage_label", "visit_starts_on", "visit_ends_on", "team"]
        read_only_fields = fields


class ReviewFocusAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["id", "area", "title", "why"]
        read_only_fields = fields
        extra_kwargs = {"title": {"help_text": PLAIN_TEXT_HELP}, "why": {"help_text": PLAIN_TEXT_HELP}}


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "description": "Local time, HH:MM."})
class LocalTimeField(serializers.TimeField):
    """A school-day time as HH:MM (a JSON-schema `time` would need a time zone offset)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ReviewActivitySerializer(serializers.ModelSerializer):
    starts_at = LocalTimeField(read_only=True)
    ends_at = LocalTimeField(read_only=True, allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    host = ReviewPersonSerializer(read_only=True, allow_null=True)
    reviewers = ReviewPersonSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "kind", "kind_label", "day", "starts_at", "ends_at", "focus", "host", "reviewers"]
        read_only_fields = fields
        extra_kwargs = {"focus": {"help_text": PLAIN_TEXT_HELP}}


class ReviewSerializer(RotaReviewSerializer):
    cycle = serializers.IntegerField(source="cycle_id", read_only=True)

    class Meta(RotaReviewSerializer.Meta):
        fields = [
            "id",
            "cycle",
            "school",
            "round",
            "stage",
            "stage_label",
            "enquiry_question",
            "visit_starts_on",
            "visit_ends_on",
            "pre_review_on",
            "workshop_on",
            "impact_due_on",
            "impact_reviewed_on",
            "team",
        ]
        read_only_fields = fields
        extra_kwargs = {"enquiry_question": {"help_text": PLAIN_TEXT_HELP}}


class ReviewDetailSerializer(ReviewSerializer):
    focus_areas = ReviewFocusAreaSerializer(many=True, read_only=True)
    activities = ReviewActivitySerializer(many=True, read_only=True, help_text="The visit's schedule, in order.")

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "focus_areas", "activities"]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    impact = serializers.ChoiceField(
        choices=Finding.Impact.choices, allow_blank=True, read_only=True, help_text="Empty until the impact review."
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    impact_label = serializers.CharField(source="get_impact_display", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "review", "area", "kind", "kind_label", "text", "impact", "impact_label", "impact_note"]
        read_only_fields = fields
        extra_kwargs = {
            "text": {"help_text": PLAIN_TEXT_HELP},
            "impact_note": {"help_text": PLAIN_TEXT_HELP},
        }


class AreaOfExcellenceSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(source="review.school_id", read_only=True, help_text="The school reviewed.")
    endorsed = serializers.BooleanField(
        allow_null=True,
        read_only=True,
        help_text="True when the review team endorsed it, false when it did not, null until the team decides.",
    )

    class Meta:
        model = AreaOfExcellence
        fields = ["id", "review", "school", "title", "description", "endorsed", "team_comment", "decided_at"]
        read_only_fields = fields
        extra_kwargs = {
            "title": {"help_text": PLAIN_TEXT_HELP},
            "description": {"help_text": PLAIN_TEXT_HELP},
            "team_comment": {"help_text": PLAIN_TEXT_HELP},
        }


class AreaJudgementSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True, help_text=PLAIN_TEXT_HELP)
    grade_label = serializers.CharField(
        source="grade.label", read_only=True, allow_null=True, default=None, help_text="Empty when not graded."
    )

    class Meta:
        model = AreaJudgement
        fields = ["id", "review", "area", "area_name", "grade", "grade_label", "met", "summary"]
        read_only_fields = fields
        extra_kwargs = {"summary": {"help_text": PLAIN_TEXT_HELP}}


class ReviewReportSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(source="review.school_id", read_only=True)
    cycle = serializers.IntegerField(source="review.cycle_id", read_only=True)
    sharing_label = serializers.CharField(source="get_sharing_display", read_only=True)

    class Meta:
        model = ReviewReport
        fields = [
            "id",
            "review",
            "school",
            "cycle",
            "summary",
            "school_response",
            "sharing",
            "sharing_label",
            "finalised_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"summary": {"help_text": PLAIN_TEXT_HELP}, "school_response": {"help_text": PLAIN_TEXT_HELP}}


# ---------------------------------------------------------------------------------------------
# Resources


def _team() -> Prefetch:
    return Prefetch("team", queryset=TeamMember.objects.select_related("person").order_by("-is_lead", "pk"))


@extend_schema_view(list=extend_schema(parameters=[FrameworkQuery]))
class ReviewFrameworkViewSet(ScopedViewSet):
    """Evaluation frameworks: the shipped ones and your partnerships' own, with areas and grades."""

    serializer_class = ReviewFrameworkSerializer
    ordering = ("partnership_id", "key", "-version", "pk")
    query_class = FrameworkQuery
    filters = {"partnership": "partnership_id"}

    queryset = Framework.objects.prefetch_related(
        Prefetch("areas", queryset=FrameworkArea.objects.order_by("number")),
        Prefetch("grades", queryset=Grade.objects.order_by("rank")),
    )


@extend_schema_view(
    list=extend_schema(parameters=[SefQuery], responses=SelfEvaluationSerializer(many=True)),
    retrieve=extend_schema(responses=SelfEvaluationDetailSerializer),
)
class SelfEvaluationViewSet(ScopedViewSet):
    """Self-evaluations you may see: your school's, and others' as far as each school shares it."""

    ordering = ("-academic_year", "school_id", "pk")
    query_class = SefQuery
    filters = {"school": "school_id", "year": "academic_year"}

    queryset = SelfEvaluation.objects.all()

    def get_serializer_class(self) -> Any:
        return SelfEvaluationDetailSerializer if self.action == "retrieve" else SelfEvaluationSerializer

    def detail_rows(self, rows: Any) -> Any:
        entries = (
            SefEntry.objects.select_related("area", "grade")
            .prefetch_related(Prefetch("evidence", queryset=SefEvidence.objects.order_by("kind", "pk")))
            .order_by("area__number")
        )
        return rows.prefetch_related(Prefetch("entries", queryset=entries))


@extend_schema_view(list=extend_schema(parameters=[CycleQuery]))
class ReviewCycleViewSet(ScopedViewSet):
    """Your partnerships' review cycles, newest year first (the cycle; its reviews are on `rota`)."""

    serializer_class = ReviewCycleSerializer
    ordering = ("-academic_year", "name", "pk")
    query_class = CycleQuery
    filters = {"partnership": "partnership_id", "year": "academic_year"}

    queryset = ReviewCycle.objects.all()

    @extend_schema(responses=RotaReviewSerializer(many=True))
    @action(detail=True, pagination_class=None)  # one cycle's rota comes whole
    def rota(self, request: Request, pk: str | None = None) -> Response:
        """The cycle's reviews with their teams: only the reviews you may see."""
        cycle = self.get_object()
        reviews = (
            access.visible_to(request.user, Review.objects.filter(cycle=cycle))
            .prefetch_related(_team())
            .order_by("round", "school__name", "pk")
        )
        return Response(RotaReviewSerializer(reviews, many=True).data)


@extend_schema_view(
    list=extend_schema(parameters=[ReviewQuery], responses=ReviewSerializer(many=True)),
    retrieve=extend_schema(responses=ReviewDetailSerializer),
)
class ReviewViewSet(ScopedViewSet):
    """Peer reviews you may see (your school's, those you are on the team of, those you coordinate)."""

    ordering = ("-cycle__academic_year", "cycle_id", "round", "school__name", "pk")
    query_class = ReviewQuery
    filters = {"cycle": "cycle_id", "school": "school_id", "year": "cycle__academic_year"}

    queryset = Review.objects.prefetch_related(_team())

    def get_serializer_class(self) -> Any:
        return ReviewDetailSerializer if self.action == "retrieve" else ReviewSerializer

    def detail_rows(self, rows: Any) -> Any:
        activities = Activity.objects.select_related("host").prefetch_related("reviewers").order_by("day", "starts_at")
        return rows.prefetch_related(
            Prefetch("focus_areas", queryset=FocusArea.objects.order_by("pk")),
            Prefetch("activities", queryset=activities),
        )


@extend_schema_view(list=extend_schema(parameters=[FindingQuery]))
class FindingViewSet(ScopedViewSet):
    """Agreed strengths and areas for development of the reviews whose findings you may read."""

    serializer_class = FindingSerializer
    ordering = ("review_id", "kind", "area__number", "pk")
    query_class = FindingQuery
    filters = {"review": "review_id", "cycle": "review__cycle_id", "school": "review__school_id"}

    queryset = Finding.objects.all()


@extend_schema_view(list=extend_schema(parameters=[FindingQuery]))
class AreaJudgementViewSet(ScopedViewSet):
    """The teams' agreed grades, area by area, of the reviews whose findings you may read."""

    serializer_class = AreaJudgementSerializer
    ordering = ("review_id", "area__number", "pk")
    query_class = FindingQuery
    filters = {"review": "review_id", "cycle": "review__cycle_id", "school": "review__school_id"}

    queryset = AreaJudgement.objects.select_related("area", "grade")


@extend_schema_view(list=extend_schema(parameters=[FindingQuery]))
class AreaOfExcellenceViewSet(ScopedViewSet):
    """The Areas of Excellence schools put forward for their reviews, with the team's decision, of the
    reviews whose findings you may read."""

    serializer_class = AreaOfExcellenceSerializer
    ordering = ("review_id", "pk")
    query_class = FindingQuery
    filters = {"review": "review_id", "cycle": "review__cycle_id", "school": "review__school_id"}

    queryset = AreaOfExcellence.objects.select_related("review")


@extend_schema_view(list=extend_schema(parameters=[ReportQuery]))
class ReviewReportViewSet(ScopedViewSet):
    """Final review reports you may read: your school's, your teams', and those schools share."""

    serializer_class = ReviewReportSerializer
    ordering = ("-review__cycle__academic_year", "review__school__name", "pk")
    query_class = ReportQuery
    filters = {"cycle": "review__cycle_id", "school": "review__school_id", "year": "review__cycle__academic_year"}

    queryset = ReviewReport.objects.filter(status=ReviewReport.Status.FINAL).select_related("review")
