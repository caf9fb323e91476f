"""Improvement plans through the v1 API: plans, priorities, objectives and progress updates.

Each resource follows its own rule in `partnership/plans/policy.py`: a school's development plan,
its objectives and milestones are for the people at that school; a partnership plan is for whoever
may view the partnership. A school that shares its priorities shows them (and their progress) to
its partnerships, never the plan or its objectives. Filters narrow what the caller may see: an id
the caller may not see gives an empty list, like an id that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from partnership.api.queries import ObjectiveQuery, PlanQuery, PriorityQuery, ProgressQuery
from partnership.api.scoped import ScopedViewSet
from partnership.core.exports import PLAIN_TEXT_HELP
from partnership.plans.models import (
    FRAMEWORK_AREAS,
    ImprovementPlan,
    Milestone,
    Objective,
    Priority,
    ProgressUpdate,
    Theme,
)


@extend_schema_field(
    {
        "type": "string",
        "maxLength": 500,
        "anyOf": [{"format": "uri"}, {"maxLength": 0}],
        "description": "A link to the evidence, or empty.",
    }
)
class EvidenceUrlField(serializers.CharField):
    """A URL, or blank (the model allows both). Read-only, so a CharField: nothing to validate."""


class PlanPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField(help_text=PLAIN_TEXT_HELP)


class PrioritySerializer(serializers.ModelSerializer):
    lead = PlanPersonSerializer(read_only=True, allow_null=True)
    themes: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text="Theme names."
    )
    framework_area = serializers.ChoiceField(
        choices=FRAMEWORK_AREAS, allow_blank=True, read_only=True, help_text="Empty when not tagged."
    )
    framework_area_label = serializers.CharField(source="get_framework_area_display", read_only=True)
    rag_label = serializers.CharField(source="get_rag_display", read_only=True)

    class Meta:
        model = Priority
        fields = [
            "id",
            "plan",
            "number",
            "title",
            "description",
            "framework_area",
            "framework_area_label",
            "themes",
            "lead",
            "rag",
            "rag_label",
        ]
        read_only_fields = fields
        extra_kwargs = {"title": {"help_text": PLAIN_TEXT_HELP}, "description": {"help_text": PLAIN_TEXT_HELP}}


class PlanSerializer(serializers.ModelSerializer):
    year_label = serializers.CharField(read_only=True, help_text="2025/26 for a plan starting in 2025.")

    class Meta:
        model = ImprovementPlan
        fields = [
            "id",
            "kind",
            "school",
            "partnership",
            "academic_year",
            "year_label",
            "title",
            "vision",
            "shares_priorities",
        ]
        read_only_fields = fields
        extra_kwargs = {"title": {"help_text": PLAIN_TEXT_HELP}, "vision": {"help_text": PLAIN_TEXT_HELP}}


class PlanDetailSerializer(PlanSerializer):
    priorities = PrioritySerializer(many=True, read_only=True, help_text="In number order.")

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "priorities"]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    term_label = serializers.CharField(source="get_term_display", read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "term", "term_label", "description", "achieved"]
        read_only_fields = fields
        extra_kwargs = {"description": {"help_text": PLAIN_TEXT_HELP}}


class ObjectiveSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="priority.plan_id", read_only=True)
    lead = PlanPersonSerializer(read_only=True, allow_null=True)
    rag_label = serializers.CharField(source="get_rag_display", read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True, help_text="By term.")

    class Meta:
        model = Objective
        fields = [
            "id",
            "plan",
            "priority",
            "number",
            "title",
            "success_criteria",
            "lead",
            "rag",
            "rag_label",
            "milestones",
        ]
        read_only_fields = fields
        extra_kwargs = {"title": {"help_text": PLAIN_TEXT_HELP}, "success_criteria": {"help_text": PLAIN_TEXT_HELP}}


class ProgressUpdateSerializer(serializers.ModelSerializer):
    author = PlanPersonSerializer(read_only=True)
    evidence_url = EvidenceUrlField(read_only=True, allow_blank=True)
    rag_label = serializers.CharField(source="get_rag_display", read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "priority", "objective", "rag", "rag_label", "note", "evidence_url", "author", "recorded_at"]
        read_only_fields = fields
        extra_kwargs = {"note": {"help_text": PLAIN_TEXT_HELP}}


def _priorities() -> Any:
    return Priority.objects.select_related("lead").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("name"))
    )


@extend_schema_view(
    list=extend_schema(parameters=[PlanQuery], responses=PlanSerializer(many=True)),
    retrieve=extend_schema(responses=PlanDetailSerializer),
)
class PlanViewSet(ScopedViewSet):
    """School development plans and partnership improvement plans, newest year first."""

    ordering = ("-academic_year", "kind", "pk")
    query_class = PlanQuery
    filters = {"school": "school_id", "partnership": "partnership_id", "year": "academic_year"}

    def get_serializer_class(self) -> Any:
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    queryset = ImprovementPlan.objects.all()

    def detail_rows(self, rows: Any) -> Any:
        return rows.prefetch_related(Prefetch("priorities", queryset=_priorities().order_by("number")))


@extend_schema_view(list=extend_schema(parameters=[PriorityQuery]))
class PriorityViewSet(ScopedViewSet):
    """Priorities of the plans you may see, and those other schools share with your partnerships."""

    serializer_class = PrioritySerializer
    ordering = ("plan_id", "number")
    query_class = PriorityQuery
    filters = {"plan": "plan_id"}

    queryset = _priorities()


@extend_schema_view(list=extend_schema(parameters=[ObjectiveQuery]))
class ObjectiveViewSet(ScopedViewSet):
    """Objectives with their milestones: only within the plan's own school or partnership."""

    serializer_class = ObjectiveSerializer
    ordering = ("priority__plan_id", "priority__number", "number")
    query_class = ObjectiveQuery
    filters = {"plan": "priority__plan_id", "priority": "priority_id"}

    queryset = Objective.objects.select_related("priority", "lead").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("term", "pk"))
    )


@extend_schema_view(list=extend_schema(parameters=[ProgressQuery]))
class ProgressUpdateViewSet(ScopedViewSet):
    """Dated RAG judgements on priorities and objectives, newest first."""

    serializer_class = ProgressUpdateSerializer
    ordering = ("-recorded_at", "-pk")
    query_class = ProgressQuery
    filters = {"priority": "priority_id", "objective": "objective_id"}

    queryset = ProgressUpdate.objects.select_related("author")
