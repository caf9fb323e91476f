"""Query-string parameters of the v1 API, validated at the edge: a value that does not parse, or an
absurd number, is a 400 naming the parameter, never a database error. Each serializer is also what
the schema documents (`extend_schema(parameters=[...])`)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from partnership.actions.models import Action
from partnership.core.params import MAX_ID
from partnership.core.roles import Role

MAX_PAGE_SIZE = 500
MAX_OFFSET = 2**31 - 1


def validated(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


class PageQuery(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, help_text="Number of results to return per page."
    )
    offset = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_OFFSET, help_text="The initial index from which to return results."
    )


class SchoolQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="Words in the name or URN")


class PersonQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="Words in the name or email")
    role = serializers.ChoiceField(choices=Role.choices, required=False, allow_blank=True, help_text="A current role")
    school = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="A school's id")


class ActionQuery(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["open", *Action.Status.values],
        required=False,
        allow_blank=True,
        help_text="`open`, or one status: " + ", ".join(Action.Status.values),
    )
    overdue = serializers.BooleanField(required=False, default=False, help_text="Only open actions past their due date")
    mine = serializers.BooleanField(required=False, default=False, help_text="Only actions you own")


class AggregatesQuery(serializers.Serializer):
    school = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="A school's slug (or give `partnership`)"
    )
    partnership = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="A partnership's slug: every current member school and the partnership total",
    )
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="Starting year (2024 = 2024/25); default the latest with results",
    )


def _id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text=help_text)


class PlanQuery(serializers.Serializer):
    school = _id("A school's id: its development plans")
    partnership = _id("A partnership's id: its improvement plans")
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Starting year (2025 = 2025/26)"
    )


class PriorityQuery(serializers.Serializer):
    plan = _id("A plan's id")


class ObjectiveQuery(serializers.Serializer):
    plan = _id("A plan's id")
    priority = _id("A priority's id")


class ProgressQuery(serializers.Serializer):
    priority = _id("A priority's id: the updates on that priority")
    objective = _id("An objective's id: the updates on that objective")


class MeetingQuery(serializers.Serializer):
    network = _id("A network's id")
    # `from` is a Python keyword: the field is declared under its query name below.
    to = serializers.DateField(required=False, help_text="Meetings starting on or before this date (YYYY-MM-DD)")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        return {
            "network": fields["network"],
            "from": serializers.DateField(
                required=False, help_text="Meetings starting on or after this date (YYYY-MM-DD)"
            ),
            "to": fields["to"],
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("from") and attrs.get("to") and attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": "The end date is before the start date."})
        return attrs


class AgendaItemQuery(serializers.Serializer):
    meeting = _id("A meeting's id")
