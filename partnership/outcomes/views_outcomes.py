"""Outcome pages (C5): a school's outcomes, the partnership's Raising Achievement Board dashboard,
their Excel exports, the RAB pack PDF, and turning a flag into an action.

Every page shows aggregates only (`outcomes/analysis/`); small groups are suppressed for anyone
but the school's own staff (`access.sees_unsuppressed`), with the partnership's threshold.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from partnership.actions import views as action_views
from partnership.core import access, charts, memo
from partnership.core.exports import pdf_bytes, xlsx_response
from partnership.core.pages import crumbs, get_or_deny
from partnership.core.params import int_param
from partnership.core.schoolyear import current_academic_year
from partnership.directory.models import Partnership, School
from partnership.outcomes import analysis, tables
from partnership.outcomes.analysis import HEADLINE_MEASURES, MEASURE_BY_KEY, Viewpoint, year_text
from partnership.outcomes.boards import partnership_board
from partnership.outcomes.models import FIGURES_GENERATION, NationalFigure
from partnership.outcomes.selectors import partnership_threshold, suppression_threshold


@login_required
@require_GET
def outcomes_index(request: HttpRequest) -> HttpResponse:
    """Where outcomes start: the person's own school, and the boards of the partnerships they see."""
    principal = access.principal_for(request.user)
    school = School.objects.filter(pk=principal.school_id).first() if principal.school_id else None
    return render(
        request,
        "outcomes/index.html",
        {
            "school": school,
            "can_import": school is not None and access.can(request.user, "import_results", school),
            "can_view_pupils": school is not None and access.can(request.user, "view_pupils", school),
            "partnerships": access.visible_to(request.user, Partnership).order_by("name"),
            "crumbs": crumbs(("Home", reverse("home")), ("Outcomes", "")),
        },
    )


def _asked_year(request: HttpRequest) -> int | None:
    return int_param(request.GET.get("year"), low=2000, high=2100)


def _years_choice(coverage: analysis.YearCoverage) -> list[tuple[int, str]]:
    """Only the years with results: navigation never leads to an empty year."""
    return [(y, year_text(y)) for y in coverage.years]


def _national_context(request: HttpRequest, measures: Any, year: int) -> dict[str, Any]:
    """Which of the page's measures have no national figure for the year, and whether this
    reader may add them (coordinators and platform administrators)."""
    missing = analysis.Nationals().missing(measures, year)
    return {
        "nationals_missing": missing,
        "nationals_all_missing": bool(measures) and len(missing) == len([m for m in measures if m.national_statistic]),
        "can_load_nationals": access.may(request.user, "load", NationalFigure),
    }


def _school_context(request: HttpRequest, school: School) -> dict[str, Any] | None:
    coverage = analysis.year_coverage([school.pk])
    year = coverage.chosen(_asked_year(request))
    if year is None:
        return None
    view = Viewpoint(
        threshold=suppression_threshold(school), show_small=access.sees_unsuppressed(request.user, school.pk)
    )
    outcomes = analysis.cached_school_outcomes(school, year, view)
    tracking_year = current_academic_year()
    tracking = analysis.tracking(school, tracking_year, view)
    return {
        "outcomes": outcomes,
        "year": year,
        "year_text": year_text(year),
        "years": _years_choice(coverage),
        "tracking": tracking,
        "tracking_grid": [
            (year_group, analysis.tracking_grid(cells)) for year_group, cells in sorted(tracking.items())
        ],
        "terms": analysis.TERMS,
        "tracking_year_text": year_text(tracking_year),
        "view": view,
        **_national_context(request, outcomes.measures, year),
    }


def _school_chart(school: School, outcomes: analysis.SchoolOutcomes) -> dict[str, Any]:
    rows = [
        {
            "label": row.measure.short,
            "percentage": row.figure.percentage,
            "low": row.figure.low,
            "high": row.figure.high,
            "national": row.figure.national,
        }
        for row in outcomes.rows
        if row.figure.denominator
    ]
    return charts.percentage_bars(
        rows,
        title=f"{school.name}: outcomes {year_text(outcomes.year)}",
        description=(
            f"Bar chart of {school.name}'s outcomes in {year_text(outcomes.year)}: the percentage meeting each "
            "measure with its 95% interval and the national figure. The same figures are in the table below."
        ),
        category_title="Measure",
    )


@login_required
@require_GET
def school_outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_or_deny(request, School, slug=slug)
    context = _school_context(request, school)
    chart = None
    if context is not None and context["outcomes"].rows:
        outcomes = context["outcomes"]
        chart = memo.cached(
            FIGURES_GENERATION,
            ("school chart", school.pk, context["year"], context["view"]),
            lambda: charts.spec_json(_school_chart(school, outcomes)),
        )
    return render(
        request,
        "outcomes/school_outcomes.html",
        {
            "school": school,
            **(context or {}),
            "chart": chart,
            "can_view_pupils": access.can(request.user, "view_pupils", school),
            "can_import": access.can(request.user, "import_results", school),
            "can_add_action": access.can(request.user, "add_action", school),
            "crumbs": crumbs(
                ("Schools", reverse("directory:school_list")),
                (school.name, reverse("directory:school_detail", args=[school.slug])),
                ("Outcomes", ""),
            ),
        },
    )


@login_required
@require_GET
def school_outcomes_export(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_or_deny(request, School, slug=slug)
    context = _school_context(request, school)
    if context is None:
        return xlsx_response(f"outcomes-{school.slug}.xlsx", [tables.NO_RESULTS])
    sheets = tables.school_tables(context["outcomes"], context["tracking"])
    return xlsx_response(f"outcomes-{school.slug}-{context['year']}.xlsx", sheets)


# --- partnership dashboard ----------------------------------------------------------------------


def _partnership_context(request: HttpRequest, partnership: Partnership) -> dict[str, Any] | None:
    board = partnership_board(request.user, partnership, _asked_year(request))
    if board is None:
        return None
    return {
        "outcomes": board.outcomes,
        "year": board.year,
        "year_text": year_text(board.year),
        "years": _years_choice(board.coverage),
        "coverage": board.coverage,
        "coverage_rows": analysis.coverage_rows(board.schools, board.coverage),
        "missing_schools": board.missing_schools,
        "threshold": board.threshold,
        "figures_key": board.key,
        "own_school_id": access.principal_for(request.user).school_id,
        "can_raise": access.can(request.user, "manage", partnership),
        **_national_context(request, board.outcomes.measures, board.year),
    }


def _partnership_chart(partnership: Partnership, outcomes: analysis.PartnershipOutcomes, key: str) -> dict[str, Any]:
    measure = MEASURE_BY_KEY[key]
    rows = [
        {
            "label": column.school.name,
            "percentage": column.rows[key].figure.percentage,
            "low": column.rows[key].figure.low,
            "high": column.rows[key].figure.high,
            "national": column.rows[key].figure.national,
        }
        for column in outcomes.schools
        if column.rows[key].figure.denominator != 0  # schools with no such pupils (infant schools, for KS2)
    ]
    whole = outcomes.partnership[key].figure
    rows.append(
        {
            "label": f"{partnership.name} (all)",
            "percentage": whole.percentage,
            "low": whole.low,
            "high": whole.high,
            "national": whole.national,
        }
    )
    return charts.percentage_bars(
        rows,
        title=f"{measure.label} {year_text(outcomes.year)}",
        description=(
            f"Bar chart of {measure.label} in {year_text(outcomes.year)} for each school and the partnership, "
            "with 95% intervals and the national figure. Schools with fewer pupils than the threshold have no bar. "
            "The same figures are in the table."
        ),
        category_title="School",
    )


@login_required
@require_GET
def partnership_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_or_deny(request, Partnership, slug=slug)
    context = _partnership_context(request, partnership)
    measure_key = request.GET.get("measure", "ks2_rwm")
    if measure_key not in {m.key for m in HEADLINE_MEASURES}:
        measure_key = "ks2_rwm"
    chart = None
    if context is not None and context["outcomes"].schools:
        outcomes = context["outcomes"]
        chart = memo.cached(
            FIGURES_GENERATION,
            ("board chart", measure_key, *context["figures_key"]),
            lambda: charts.spec_json(_partnership_chart(partnership, outcomes, measure_key)),
        )
    return render(
        request,
        "outcomes/partnership_dashboard.html",
        {
            "partnership": partnership,
            **(context or {}),
            "chart": chart,
            "chart_measure": MEASURE_BY_KEY[measure_key],
            "headline_measures": HEADLINE_MEASURES,
            "crumbs": crumbs(
                ("Partnerships", reverse("directory:partnership_list")),
                (partnership.name, reverse("directory:partnership_detail", args=[partnership.slug])),
                ("Raising Achievement Board", ""),
            ),
        },
    )


@login_required
@require_GET
def partnership_export(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_or_deny(request, Partnership, slug=slug)
    context = _partnership_context(request, partnership)
    if context is None:
        return xlsx_response(f"rab-{partnership.slug}.xlsx", [tables.NO_RESULTS])
    sheets = tables.partnership_tables(context["outcomes"], partnership.name)
    return xlsx_response(f"rab-{partnership.slug}-{context['year']}.xlsx", sheets)


@login_required
@require_GET
def rab_pack(request: HttpRequest, slug: str) -> HttpResponse:
    """One PDF for a board meeting: the headline table, a chart per headline measure, the flags."""
    partnership = get_or_deny(request, Partnership, slug=slug)
    context = _partnership_context(request, partnership) or {
        "year": "",
        "threshold": partnership_threshold(partnership),
    }
    outcomes: analysis.PartnershipOutcomes | None = context.get("outcomes")

    def render_pack() -> bytes:
        chart_svgs = []
        if outcomes is not None:
            chart_svgs = [(m, charts.svg(_partnership_chart(partnership, outcomes, m.key))) for m in outcomes.measures]
        return pdf_bytes("outcomes/rab_pack.html", {"partnership": partnership, **context, "chart_svgs": chart_svgs})

    # The same pack for everyone who sees the same figures, until the next import (it is dated).
    key = ("rab pack", timezone.localdate(), *context.get("figures_key", (partnership.pk, "no results")))
    response = HttpResponse(memo.cached(FIGURES_GENERATION, key, render_pack), content_type="application/pdf")
    filename = f"rab-pack-{partnership.slug}-{context['year'] or 'no-results'}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- flags become actions -------------------------------------------------------------------------


def _find_flag(flags: list[analysis.Flag], key: str) -> analysis.Flag | None:
    return next((flag for flag in flags if flag.key == key), None)


@login_required
@require_http_methods(["GET", "POST"])
def flag_action(request: HttpRequest, slug: str) -> HttpResponse:
    """Turn a dashboard flag into an action for the school, owned by someone the coordinator
    chooses. The flag is worked out again here from the viewer's own figures, never trusted from
    the form."""
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, "manage", partnership)
    context = _partnership_context(request, partnership)
    flag = _find_flag(context["outcomes"].flags, request.GET.get("flag", "")) if context else None
    dashboard = reverse("outcomes:partnership_dashboard", args=[partnership.slug])
    if context is None or flag is None:
        return render(
            request,
            "outcomes/flag_gone.html",
            {
                "partnership": partnership,
                "dashboard": dashboard,
                "crumbs": crumbs(("Raising Achievement Board", dashboard), ("Flag", "")),
            },
        )
    school = next(c.school for c in context["outcomes"].schools if c.school.pk == flag.school_id)
    return action_views.create_page(
        request,
        school=school,
        partnership=partnership,
        title=f"New action for {school.name}",
        back=("Raising Achievement Board", dashboard),
        initial={
            "title": f"{analysis.FLAG_KINDS[flag.kind]}: {MEASURE_BY_KEY[flag.measure].label}",
            "description": flag.text,
        },
        source_label=f"Raising Achievement Board {context['year_text']}",
    )
