"""Pupil-level pages: the pupil list of a school and one pupil's results and assessments.

Only the school's authorised staff (`view_pupils`: headteacher, senior leaders, data lead, SENCO;
no administrator bypass) may open them, and every view is audit-logged with the number of pupils
shown. The audit event names the school and pupil ids only, never a pupil's name, UPN or the
search text: the audit log is read by the partnership's coordinators, who must not see pupils.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from partnership.core import access, audit
from partnership.core.pages import crumbs, get_or_deny
from partnership.directory.models import School
from partnership.outcomes.models import Measure, Pupil, PupilYear, Result, SenProvision, TeacherAssessment

ACTION = "view_pupils"
PER_PAGE = 50
YEAR_GROUPS = [(-1, "Nursery"), (0, "Reception"), *((n, f"Year {n}") for n in range(1, 7))]
YEAR_GROUP_LABELS = dict(YEAR_GROUPS)
SHORT_MEASURE = {
    Measure.EYFS_GLD: "EYFS",
    Measure.PHONICS_Y1: "Phonics",
    Measure.PHONICS_Y2: "Phonics retake",
    Measure.KS1_READING: "KS1 reading",
    Measure.KS1_WRITING: "KS1 writing",
    Measure.KS1_MATHS: "KS1 maths",
    Measure.MTC: "MTC",
    Measure.KS2_READING: "Reading",
    Measure.KS2_MATHS: "Maths",
    Measure.KS2_GPS: "GPS",
    Measure.KS2_WRITING: "Writing",
    Measure.KS2_RWM: "RWM",
}


def year_text(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def result_value(result: Result) -> str:
    """What the pupil got: a score, a grade or a non-result code, in the school's words."""
    if result.code:
        return f"{result.code} ({result.get_code_display().lower()})"
    if result.measure == Measure.KS2_RWM:
        return "Higher standard" if result.met_higher else "Expected standard" if result.met_expected else "Not met"
    if result.measure == Measure.EYFS_GLD:
        return "GLD" if result.grade == "GLD" else "Not GLD"
    return str(result.score) if result.score is not None else result.grade


def standard_text(result: Result) -> str:
    if result.met_higher:
        return "Higher standard"
    if result.met_expected:
        return "Expected standard"
    if result.met_expected is False:
        return "Not met"
    return ""


def characteristics(row: PupilYear) -> list[str]:
    tags = []
    if row.disadvantaged:
        tags.append("Disadvantaged")
    if row.sen_provision != SenProvision.NONE:
        tags.append("EHCP" if row.sen_provision == SenProvision.EHCP else "SEN support")
    if row.eal:
        tags.append("EAL")
    if 4 <= row.pupil.date_of_birth.month <= 8:
        tags.append("Summer-born")
    return tags


@dataclass
class PupilRow:
    pupil: Pupil
    year_group: str
    characteristics: list[str]
    latest_year: str = ""
    latest_results: list[str] = field(default_factory=list)


def _parse_int(value: str | None, allowed: set[int]) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number in allowed else None


def pupil_rows(user: Any, school: School, *, academic_year: int, year_group: int | None, query: str) -> Any:
    """The school's pupils in one academic year, as a queryset of PupilYear with the pupil."""
    rows = (
        access.visible_to(user, PupilYear)
        .filter(pupil__school=school, academic_year=academic_year)
        .select_related("pupil")
        .order_by("year_group", "pupil__surname", "pupil__forename", "pk")
    )
    if year_group is not None:
        rows = rows.filter(year_group=year_group)
    if query:
        rows = rows.filter(
            Q(pupil__surname__icontains=query)
            | Q(pupil__forename__icontains=query)
            | Q(pupil__upn__istartswith=query.replace(" ", ""))
        )
    return rows


def latest_results(user: Any, pupil_ids: list[int]) -> dict[int, tuple[int, list[Result]]]:
    """{pupil id: (academic year, results of that year)} for each pupil's latest year with results.
    One query for the whole page."""
    by_pupil: dict[int, dict[int, list[Result]]] = defaultdict(lambda: defaultdict(list))
    for result in access.visible_to(user, Result).filter(pupil_id__in=pupil_ids).order_by("academic_year", "pk"):
        by_pupil[result.pupil_id][result.academic_year].append(result)
    latest = {}
    for pupil_id, years in by_pupil.items():
        year = max(years)
        latest[pupil_id] = (year, sorted(years[year], key=lambda r: list(Measure.values).index(r.measure)))
    return latest


def _crumbs(school: School, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return crumbs(
        ("Schools", reverse("directory:school_list")),
        (school.name, reverse("directory:school_detail", args=[school.slug])),
        *more,
    )


@login_required
@require_GET
def pupil_list(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_or_deny(request, School, ACTION, slug=slug)
    years = sorted(
        access.visible_to(request.user, PupilYear)
        .filter(pupil__school=school)
        .values_list("academic_year", flat=True)
        .distinct(),
        reverse=True,
    )
    academic_year = _parse_int(request.GET.get("academic_year"), set(years)) or (years[0] if years else None)
    year_group = _parse_int(request.GET.get("year_group"), set(YEAR_GROUP_LABELS))
    query = request.GET.get("q", "").strip()[:100]
    rows: list[PupilRow] = []
    page = Paginator(
        pupil_rows(request.user, school, academic_year=academic_year, year_group=year_group, query=query)
        if academic_year is not None
        else PupilYear.objects.none(),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    latest = latest_results(request.user, [row.pupil_id for row in page])
    for row in page:
        row_ = PupilRow(row.pupil, YEAR_GROUP_LABELS.get(row.year_group, str(row.year_group)), characteristics(row))
        if row.pupil_id in latest:
            year, results = latest[row.pupil_id]
            row_.latest_year = year_text(year)
            row_.latest_results = [f"{SHORT_MEASURE[r.measure]}: {result_value(r)}" for r in results]
        rows.append(row_)
    audit.record(
        request.user,
        ACTION,
        school,
        detail={
            "count": len(rows),
            "page": page.number,
            "academic_year": academic_year,
            "year_group": year_group,
            "searched": bool(query),
        },
        request=request,
    )
    return render(
        request,
        "outcomes/pupil_list.html",
        {
            "school": school,
            "page": page,
            "rows": rows,
            "q": query,
            "year_group": year_group,
            "year_groups": YEAR_GROUPS,
            "academic_year": academic_year,
            "academic_years": [(y, year_text(y)) for y in years],
            "academic_year_text": year_text(academic_year) if academic_year is not None else "",
            "crumbs": _crumbs(school, ("Pupils", "")),
        },
    )


@dataclass
class AssessmentRow:
    year: str
    subject: str
    terms: list[str]


def assessment_rows(assessments: list[TeacherAssessment]) -> list[AssessmentRow]:
    """One row per academic year and subject, a column per term (blank where not assessed)."""
    grid: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
    for a in assessments:
        grid[(a.academic_year, a.subject)][a.term] = a.get_judgement_display()
    subjects = list(TeacherAssessment.Subject.values)
    return [
        AssessmentRow(
            year_text(year),
            TeacherAssessment.Subject(subject).label,
            [terms.get(term, "") for term in TeacherAssessment.Term.values],
        )
        for (year, subject), terms in sorted(grid.items(), key=lambda item: (-item[0][0], subjects.index(item[0][1])))
    ]


@login_required
@require_GET
def pupil_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    school = get_or_deny(request, School, ACTION, slug=slug)
    pupil = get_object_or_404(access.visible_to(request.user, Pupil).filter(school=school), pk=pk)
    pupil_years = list(access.visible_to(request.user, PupilYear).filter(pupil=pupil).order_by("-academic_year"))
    results = list(access.visible_to(request.user, Result).filter(pupil=pupil).order_by("-academic_year", "pk"))
    order = list(Measure.values)
    results.sort(key=lambda r: (-r.academic_year, order.index(r.measure)))
    assessments = list(access.visible_to(request.user, TeacherAssessment).filter(pupil=pupil))
    audit.record(request.user, ACTION, school, detail={"count": 1, "pupil_id": pupil.pk}, request=request)
    for row in pupil_years:
        row.pupil = pupil  # characteristics() reads the date of birth; no query per row
    return render(
        request,
        "outcomes/pupil_detail.html",
        {
            "school": school,
            "pupil": pupil,
            "summer_born": 4 <= pupil.date_of_birth.month <= 8,
            "years": [
                (
                    year_text(y.academic_year),
                    YEAR_GROUP_LABELS.get(y.year_group, str(y.year_group)),
                    y,
                    characteristics(y),
                )
                for y in pupil_years
            ],
            "results": [(year_text(r.academic_year), r, result_value(r), standard_text(r)) for r in results],
            "assessments": assessment_rows(assessments),
            "terms": TeacherAssessment.Term.labels,
            "crumbs": _crumbs(school, ("Pupils", reverse("outcomes:pupil_list", args=[school.slug])), (str(pupil), "")),
        },
    )
