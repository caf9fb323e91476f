"""Good practice through the v1 API (read only): the register's entries, a school's needs, the
entries that could meet a need, support requests and their sessions, a school's support ledger and
buddy pairs.

Each resource follows its rule in `partnership/goodpractice/policy.py`. The register is for whoever
may view the partnership (a withdrawn entry: its own school and the coordinators); a list shows the
live entries unless `status` asks for another. A school's needs, the matches for one of them and
its ledger need `view_needs` on the school (its staff, the coordinators and advisers of its
partnerships): a school the caller cannot see is a 404, one they see without `view_needs` a 403.
Each need shows only what its source lets this person see (`needs.school_needs`), and the matches
are the page's (`suggestions.suggestions_for`). A support request, and its sessions, is for the
staff of the two schools and the partnership's coordinators and advisers; a buddy pair for its two
people, their schools' leaders and the coordinators. Nothing is served that the pages do not show.
Filters narrow what the caller may see; a value that does not parse is a 400 naming the parameter.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from partnership.api.queries import validated
from partnership.api.scoped import ScopedViewSet
from partnership.core import access
from partnership.core.exports import PLAIN_TEXT_HELP
from partnership.core.params import MAX_ID
from partnership.core.schoolyear import academic_year_label, current_academic_year
from partnership.directory.models import School
from partnership.goodpractice import needs, selectors
from partnership.goodpractice.models import (
    BuddyMeeting,
    BuddyPair,
    EntryEvidence,
    EntryResource,
    RegisterEntry,
    SupportRequest,
    SupportSession,
)
from partnership.goodpractice.suggestions import entries_with_room, suggestions_for

# ---------------------------------------------------------------------------------------------
# Query parameters (validated at the edge, documented in the schema)


def _slug(help_text: str, *, required: bool = False) -> serializers.CharField:
    return serializers.CharField(required=required, max_length=100, help_text=help_text)


def _year(help_text: str = "Starting year (2026 = 2026/27)") -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text=help_text)


class RegisterEntryQuery(serializers.Serializer):
    partnership = _slug("A partnership's slug")
    area = serializers.CharField(required=False, max_length=40, help_text="A practice area's key, e.g. `maths`")
    status = serializers.ChoiceField(
        choices=RegisterEntry.Status.choices,
        required=False,
        help_text="One status: " + ", ".join(RegisterEntry.Status.values) + "; default the live entries "
        "(proposed and endorsed)",
    )
    school = _slug("A school's slug: its entries")


class SchoolQuery(serializers.Serializer):
    school = _slug("The school's slug", required=True)


class MatchQuery(serializers.Serializer):
    school = _slug("The school's slug", required=True)
    need = serializers.CharField(max_length=300, help_text="The need's `key`, as `support-needs` gives it")
    area = serializers.CharField(max_length=40, help_text="A practice area's key, e.g. one of the need's `areas`")


class LedgerQuery(serializers.Serializer):
    school = _slug("The school's slug", required=True)
    academic_year = _year("Only support in this year (2026 = 2026/27); default every year")


class SupportRequestQuery(serializers.Serializer):
    school = _slug("A school's slug: requests it made or was asked")
    partnership = _slug("A partnership's slug")
    status = serializers.ChoiceField(
        choices=SupportRequest.Status.choices,
        required=False,
        help_text="One status: " + ", ".join(SupportRequest.Status.values),
    )


class SupportSessionQuery(serializers.Serializer):
    request = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A support request's id"
    )


class BuddyPairQuery(serializers.Serializer):
    partnership = _slug("A partnership's slug")
    academic_year = _year()


# ---------------------------------------------------------------------------------------------
# Serializers


def _absolute(serializer: serializers.Serializer, url: str) -> str:
    """A path on this site as a full address (links elsewhere are left as they are)."""
    request = serializer.context.get("request")
    if request is not None and url.startswith("/"):
        return str(request.build_absolute_uri(url))
    return url


class SchoolRefSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=PLAIN_TEXT_HELP)
    slug = serializers.CharField()


class PracticeAreaSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class EntryEvidenceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    url = serializers.SerializerMethodField(help_text="Where the evidence is shown, or empty.")

    class Meta:
        model = EntryEvidence
        fields = ["kind", "kind_label", "label", "url"]
        read_only_fields = fields
        extra_kwargs = {"label": {"help_text": PLAIN_TEXT_HELP}}

    def get_url(self, evidence: EntryEvidence) -> str:
        return _absolute(self, evidence.url)


class EntryResourceSerializer(serializers.ModelSerializer):
    is_file = serializers.SerializerMethodField(help_text="A file to download (else a link elsewhere).")
    url = serializers.SerializerMethodField(help_text="The link, or the file's download address.")

    class Meta:
        model = EntryResource
        fields = ["title", "is_file", "url"]
        read_only_fields = fields
        extra_kwargs = {"title": {"help_text": PLAIN_TEXT_HELP}}

    def get_is_file(self, resource: EntryResource) -> bool:
        return bool(resource.file)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, resource: EntryResource) -> str:
        if resource.file:
            return _absolute(self, reverse("goodpractice:resource_file", args=[resource.pk]))
        return resource.url


class RegisterEntrySerializer(serializers.ModelSerializer):
    partnership_slug = serializers.CharField(source="partnership.slug", read_only=True)
    school = SchoolRefSerializer(read_only=True)
    area_key = serializers.CharField(source="area.key", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    endorsed_how = serializers.ChoiceField(
        choices=RegisterEntry.EndorsedBy.choices, allow_blank=True, read_only=True, help_text="Empty until endorsed."
    )
    endorsed_how_label = serializers.CharField(source="get_endorsed_how_display", read_only=True)
    reserved = serializers.SerializerMethodField(help_text="Sessions held by accepted requests still open.")
    free = serializers.SerializerMethodField(help_text="Sessions free this term: capacity less reserved.")
    contact_name = serializers.SerializerMethodField(help_text="The contact person, or empty when none is given.")
    evidence = EntryEvidenceSerializer(many=True, read_only=True)
    resources = EntryResourceSerializer(many=True, read_only=True)

    class Meta:
        model = RegisterEntry
        fields = [
            "id",
            "partnership",
            "partnership_slug",
            "school",
            "area_key",
            "area_name",
            "title",
            "description",
            "status",
            "status_label",
            "endorsed_how",
            "endorsed_how_label",
            "endorsed_at",
            "capacity",
            "reserved",
            "free",
            "contact_name",
            "evidence",
            "resources",
            "proposed_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"title": {"help_text": PLAIN_TEXT_HELP}, "description": {"help_text": PLAIN_TEXT_HELP}}

    def get_reserved(self, entry: RegisterEntry) -> int:
        return int(getattr(entry, "reserved_now", 0) or 0)

    def get_free(self, entry: RegisterEntry) -> int:
        return max(0, entry.capacity - self.get_reserved(entry))

    @extend_schema_field(serializers.CharField(help_text=PLAIN_TEXT_HELP))
    def get_contact_name(self, entry: RegisterEntry) -> str:
        return entry.contact.full_name if entry.contact is not None else ""


class SupportNeedSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable while its source is there: `<kind>|<ref>`.")
    kind = serializers.CharField(help_text="flag, measure, priority, sef, review, moderation or own")
    # The metaclass takes declared fields off the class, so `source` does not shadow Field.source.
    source = serializers.CharField(help_text="Where it came from, as the page says it.")  # type: ignore[assignment]
    title = serializers.CharField(help_text=PLAIN_TEXT_HELP)
    url = serializers.SerializerMethodField(help_text="Where it is shown, or empty.")
    areas = PracticeAreaSerializer(many=True, help_text="The practice areas it is about (empty when not known).")
    measure = serializers.CharField(help_text="The outcome measure it is about (data flags and measures), or empty.")

    def get_url(self, item: dict[str, Any]) -> str:
        return _absolute(self, item["url"])


@extend_schema_serializer(many=False)
class SupportNeedsSerializer(serializers.Serializer):
    school = serializers.CharField(help_text="The school's slug.")
    academic_year = serializers.IntegerField()
    year_label = serializers.CharField()
    needs = SupportNeedSerializer(many=True, help_text="Gathered needs first, then those the school added.")


class SupportMatchSerializer(serializers.Serializer):
    entry = serializers.IntegerField(help_text="The register entry's id.")
    school = SchoolRefSerializer(help_text="The school offering it.")
    title = serializers.CharField(help_text=PLAIN_TEXT_HELP)
    strength = serializers.IntegerField(help_text="The strength of its evidence for this need.")
    remaining = serializers.IntegerField(help_text="Sessions free this term.")
    capacity = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why it is suggested.")
    asked_request = serializers.IntegerField(
        allow_null=True,
        help_text="The school's live request to this entry for this need (asked, or accepted and not closed), "
        "or null: a school asks once.",
    )


@extend_schema_serializer(many=False)
class SupportMatchesSerializer(serializers.Serializer):
    school = serializers.CharField(help_text="The school's slug.")
    need = SupportNeedSerializer()
    area = PracticeAreaSerializer()
    matches = SupportMatchSerializer(many=True, help_text="Best first: those with room before those that are full.")


class SupportRequestSerializer(serializers.ModelSerializer):
    partnership_slug = serializers.CharField(source="partnership.slug", read_only=True)
    entry_title = serializers.CharField(source="entry.title", read_only=True, help_text=PLAIN_TEXT_HELP)
    contact_name = serializers.SerializerMethodField(help_text="The entry's contact person, or empty.")
    requesting_school = SchoolRefSerializer(read_only=True, help_text="The school asking for support.")
    supporting_school = SchoolRefSerializer(read_only=True, help_text="The school giving it.")
    area_key = serializers.CharField(source="area.key", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    year_label = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by_name = serializers.CharField(source="requested_by.full_name", read_only=True)
    decided_by_name = serializers.SerializerMethodField()
    impact = serializers.ChoiceField(
        choices=SupportRequest.Impact.choices, allow_blank=True, read_only=True, help_text="Empty until recorded."
    )
    impact_label = serializers.CharField(source="get_impact_display", read_only=True)
    impact_recorded_by_name = serializers.SerializerMethodField()
    closed_by_name = serializers.SerializerMethodField()
    need_url = serializers.SerializerMethodField(help_text="Where the need is shown, or empty.")
    session_count = serializers.IntegerField(read_only=True, help_text="Sessions logged.")

    class Meta:
        model = SupportRequest
        fields = [
            "id",
            "partnership",
            "partnership_slug",
            "entry",
            "entry_title",
            "contact_name",
            "requesting_school",
            "supporting_school",
            "area_key",
            "area_name",
            "academic_year",
            "year_label",
            "need_kind",
            "need_title",
            "need_url",
            "message",
            "sessions_requested",
            "status",
            "status_label",
            "requested_by_name",
            "requested_at",
            "decided_by_name",
            "decided_at",
            "decline_reason",
            "reserved",
            "plan",
            "planned_sessions",
            "planned_visits",
            "starts_on",
            "ends_on",
            "cost",
            "impact_target",
            "impact",
            "impact_label",
            "impact_note",
            "impact_recorded_by_name",
            "impact_recorded_at",
            "closed_by_name",
            "closed_at",
            "session_count",
        ]
        read_only_fields = fields
        extra_kwargs = {
            name: {"help_text": PLAIN_TEXT_HELP}
            for name in ["need_title", "message", "decline_reason", "plan", "impact_target", "impact_note"]
        }

    def get_need_url(self, req: SupportRequest) -> str:
        return _absolute(self, req.need_url)

    @extend_schema_field(serializers.CharField(help_text=PLAIN_TEXT_HELP))
    def get_contact_name(self, req: SupportRequest) -> str:
        return req.entry.contact.full_name if req.entry.contact is not None else ""

    @extend_schema_field(serializers.CharField(allow_null=True, help_text=PLAIN_TEXT_HELP))
    def get_decided_by_name(self, req: SupportRequest) -> str | None:
        return req.decided_by.full_name if req.decided_by is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text=PLAIN_TEXT_HELP))
    def get_impact_recorded_by_name(self, req: SupportRequest) -> str | None:
        return req.impact_recorded_by.full_name if req.impact_recorded_by is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text=PLAIN_TEXT_HELP))
    def get_closed_by_name(self, req: SupportRequest) -> str | None:
        return req.closed_by.full_name if req.closed_by is not None else None


class SupportSessionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = SupportSession
        fields = ["id", "request", "day", "kind", "kind_label", "days", "attendees", "impact_note"]
        read_only_fields = fields
        extra_kwargs = {"attendees": {"help_text": PLAIN_TEXT_HELP}, "impact_note": {"help_text": PLAIN_TEXT_HELP}}


class SupportLedgerLineSerializer(serializers.Serializer):
    request = serializers.IntegerField(source="request.pk", help_text="The support request's id.")
    other_school = SchoolRefSerializer(source="other", help_text="The school supported, or the one supporting.")
    area_key = serializers.CharField(source="request.area.key")
    area_name = serializers.CharField(source="request.area.name")
    need_title = serializers.CharField(source="request.need_title", help_text=PLAIN_TEXT_HELP)
    academic_year = serializers.IntegerField(source="request.academic_year")
    year_label = serializers.CharField(source="request.year_label")
    status = serializers.CharField(source="request.status", help_text="The request's status.")
    status_label = serializers.CharField(source="request.get_status_display")
    sessions = serializers.IntegerField(help_text="Sessions logged.")
    days = serializers.DecimalField(max_digits=8, decimal_places=1, help_text="Days of the sessions logged.")
    impact = serializers.CharField(source="request.impact", help_text="Empty until the impact is recorded.")
    impact_label = serializers.CharField(source="request.get_impact_display")


class SupportLedgerTotalSerializer(serializers.Serializer):
    sessions = serializers.IntegerField()
    days = serializers.DecimalField(max_digits=8, decimal_places=1)


class SupportLedgerTotalsSerializer(serializers.Serializer):
    given = SupportLedgerTotalSerializer()
    received = SupportLedgerTotalSerializer()


@extend_schema_serializer(many=False)
class SupportLedgerSerializer(serializers.Serializer):
    school = serializers.CharField(help_text="The school's slug.")
    academic_year = serializers.IntegerField(allow_null=True, help_text="Empty for every year.")
    given = SupportLedgerLineSerializer(many=True, help_text="Support the school gave, newest request first.")
    received = SupportLedgerLineSerializer(many=True, help_text="Support the school received, newest request first.")
    totals = SupportLedgerTotalsSerializer()


class BuddySerializer(serializers.Serializer):
    name = serializers.CharField(help_text=PLAIN_TEXT_HELP)
    school = SchoolRefSerializer()


class BuddyPairSerializer(serializers.ModelSerializer):
    partnership_slug = serializers.CharField(source="partnership.slug", read_only=True)
    first = serializers.SerializerMethodField()
    second = serializers.SerializerMethodField()
    year_label = serializers.SerializerMethodField(help_text="2026/27 for a pair starting in 2026.")
    current = serializers.SerializerMethodField(help_text="Started and not yet ended today.")
    meetings_count = serializers.IntegerField(read_only=True, help_text="Meetings logged.")

    class Meta:
        model = BuddyPair
        fields = [
            "id",
            "partnership",
            "partnership_slug",
            "first",
            "second",
            "role",
            "year_group",
            "subject",
            "focus",
            "academic_year",
            "year_label",
            "starts_on",
            "ends_on",
            "current",
            "meetings_count",
        ]
        read_only_fields = fields
        extra_kwargs = {"focus": {"help_text": PLAIN_TEXT_HELP}}

    @extend_schema_field(BuddySerializer)
    def get_first(self, pair: BuddyPair) -> dict[str, Any]:
        return BuddySerializer({"name": pair.first.full_name, "school": pair.first_school}).data

    @extend_schema_field(BuddySerializer)
    def get_second(self, pair: BuddyPair) -> dict[str, Any]:
        return BuddySerializer({"name": pair.second.full_name, "school": pair.second_school}).data

    def get_year_label(self, pair: BuddyPair) -> str:
        return academic_year_label(pair.academic_year)

    def get_current(self, pair: BuddyPair) -> bool:
        return pair.is_current(self.context.get("today"))


# ---------------------------------------------------------------------------------------------
# A school's needs, matches and ledger: `view_needs` on the school


NOT_FOUND = OpenApiResponse(description="No such school that you may view")


def _school(request: Request, slug: str) -> School:
    """The school by slug: 404 unless the caller may view it, 403 without `view_needs`."""
    school = get_object_or_404(access.visible_to(request.user, School), slug=slug)
    access.require(request, "view_needs", school)
    return school


def _need(item: needs.NeedItem) -> dict[str, Any]:
    return {
        "key": item.key,
        "kind": item.kind,
        "source": item.source,
        "title": item.title,
        "url": item.url,
        "areas": [{"key": a.key, "name": a.name} for a in item.areas],
        "measure": item.measure,
    }


def _fake(view: Any) -> bool:
    return getattr(view, "swagger_fake_view", False)


class SupportNeedViewSet(viewsets.ViewSet):
    """A school's needs this year: `/support-needs/?school=<slug>`."""

    @extend_schema(parameters=[SchoolQuery], responses={200: SupportNeedsSerializer, 404: NOT_FOUND})
    def list(self, request: Request) -> Response:
        """The school's current needs as the needs page gives them to you: gathered from its data
        flags, self-evaluation, peer reviews, plan priorities and moderation, then those it added.
        Each is shown only as far as its source lets you see it."""
        school = _school(request, validated(SchoolQuery, request)["school"])
        year = current_academic_year()
        body = {
            "school": school.slug,
            "academic_year": year,
            "year_label": academic_year_label(year),
            "needs": [_need(item) for item in needs.school_needs(request.user, school, year)],
        }
        return Response(SupportNeedsSerializer(body, context={"request": request}).data)


class SupportMatchViewSet(viewsets.ViewSet):
    """The register entries that could meet one of a school's needs:
    `/support-matches/?school=<slug>&need=<key>&area=<key>`."""

    @extend_schema(parameters=[MatchQuery], responses={200: SupportMatchesSerializer, 404: NOT_FOUND})
    def list(self, request: Request) -> Response:
        """Other schools' live entries in the area, in the school's partnerships, best first, each
        with the strength of its evidence, the sessions free this term and the reasons, as "find
        support" shows them. A need that is not one of the school's current needs, or an area not
        in the list, is a 400."""
        query = validated(MatchQuery, request)
        school = _school(request, query["school"])
        year = current_academic_year()
        item = needs.find_need(request.user, school, year, query["need"])
        if item is None:
            listed = f"support-needs/?school={school.slug}"
            raise ValidationError({"need": [f"That is not one of {school.name}'s current needs: see {listed}."]})
        area = next((a for a in selectors.active_areas() if a.key == query["area"]), None)
        if area is None:
            raise ValidationError({"area": ["That area is not in the list of practice areas."]})
        asked = selectors.asked_already(request.user, school, item)
        matches = [
            {
                "entry": entry.pk,
                "school": entry.school,
                "title": entry.title,
                "strength": match.strength,
                "remaining": match.remaining,
                "capacity": match.offer.capacity,
                "reasons": list(match.reasons),
                "asked_request": asked[entry.pk].pk if entry.pk in asked else None,
            }
            for match, entry in suggestions_for(request.user, school, item, area.key)
        ]
        body = {
            "school": school.slug,
            "need": _need(item),
            "area": {"key": area.key, "name": area.name},
            "matches": matches,
        }
        return Response(SupportMatchesSerializer(body, context={"request": request}).data)


def _totals(pair: tuple[int, Any]) -> dict[str, Any]:
    return {"sessions": pair[0], "days": pair[1]}


class SupportLedgerViewSet(viewsets.ViewSet):
    """The support a school has given and received: `/support-ledger/?school=<slug>`."""

    @extend_schema(parameters=[LedgerQuery], responses={200: SupportLedgerSerializer, 404: NOT_FOUND})
    def list(self, request: Request) -> Response:
        """One line per request accepted or further, with the sessions and days logged, and the
        totals, as the school's ledger page shows them."""
        query = validated(LedgerQuery, request)
        school = _school(request, query["school"])
        ledger = selectors.school_ledger(request.user, school, query.get("academic_year"))
        body = {
            "school": school.slug,
            "academic_year": query.get("academic_year"),
            "given": ledger.given,
            "received": ledger.received,
            "totals": {"given": _totals(ledger.given_totals), "received": _totals(ledger.received_totals)},
        }
        return Response(SupportLedgerSerializer(body, context={"request": request}).data)


# ---------------------------------------------------------------------------------------------
# Resources


def _count(model: Any, parent: str) -> Coalesce:
    """How many rows of `model` belong to each row, as a subquery (no join, no GROUP BY)."""
    rows = (
        model.objects.filter(**{parent: OuterRef("pk")}).order_by().values(parent).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@extend_schema_view(list=extend_schema(parameters=[RegisterEntryQuery]))
class RegisterEntryViewSet(ScopedViewSet):
    """Register entries of your partnerships, by area, school and title: the live ones unless
    `status` asks for another (a withdrawn entry only for its school and the coordinators)."""

    serializer_class = RegisterEntrySerializer
    ordering = ("area__order", "school__name", "title", "pk")
    query_class = RegisterEntryQuery
    filters = {"partnership": "partnership__slug", "area": "area__key", "status": "status", "school": "school__slug"}

    queryset = (
        entries_with_room(RegisterEntry.objects.all())
        .select_related("partnership", "school", "area", "contact")
        .prefetch_related(
            Prefetch("evidence", queryset=EntryEvidence.objects.order_by("added_at", "pk")),
            Prefetch("resources", queryset=EntryResource.objects.order_by("added_at", "pk")),
        )
    )

    def get_queryset(self) -> QuerySet[RegisterEntry]:
        rows = super().get_queryset()
        if self.action == "list" and not _fake(self) and "status" not in validated(RegisterEntryQuery, self.request):
            rows = rows.exclude(status=RegisterEntry.Status.WITHDRAWN)
        return rows


@extend_schema_view(list=extend_schema(parameters=[SupportRequestQuery]))
class SupportRequestViewSet(ScopedViewSet):
    """Support requests you may see, newest first: your school's (asked or asking), and those of
    the partnerships whose support you broker."""

    serializer_class = SupportRequestSerializer
    ordering = ("-requested_at", "-pk")
    query_class = SupportRequestQuery
    filters = {"partnership": "partnership__slug", "status": "status"}

    queryset = SupportRequest.objects.select_related(
        "partnership",
        "entry__contact",
        "requesting_school",
        "supporting_school",
        "area",
        "requested_by",
        "decided_by",
        "impact_recorded_by",
        "closed_by",
    ).annotate(session_count=_count(SupportSession, "request_id"))

    def get_queryset(self) -> QuerySet[SupportRequest]:
        rows = super().get_queryset()
        if self.action == "list" and not _fake(self):
            slug = validated(SupportRequestQuery, self.request).get("school")
            if slug:
                rows = rows.filter(Q(requesting_school__slug=slug) | Q(supporting_school__slug=slug))
        return rows


@extend_schema_view(list=extend_schema(parameters=[SupportSessionQuery]))
class SupportSessionViewSet(ScopedViewSet):
    """Sessions logged under the support requests you may see, by request and day."""

    serializer_class = SupportSessionSerializer
    ordering = ("request_id", "day", "pk")
    query_class = SupportSessionQuery
    filters = {"request": "request_id"}

    queryset = SupportSession.objects.all()


@extend_schema_view(list=extend_schema(parameters=[BuddyPairQuery]))
class BuddyPairViewSet(ScopedViewSet):
    """Buddy pairs you may see, newest year first: your own, your school's (for its leaders), and
    those of the partnerships you coordinate."""

    serializer_class = BuddyPairSerializer
    ordering = ("-academic_year", "pk")
    query_class = BuddyPairQuery
    filters = {"partnership": "partnership__slug", "academic_year": "academic_year"}

    queryset = BuddyPair.objects.select_related(
        "partnership", "first", "first_school", "second", "second_school"
    ).annotate(meetings_count=_count(BuddyMeeting, "pair_id"))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}
