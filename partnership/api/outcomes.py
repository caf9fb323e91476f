"""Outcomes through the v1 API (C5): aggregates for a school or a partnership, and pupil-level rows.

`/api/v1/outcomes/aggregates/?school=<slug>` or `?partnership=<slug>` gives the figures the outcome
pages show, by school, measure, pupil group and year, with the change over three years in the pages'
words, suppressed by the same rules: groups smaller than the threshold carry no numbers at all unless
the caller is one of the school's own staff (`access.sees_unsuppressed`); the partnership total is
always suppressed below the threshold, and a change is never described through a suppressed year.
The counts come from `outcomes/analysis.count_results` in one query however many schools.

`/api/v1/schools/<slug>/pupils/` and `/api/v1/schools/<slug>/pupils/<id>/` are pupil-level: only for
the school's authorised staff (`view_pupils`, no administrator bypass). A school the caller may not
view is 404 like every other API object; a school they may view without `view_pupils` is 403 (and
the refusal is audited). Every answer that carries pupil data is audit-logged with ids and counts,
never names or UPNs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from partnership.api.queries import AggregatesQuery, validated
from partnership.core import access, audit
from partnership.core.exports import PLAIN_TEXT_HELP
from partnership.directory.models import Partnership, School
from partnership.directory.selectors import partnership_schools
from partnership.outcomes import analysis, stats
from partnership.outcomes.analysis import GROUPS, MEASURES, Viewpoint, year_text
from partnership.outcomes.models import Measure, Pupil, PupilYear, Result, TeacherAssessment
from partnership.outcomes.selectors import partnership_threshold, suppression_threshold, suppression_thresholds

PUPIL_ACTION = "view_pupils"

# --- aggregates -------------------------------------------------------------------------------


class FigureSerializer(serializers.Serializer):
    """One figure as the pages show it. A suppressed figure has no numbers, not even the cohort size."""

    suppressed = serializers.BooleanField()
    pupils = serializers.IntegerField(allow_null=True, help_text="Pupils counted (the denominator).")
    met = serializers.IntegerField(allow_null=True, help_text="Pupils meeting the standard (the numerator).")
    percentage = serializers.FloatField(allow_null=True, help_text="0-100, unrounded.")
    interval_low = serializers.FloatField(allow_null=True, help_text="95% Wilson interval, 0-100.")
    interval_high = serializers.FloatField(allow_null=True)
    national = serializers.FloatField(allow_null=True, help_text="National figure for England, where confirmed.")
    verdict = serializers.ChoiceField(
        choices=["above", "in line", "below"],
        allow_null=True,
        help_text="Against national, by an exact two-sided binomial test at 5%.",
    )


CHANGE_KINDS = ["rising", "falling", "uncertain_up", "uncertain_down", "mixed", "little_change"]


class ChangeSerializer(serializers.Serializer):
    """The change over three years, in the same words as the pages, exports and flags."""

    kind = serializers.ChoiceField(
        choices=CHANGE_KINDS,
        help_text="rising / falling: a significant change (two-proportion test on the counts, earliest "
        "against latest year, p < 0.05); uncertain_up / uncertain_down: 5 points or more that too few "
        "pupils can confirm; mixed: under 5 points overall but a year 5 or more points away; "
        "little_change: every year within 5 points.",
    )
    points = serializers.FloatField(help_text="Latest year minus the earliest, in percentage points, unrounded.")
    words = serializers.CharField(
        help_text='As shown on the pages: "rising (up 9 points)", "down 14 points; too few pupils to be sure", '
        '"little change".'
    )
    p_value = serializers.FloatField(help_text="Two-sided p-value of the test.")


class AggregateRowSerializer(FigureSerializer):
    school = serializers.CharField(allow_null=True, help_text="School slug; null for the partnership total.")
    measure = serializers.CharField()
    measure_label = serializers.CharField()
    group = serializers.CharField()
    group_label = serializers.CharField()
    year = serializers.IntegerField(help_text="Starting year: 2024 means 2024/25.")
    higher = FigureSerializer(allow_null=True, help_text="The higher standard, for measures that have one.")
    change = ChangeSerializer(
        allow_null=True,
        help_text="The change from two years before to this year; null when any of the three years is "
        "suppressed or has no pupils.",
    )


class ScopeSchoolSerializer(serializers.Serializer):
    slug = serializers.CharField()
    urn = serializers.CharField()
    name = serializers.CharField(help_text=PLAIN_TEXT_HELP)
    unsuppressed = serializers.BooleanField(help_text="True when you see this school's small groups (its staff).")


class ScopeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["school", "partnership"])
    slug = serializers.CharField()
    name = serializers.CharField(help_text=PLAIN_TEXT_HELP)
    schools = ScopeSchoolSerializer(many=True)


class AggregatesSerializer(serializers.Serializer):
    scope = ScopeSerializer()
    year = serializers.IntegerField(allow_null=True, help_text="Null when there are no results yet.")
    year_label = serializers.CharField(allow_null=True)
    threshold = serializers.IntegerField(help_text="Groups with fewer pupils are suppressed outside their school.")
    results = AggregateRowSerializer(many=True)


def _figure_fields(figure: stats.Figure) -> dict[str, Any]:
    return {
        "suppressed": figure.suppressed,
        "pupils": figure.denominator,
        "met": figure.numerator,
        "percentage": figure.percentage,
        "interval_low": figure.low,
        "interval_high": figure.high,
        "national": figure.national,
        "verdict": figure.verdict,
    }


def _change_fields(change: stats.Change | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {"kind": change.kind, "points": change.points, "words": change.words, "p_value": change.p_value}


def _keys(request: Request, name: str, allowed: list[str]) -> list[str] | None:
    """`?name=a&name=b` or `?name=a,b`, in the canonical order; None when not given."""
    asked = {value.strip() for raw in request.query_params.getlist(name) for value in raw.split(",") if value.strip()}
    if not asked:
        return None
    unknown = sorted(asked - set(allowed))
    if unknown:
        raise ValidationError({name: f"Unknown {name}: {', '.join(unknown)}. Choose from {', '.join(allowed)}."})
    return [key for key in allowed if key in asked]


def _rows(
    source: analysis.Source,
    school_slug: str | None,
    year: int,
    measures: list[analysis.MeasureSpec],
    groups: list[analysis.Group],
    nationals: analysis.Nationals,
) -> list[dict[str, Any]]:
    """One row per measure and group for one school (or the partnership as a whole). Figures come
    from `analysis.Source`, so suppression (small and complementary groups) is the pages' own."""
    rows = []
    for measure in measures:
        national = nationals.get(measure, year)
        national_higher = nationals.get(measure, year, higher=True) if measure.higher_statistic else None
        for group in groups:
            higher = None
            if measure.higher_statistic:
                higher = _figure_fields(source.figure(year, measure, group.key, national_higher, higher=True))
            earlier = [
                analysis.shown_count(source.figure(each, measure, group.key, None))
                for each in analysis.three_years(year)[:-1]
            ]
            figure = source.figure(year, measure, group.key, national)
            rows.append(
                {
                    "school": school_slug,
                    "measure": measure.key,
                    "measure_label": measure.label,
                    "group": group.key,
                    "group_label": group.label,
                    "year": year,
                    **_figure_fields(figure),
                    "higher": higher,
                    "change": _change_fields(stats.describe_change([*earlier, analysis.shown_count(figure)])),
                }
            )
    return rows


def _results(
    schools: list[School],
    with_total: bool,
    year: int,
    measure_keys: list[str] | None,
    groups: list[analysis.Group],
    threshold: int,
    unsuppressed: dict[int, bool],
) -> list[dict[str, Any]]:
    """Rows for each school, then (for a partnership) the total: two queries however many schools.
    Three years are counted, for the change over them."""
    ids = [s.pk for s in schools]
    table = analysis.count_results(ids, analysis.three_years(year), measure_keys)
    if measure_keys is None:  # every measure with results this year
        present = {key[2] for key in table if key[1] == year}
        measure_keys = [m.key for m in MEASURES if m.key in present]
    measures = [analysis.MEASURE_BY_KEY[key] for key in measure_keys]
    nationals = analysis.Nationals()
    own_thresholds = suppression_thresholds(ids)  # a school is never shown more openly here than alone
    views = [Viewpoint(threshold=max(threshold, own_thresholds[s.pk]), show_small=unsuppressed[s.pk]) for s in schools]
    # The partnership as a whole is nobody's own school: suppressed below the threshold, and wherever
    # it would reveal what is hidden of the schools (the same board as the dashboard's).
    sources, whole = analysis.board_sources(table, ids, views, Viewpoint(threshold=threshold))
    results: list[dict[str, Any]] = []
    for school, source in zip(schools, sources, strict=True):
        results += _rows(source, school.slug, year, measures, groups, nationals)
    if with_total:
        results += _rows(whole, None, year, measures, groups, nationals)
    return results


def _scope(request: Request) -> tuple[Partnership | None, list[School], int]:
    """The partnership (or None for one school), its schools by name, and the threshold. 404 for a
    school or partnership the caller may not view, like every other API object."""
    query = validated(AggregatesQuery, request)
    school_slug, partnership_slug = query.get("school", "").strip(), query.get("partnership", "").strip()
    if bool(school_slug) == bool(partnership_slug):
        raise ValidationError({"detail": "Give exactly one of ?school=<slug> or ?partnership=<slug>."})
    if school_slug:
        school = get_object_or_404(access.visible_to(request.user, School), slug=school_slug)
        return None, [school], suppression_threshold(school)
    partnership = get_object_or_404(access.visible_to(request.user, Partnership), slug=partnership_slug)
    schools = [membership.school for membership in partnership_schools(partnership)]
    return partnership, schools, partnership_threshold(partnership)


class OutcomeViewSet(viewsets.ViewSet):
    """Outcome aggregates: `/outcomes/aggregates/`."""

    @extend_schema(
        parameters=[
            AggregatesQuery,
            OpenApiParameter(
                "measure",
                OpenApiTypes.STR,
                many=True,
                description="Repeat or comma-separate: "
                + ", ".join(m.key for m in MEASURES)
                + "; default every measure with results that year",
            ),
            OpenApiParameter(
                "group",
                OpenApiTypes.STR,
                many=True,
                description="Repeat or comma-separate: " + ", ".join(g.key for g in GROUPS) + "; default all",
            ),
        ],
        responses={
            200: AggregatesSerializer,
            400: OpenApiResponse(description="Not exactly one of school / partnership, or an unknown parameter"),
            404: OpenApiResponse(description="No such school or partnership that you may view"),
        },
    )
    @action(detail=False, methods=["get"])
    def aggregates(self, request: Request) -> Response:
        """Outcome figures for a school or partnership, suppressed as on the outcome pages."""
        partnership, schools, threshold = _scope(request)
        year = validated(AggregatesQuery, request).get("year")
        measure_keys = _keys(request, "measure", [m.key for m in MEASURES])
        group_keys = _keys(request, "group", [g.key for g in GROUPS]) or [g.key for g in GROUPS]
        ids = [s.pk for s in schools]
        unsuppressed = {s.pk: access.sees_unsuppressed(request.user, s.pk) for s in schools}
        scope = {
            "type": "partnership" if partnership else "school",
            "slug": partnership.slug if partnership else schools[0].slug,
            "name": partnership.name if partnership else schools[0].name,
            "schools": [
                {"slug": s.slug, "urn": s.urn, "name": s.name, "unsuppressed": unsuppressed[s.pk]} for s in schools
            ],
        }
        if year is None and ids:
            year = analysis.year_coverage(ids).default_year  # as the board opens: the year most schools have
        results: list[dict[str, Any]] = []
        if year is not None and ids:
            groups = [analysis.GROUP_BY_KEY[key] for key in group_keys]
            results = _results(schools, partnership is not None, year, measure_keys, groups, threshold, unsuppressed)
        body = {
            "scope": scope,
            "year": year,
            "year_label": year_text(year) if year is not None else None,
            "threshold": threshold,
            "results": results,
        }
        return Response(AggregatesSerializer(body).data)


# --- pupils -------------------------------------------------------------------------------------


class PupilYearSerializer(serializers.ModelSerializer):
    academic_year_label = serializers.SerializerMethodField()

    class Meta:
        model = PupilYear
        fields = ["academic_year", "academic_year_label", "year_group", "disadvantaged", "sen_provision", "eal"]

    def get_academic_year_label(self, row: PupilYear) -> str:
        return year_text(row.academic_year)


class PupilSerializer(serializers.ModelSerializer):
    summer_born = serializers.BooleanField(read_only=True)
    current_year = serializers.SerializerMethodField(
        help_text="The pupil's most recent year: group and characteristics."
    )

    class Meta:
        model = Pupil
        fields = ["id", "upn", "forename", "surname", "date_of_birth", "sex", "summer_born", "current_year"]
        extra_kwargs = {"forename": {"help_text": PLAIN_TEXT_HELP}, "surname": {"help_text": PLAIN_TEXT_HELP}}

    @extend_schema_field(PupilYearSerializer(allow_null=True))
    def get_current_year(self, pupil: Pupil) -> dict[str, Any] | None:
        years = pupil.years_newest_first  # type: ignore[attr-defined]  # prefetched
        return PupilYearSerializer(years[0]).data if years else None


class ResultSerializer(serializers.ModelSerializer):
    measure_label = serializers.CharField(source="get_measure_display", read_only=True)

    class Meta:
        model = Result
        fields = ["academic_year", "measure", "measure_label", "score", "grade", "code", "met_expected", "met_higher"]


class TeacherAssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeacherAssessment
        fields = ["academic_year", "term", "subject", "judgement"]


class PupilDetailSerializer(PupilSerializer):
    years = serializers.SerializerMethodField(help_text="Every recorded year, newest first.")
    results = serializers.SerializerMethodField(help_text="Statutory results, newest first, in measure order.")
    assessments = serializers.SerializerMethodField(help_text="Termly teacher assessments, newest first.")

    class Meta(PupilSerializer.Meta):
        fields = [*PupilSerializer.Meta.fields, "years", "results", "assessments"]

    @extend_schema_field(PupilYearSerializer(many=True))
    def get_years(self, pupil: Pupil) -> Any:
        return PupilYearSerializer(pupil.years_newest_first, many=True).data  # type: ignore[attr-defined]

    @extend_schema_field(ResultSerializer(many=True))
    def get_results(self, pupil: Pupil) -> Any:
        order = list(Measure.values)
        results = sorted(pupil.visible_results, key=lambda r: (-r.academic_year, order.index(r.measure)))  # type: ignore[attr-defined]
        return ResultSerializer(results, many=True).data

    @extend_schema_field(TeacherAssessmentSerializer(many=True))
    def get_assessments(self, pupil: Pupil) -> Any:
        terms, subjects = list(TeacherAssessment.Term.values), list(TeacherAssessment.Subject.values)
        rows = sorted(
            pupil.visible_assessments,  # type: ignore[attr-defined]
            key=lambda a: (-a.academic_year, subjects.index(a.subject), terms.index(a.term)),
        )
        return TeacherAssessmentSerializer(rows, many=True).data


SCHOOL_SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The school's slug")


@extend_schema_view(
    list=extend_schema(
        parameters=[SCHOOL_SLUG],
        responses={
            200: PupilSerializer(many=True),
            403: OpenApiResponse(description="You may view the school but not its pupils"),
            404: OpenApiResponse(description="No such school that you may view"),
        },
    ),
    retrieve=extend_schema(
        parameters=[SCHOOL_SLUG],
        responses={
            200: PupilDetailSerializer,
            403: OpenApiResponse(description="You may view the school but not its pupils"),
            404: OpenApiResponse(description="No such pupil or school"),
        },
    ),
)
class SchoolPupilViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A school's pupils: only for its headteacher, senior leaders, data lead and SENCO. Audited."""

    lookup_value_regex = r"[0-9]+"

    def get_serializer_class(self) -> Any:
        return PupilDetailSerializer if self.action == "retrieve" else PupilSerializer

    def school(self) -> School:
        """The school in the URL: 404 unless the caller may view it, then 403 (audited) unless they
        may view its pupils."""
        if not hasattr(self, "_school"):
            school = get_object_or_404(access.visible_to(self.request.user, School), slug=self.kwargs["slug"])
            access.require(self.request, PUPIL_ACTION, school)
            self._school = school
        return self._school

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return Pupil.objects.none()
        user = self.request.user
        newest_first = access.visible_to(user, PupilYear).order_by("-academic_year")
        pupils = (
            access.visible_to(user, Pupil)
            .filter(school=self.school())
            .prefetch_related(Prefetch("years", queryset=newest_first, to_attr="years_newest_first"))
            .order_by("surname", "forename", "pk")
        )
        if self.action == "retrieve":
            pupils = pupils.prefetch_related(
                Prefetch("results", queryset=access.visible_to(user, Result), to_attr="visible_results"),
                Prefetch(
                    "assessments", queryset=access.visible_to(user, TeacherAssessment), to_attr="visible_assessments"
                ),
            )
        return pupils

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        school = self.school()
        page = self.paginate_queryset(self.get_queryset())
        pupils = page if page is not None else list(self.get_queryset())
        data = PupilSerializer(pupils, many=True).data
        detail = {"count": len(pupils), "via": "api"}
        if page is not None:
            detail.update(offset=getattr(self.paginator, "offset", 0), limit=getattr(self.paginator, "limit", None))
        audit.record(request.user, PUPIL_ACTION, school, detail=detail, request=request)
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pupil = self.get_object()
        data = PupilDetailSerializer(pupil).data
        audit.record(
            request.user,
            PUPIL_ACTION,
            self.school(),
            detail={"count": 1, "pupil_id": pupil.pk, "via": "api"},
            request=request,
        )
        return Response(data)
