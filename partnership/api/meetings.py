"""Meetings through the v1 API: meetings with their agenda, minutes, papers and attendance.

Only for the people who may see the meeting (`partnership/meetings/policy.py`): its network's
members, its partnership's coordinators and whoever is on its attendance list. Papers are listed
by name with the address of the meeting page's own download, which checks access again; the API
never carries a paper's content.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from partnership.api.queries import AgendaItemQuery, MeetingQuery
from partnership.api.scoped import ScopedViewSet
from partnership.core.exports import PLAIN_TEXT_HELP
from partnership.meetings.models import AgendaItem, AgendaPaper, Attendance, Meeting


class PaperSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True, help_text=PLAIN_TEXT_HELP)
    download_url = serializers.SerializerMethodField(help_text="The meeting page's download of this paper.")

    class Meta:
        model = AgendaPaper
        fields = ["id", "name", "content_type", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_download_url(self, paper: AgendaPaper) -> str:
        path = reverse("meetings:paper_download", args=[paper.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class AgendaItemSerializer(serializers.ModelSerializer):
    decisions = serializers.SerializerMethodField(help_text="What was decided, one entry per line of the minutes.")
    papers = PaperSerializer(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "number", "title", "description", "presenter", "minutes", "decisions", "papers"]
        read_only_fields = fields
        extra_kwargs = {name: {"help_text": PLAIN_TEXT_HELP} for name in ["title", "description", "minutes"]}

    @extend_schema_field(serializers.ListField(child=serializers.CharField(help_text=PLAIN_TEXT_HELP)))
    def get_decisions(self, item: AgendaItem) -> list[str]:
        return [line.strip() for line in item.decisions.splitlines() if line.strip()]


class AttendanceSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="person.full_name", read_only=True, help_text=PLAIN_TEXT_HELP)

    class Meta:
        model = Attendance
        fields = ["person", "full_name", "status"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "network",
            "title",
            "starts_at",
            "ends_at",
            "host_school",
            "location",
            "status",
            "status_label",
            "minutes_approved_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"title": {"help_text": PLAIN_TEXT_HELP}, "location": {"help_text": PLAIN_TEXT_HELP}}


class MeetingDetailSerializer(MeetingSerializer):
    items = AgendaItemSerializer(many=True, read_only=True, help_text="The agenda, in order.")
    attendance = AttendanceSerializer(many=True, read_only=True, help_text="Everyone on the list, by name.")

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "items", "attendance"]
        read_only_fields = fields


def _items() -> Any:
    return AgendaItem.objects.prefetch_related(
        Prefetch("papers", queryset=AgendaPaper.objects.order_by("uploaded_at", "pk"))
    ).order_by("number")


@extend_schema_view(
    list=extend_schema(parameters=[MeetingQuery], responses=MeetingSerializer(many=True)),
    retrieve=extend_schema(responses=MeetingDetailSerializer),
)
class MeetingViewSet(ScopedViewSet):
    """Meetings you may see, newest first."""

    ordering = ("-starts_at", "-pk")
    query_class = MeetingQuery
    filters = {"network": "network_id", "from": "starts_at__date__gte", "to": "starts_at__date__lte"}

    def get_serializer_class(self) -> Any:
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    queryset = Meeting.objects.all()

    def detail_rows(self, rows: Any) -> Any:
        attendance = Attendance.objects.select_related("person").order_by("person__full_name", "pk")
        return rows.prefetch_related(Prefetch("items", queryset=_items()), Prefetch("attendance", attendance))


@extend_schema_view(list=extend_schema(parameters=[AgendaItemQuery]))
class AgendaItemViewSet(ScopedViewSet):
    """Agenda items of the meetings you may see, with minutes, decisions and papers."""

    serializer_class = AgendaItemSerializer
    ordering = ("-meeting__starts_at", "meeting_id", "number")
    query_class = AgendaItemQuery
    filters = {"meeting": "meeting_id"}

    queryset = _items()
