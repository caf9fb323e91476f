"""Findings, the report, the improvement workshop, the impact review, calibration and the
reciprocity ledger. Each view checks the access policy, calls one service or selector, renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnership.core import access, audit, charts, exports
from partnership.core.errors import ApplicationError
from partnership.core.pages import form_page
from partnership.directory.models import Partnership, School
from partnership.reviews import followup, ledger
from partnership.reviews.forms_reports import (
    ExcellenceDecisionForm,
    ExcellenceForm,
    FindingForm,
    ImpactForm,
    JudgementForm,
    ReportResponseForm,
    ReportSharingForm,
    ReportSummaryForm,
    WorkshopActionForm,
    WorkshopForm,
)
from partnership.reviews.models import (
    AreaJudgement,
    AreaOfExcellence,
    Finding,
    FrameworkArea,
    Grade,
    Review,
    ReviewReport,
    TeamMember,
)
from partnership.reviews.policy import readable_reviews

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _deny(request: HttpRequest, action: str, obj: Any) -> None:
    audit.record(request.user, "denied", obj, detail={"action": action, "path": request.path}, request=request)
    raise PermissionDenied("You do not have access to this.")


def _review(request: HttpRequest, pk: int, action: str) -> Review:
    """The review, if this person may `action` it; "read" means reading its findings and report."""
    review = get_object_or_404(Review.objects.select_related("school", "cycle__framework"), pk=pk)
    if action == "read":
        principal = access.principal_for(request.user)
        if not (principal.is_admin or Review.objects.filter(readable_reviews(principal), pk=review.pk).exists()):
            _deny(request, "view findings", review)
    else:
        access.require(request, action, review)
    return review


def _finding(review: Review, finding_pk: int) -> Finding:
    finding: Finding = get_object_or_404(Finding.objects.select_related("area"), pk=finding_pk, review=review)
    finding.review = review
    return finding


def _crumbs(review: Review, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("home")),
        ("Reviews", reverse("reviews:index")),
        (f"Peer review of {review.school.name}", reverse("reviews:findings_page", args=[review.pk])),
        *pairs,
    ]


def _can(request: HttpRequest, action: str, review: Review) -> bool:
    return access.can(request.user, action, review)


def _post_service(request: HttpRequest, call: Callable[[], Any], success: str, to: str) -> HttpResponse:
    try:
        call()
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(to)


def _form(
    request: HttpRequest,
    review: Review,
    form: Any,
    *,
    title: str,
    submit: str,
    save: Callable[[Any], Any],
    success: str,
    to: str,
) -> HttpResponse:
    return form_page(
        request,
        form,
        save=save,
        success_message=success,
        redirect_to=to,
        context={
            "title": title,
            "submit": submit,
            "caption": f"Peer review of {review.school.name}",
            "back": to,
            "crumbs": _crumbs(review, (title, "")),
        },
    )


# --- Findings ---------------------------------------------------------------------------------------


@login_required
@require_safe
def findings_page(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "read")
    areas = list(FrameworkArea.objects.filter(framework_id=review.cycle.framework_id))
    judged = {j.area_id: j for j in AreaJudgement.objects.filter(review=review).select_related("grade")}
    findings = list(Finding.objects.filter(review=review).select_related("area"))
    report = ReviewReport.objects.filter(review=review).first()
    final = report is not None and report.status == ReviewReport.Status.FINAL
    context = {
        "review": review,
        "rows": [(area, judged.get(area.pk)) for area in areas],
        "strengths": [f for f in findings if f.kind == Finding.Kind.STRENGTH],
        "development": [f for f in findings if f.kind == Finding.Kind.DEVELOPMENT],
        "excellence": AreaOfExcellence.objects.filter(review=review).first(),
        "report": report,
        "agreed": followup.stage_at_least(review, Review.Stage.FINDINGS),
        "can_edit": not final and _can(request, "agree_findings", review),
        "can_respond": not final and _can(request, "respond", review),
        "can_follow_up": _can(request, "follow_up", review),
        "sees_visit": access.can(request.user, "view", review),
        "crumbs": _crumbs(review)[:-1] + [(f"Peer review of {review.school.name}", "")],
    }
    return render(request, "reviews/reports/findings.html", context)


@login_required
@GET_POST
def findings_judgement(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    review = _review(request, pk, "agree_findings")
    area = get_object_or_404(FrameworkArea, pk=area_pk, framework_id=review.cycle.framework_id)
    grades = list(Grade.objects.filter(framework_id=review.cycle.framework_id))
    current = AreaJudgement.objects.filter(review=review, area=area).first()
    initial = {}
    if current is not None:
        initial = {
            "grade": current.grade_id or "",
            "met": {True: "yes", False: "no"}.get(current.met, "") if current.met is not None else "",
            "summary": current.summary,
        }
    form = JudgementForm(request.POST or None, area=area, grades=grades, initial=initial)

    def save(f: JudgementForm) -> AreaJudgement:
        return followup.judgement_set(review=review, area=area, by=request.user, request=request, **f.cleaned())

    return _form(
        request,
        review,
        form,
        title=area.name,
        submit="Save the judgement",
        save=save,
        success=f"{area.name}: judgement saved.",
        to=reverse("reviews:findings_page", args=[review.pk]) + "#grades",
    )


@login_required
@GET_POST
def findings_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "agree_findings")
    areas = list(FrameworkArea.objects.filter(framework_id=review.cycle.framework_id))
    form = FindingForm(request.POST or None, areas=areas, initial={"kind": request.GET.get("kind", "")})

    def save(f: FindingForm) -> Finding:
        return followup.finding_add(
            review=review,
            kind=f.cleaned_data["kind"],
            area=f.area_value(),
            text=f.cleaned_data["text"],
            by=request.user,
            request=request,
        )

    return _form(
        request,
        review,
        form,
        title="Add a finding",
        submit="Add finding",
        save=save,
        success="Finding added.",
        to=reverse("reviews:findings_page", args=[review.pk]) + "#findings",
    )


@login_required
@GET_POST
def findings_edit(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    review = _review(request, pk, "agree_findings")
    finding = _finding(review, finding_pk)
    areas = list(FrameworkArea.objects.filter(framework_id=review.cycle.framework_id))
    initial = {"kind": finding.kind, "area": finding.area_id or "", "text": finding.text}
    form = FindingForm(request.POST or None, areas=areas, initial=initial)

    def save(f: FindingForm) -> Finding:
        return followup.finding_update(
            finding=finding,
            kind=f.cleaned_data["kind"],
            area=f.area_value(),
            text=f.cleaned_data["text"],
            by=request.user,
            request=request,
        )

    return _form(
        request,
        review,
        form,
        title="Change a finding",
        submit="Save finding",
        save=save,
        success="Finding saved.",
        to=reverse("reviews:findings_page", args=[review.pk]) + "#findings",
    )


@login_required
@require_POST
def findings_remove(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    review = _review(request, pk, "agree_findings")
    finding = _finding(review, finding_pk)
    return _post_service(
        request,
        lambda: followup.finding_remove(finding=finding, by=request.user, request=request),
        "Finding removed.",
        reverse("reviews:findings_page", args=[review.pk]) + "#findings",
    )


@login_required
@require_POST
def findings_agree(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "agree_findings")
    return _post_service(
        request,
        lambda: followup.findings_agree(review=review, by=request.user, request=request),
        "Findings agreed. The team can now draft the report.",
        reverse("reviews:findings_page", args=[review.pk]),
    )


@login_required
@GET_POST
def excellence_put_forward(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "respond")
    current = AreaOfExcellence.objects.filter(review=review).first()
    initial = {"title": current.title, "description": current.description} if current else {}
    form = ExcellenceForm(request.POST or None, initial=initial)

    def save(f: ExcellenceForm) -> AreaOfExcellence:
        return followup.excellence_put_forward(review=review, by=request.user, request=request, **f.cleaned_data)

    return _form(
        request,
        review,
        form,
        title="Put forward an Area of Excellence",
        submit="Put it forward",
        save=save,
        success="Area of Excellence put forward to the review team.",
        to=reverse("reviews:findings_page", args=[review.pk]) + "#excellence",
    )


@login_required
@GET_POST
def excellence_decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "agree_findings")
    current = AreaOfExcellence.objects.filter(review=review).first()
    initial = {}
    if current is not None and current.endorsed is not None:
        initial = {"decision": "yes" if current.endorsed else "no", "comment": current.team_comment}
    form = ExcellenceDecisionForm(request.POST or None, initial=initial)

    def save(f: ExcellenceDecisionForm) -> AreaOfExcellence:
        return followup.excellence_decide(
            review=review,
            endorsed=f.cleaned_data["decision"] == "yes",
            comment=f.cleaned_data["comment"],
            by=request.user,
            request=request,
        )

    title = f"Area of Excellence: {current.title}" if current else "Area of Excellence"
    return _form(
        request,
        review,
        form,
        title=title,
        submit="Save the team's decision",
        save=save,
        success="The team's decision is saved.",
        to=reverse("reviews:findings_page", args=[review.pk]) + "#excellence",
    )


# --- The report -------------------------------------------------------------------------------------


def _report_context(review: Review) -> dict[str, Any]:
    report = ReviewReport.objects.filter(review=review).select_related("finalised_by").first()
    findings = list(Finding.objects.filter(review=review).select_related("area"))
    return {
        "review": review,
        "report": report,
        "summary": report.summary if report else followup.draft_summary(review),
        "judgements": list(AreaJudgement.objects.filter(review=review).select_related("area", "grade")),
        "strengths": [f for f in findings if f.kind == Finding.Kind.STRENGTH],
        "development": [f for f in findings if f.kind == Finding.Kind.DEVELOPMENT],
        "excellence": AreaOfExcellence.objects.filter(review=review).first(),
        "team": list(TeamMember.objects.filter(review=review).select_related("person", "from_school")),
    }


@login_required
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "read")
    context = _report_context(review)
    report = context["report"]
    final = report is not None and report.status == ReviewReport.Status.FINAL
    context.update(
        {
            "agreed": followup.stage_at_least(review, Review.Stage.FINDINGS),
            "can_edit": not final and _can(request, "agree_findings", review),
            "can_respond": not final and _can(request, "respond", review),
            "can_share": report is not None and _can(request, "respond", review),
            "can_finalise": report is not None and not final and _can(request, "finalise", review),
            "crumbs": _crumbs(review, ("Report", "")),
        }
    )
    return render(request, "reviews/reports/report.html", context)


@login_required
@GET_POST
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "agree_findings")
    report = ReviewReport.objects.filter(review=review).first()
    to = reverse("reviews:report_detail", args=[review.pk])
    if report is not None and report.status == ReviewReport.Status.FINAL:
        messages.error(request, followup.FINAL_MESSAGE)
        return redirect(to)
    form = ReportSummaryForm(
        request.POST or None, initial={"summary": report.summary if report else followup.draft_summary(review)}
    )
    return _form(
        request,
        review,
        form,
        title="Draft the report",
        submit="Save the draft",
        save=lambda f: followup.report_save_summary(
            review=review, summary=f.cleaned_data["summary"], by=request.user, request=request
        ),
        success="Draft report saved.",
        to=to,
    )


@login_required
@GET_POST
def report_response(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "respond")
    report = ReviewReport.objects.filter(review=review).first()
    form = ReportResponseForm(request.POST or None, initial={"response": report.school_response if report else ""})
    return _form(
        request,
        review,
        form,
        title="The school's response",
        submit="Save the response",
        save=lambda f: followup.report_respond(
            review=review, response=f.cleaned_data["response"], by=request.user, request=request
        ),
        success="The school's response is saved.",
        to=reverse("reviews:report_detail", args=[review.pk]),
    )


@login_required
@require_POST
def report_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "finalise")
    return _post_service(
        request,
        lambda: followup.report_finalise(review=review, by=request.user, request=request),
        "The report is final.",
        reverse("reviews:report_detail", args=[review.pk]),
    )


@login_required
@GET_POST
def report_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "respond")
    report = ReviewReport.objects.filter(review=review).first()
    form = ReportSharingForm(request.POST or None, initial={"sharing": report.sharing if report else ""})
    return _form(
        request,
        review,
        form,
        title="Who can read the report",
        submit="Save the choice",
        save=lambda f: followup.report_share(
            review=review, level=f.cleaned_data["sharing"], by=request.user, request=request
        ),
        success="Your choice is saved.",
        to=reverse("reviews:report_detail", args=[review.pk]),
    )


@login_required
@require_safe
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "read")
    context = _report_context(review)
    context.update({"title": f"Peer review report: {review.school.name}", "printed_on": timezone.localdate()})
    return exports.pdf_response(
        f"peer-review-{review.school.slug}-{review.cycle.academic_year}.pdf",
        "reviews/reports/report_pdf.html",
        context,
        request,
    )


# --- Improvement workshop and impact ----------------------------------------------------------------


def _with_actions(request: HttpRequest, findings: list[Finding]) -> list[Finding]:
    """Each finding with `linked_actions`: the actions agreed from it that this person may see."""
    actions = followup.finding_actions(request.user, findings)
    for finding in findings:
        finding.linked_actions = actions.get(finding.pk, [])  # type: ignore[attr-defined]
    return findings


@login_required
@GET_POST
def workshop_page(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "follow_up")
    development = _with_actions(
        request, list(Finding.objects.filter(review=review, kind=Finding.Kind.DEVELOPMENT).select_related("area"))
    )
    form = WorkshopForm(
        request.POST or None, initial={"workshop_on": review.workshop_on, "notes": review.workshop_notes}
    )
    return form_page(
        request,
        form,
        save=lambda f: followup.workshop_save(
            review=review,
            workshop_on=f.cleaned_data["workshop_on"],
            notes=f.cleaned_data["notes"],
            by=request.user,
            request=request,
        ),
        success_message="Workshop details saved.",
        redirect_to=reverse("reviews:workshop_page", args=[review.pk]),
        template="reviews/reports/workshop.html",
        context={
            "review": review,
            "development": development,
            "agreed": followup.stage_at_least(review, Review.Stage.FINDINGS),
            "crumbs": _crumbs(review, ("Improvement workshop", "")),
        },
    )


@login_required
@GET_POST
def workshop_action(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    review = _review(request, pk, "follow_up")
    finding = _finding(review, finding_pk)
    people = get_user_model().objects.filter(school=review.school, is_active=True).select_related("school")
    form = WorkshopActionForm(
        request.POST or None,
        people=people.order_by("full_name"),
        priorities=followup.priority_choices(request.user, review),
        initial={"title": finding.text[:200]},
    )

    def save(f: WorkshopActionForm) -> Any:
        return followup.workshop_action_create(
            finding=finding,
            title=f.cleaned_data["title"],
            owner=f.cleaned_data["owner"],
            due_on=f.cleaned_data["due_on"],
            priority_id=f.priority_id(),
            by=request.user,
            request=request,
        )

    return _form(
        request,
        review,
        form,
        title="Agree an action",
        submit="Add the action to the school's plan",
        save=save,
        success="Action added to the school's actions.",
        to=reverse("reviews:workshop_page", args=[review.pk]),
    )


@login_required
@require_safe
def impact_page(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "read")
    development = _with_actions(
        request,
        list(
            Finding.objects.filter(review=review, kind=Finding.Kind.DEVELOPMENT).select_related(
                "area", "impact_recorded_by"
            )
        ),
    )
    context = {
        "review": review,
        "development": development,
        "can_follow_up": _can(request, "follow_up", review),
        "reported": followup.stage_at_least(review, Review.Stage.REPORTED),
        "crumbs": _crumbs(review, ("Impact review", "")),
    }
    return render(request, "reviews/reports/impact.html", context)


@login_required
@GET_POST
def impact_record(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    review = _review(request, pk, "follow_up")
    finding = _finding(review, finding_pk)
    form = ImpactForm(request.POST or None, initial={"impact": finding.impact, "note": finding.impact_note})
    return _form(
        request,
        review,
        form,
        title="What changed",
        submit="Save",
        save=lambda f: followup.impact_record(
            finding=finding,
            impact=f.cleaned_data["impact"],
            note=f.cleaned_data["note"],
            by=request.user,
            request=request,
        ),
        success="Impact recorded.",
        to=reverse("reviews:impact_page", args=[review.pk]),
    )


@login_required
@require_POST
def impact_complete(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "follow_up")
    return _post_service(
        request,
        lambda: followup.impact_complete(review=review, by=request.user, request=request),
        "Impact review complete.",
        reverse("reviews:impact_page", args=[review.pk]),
    )


# --- Calibration and the ledger ---------------------------------------------------------------------


def _index_crumbs(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home")), ("Reviews", reverse("reviews:index")), *pairs]


@login_required
@require_safe
def calibration_school(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_object_or_404(School, slug=slug)
    if not ledger.may_see_school_calibration(request.user, school):
        _deny(request, "view calibration", school)
    rows = ledger.school_calibration(request.user, school)
    by_cycle = ledger.school_rows_by_cycle([r for r in rows if r.comparable])
    chart = None
    if by_cycle:
        chart = charts.spec_json(
            ledger.calibration_chart(
                by_cycle,
                title=f"{school.name}: self-evaluation against peer review",
                description=f"Bar chart of the share of areas where {school.name}'s self-grade was above, the same "
                "as or below the review team's grade, in each cycle. The table below gives the figures.",
            )
        )
    context = {
        "school": school,
        "rows": rows,
        "by_cycle": by_cycle,
        "chart": chart,
        "crumbs": _index_crumbs((f"Calibration: {school.name}", "")),
    }
    return render(request, "reviews/reports/calibration_school.html", context)


def _partnership(request: HttpRequest, slug: str) -> Partnership:
    partnership: Partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, "view_review_ledger", partnership)
    return partnership


@login_required
@require_safe
def calibration_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    found = ledger.partnership_calibration(request.user, partnership)
    by_cycle = found.by_cycle()
    chart = None
    if by_cycle:
        chart = charts.spec_json(
            ledger.calibration_chart(
                by_cycle,
                title=f"{partnership.name}: self-evaluation against peer review",
                description="Bar chart of the share of areas where schools' self-grades were above, the same as or "
                "below the review team's grade, in each cycle. The table below gives the figures.",
            )
        )
    context = {
        "partnership": partnership,
        "found": found,
        "by_cycle": by_cycle,
        "chart": chart,
        "crumbs": _index_crumbs((f"Calibration: {partnership.name}", "")),
    }
    return render(request, "reviews/reports/calibration_partnership.html", context)


@login_required
@require_safe
def ledger_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    found = ledger.reciprocity(partnership)
    context = {
        "partnership": partnership,
        "ledger": found,
        "reviewed": [name for pk, name in found.schools if pk is not None],
        "crumbs": _index_crumbs((f"Reciprocity: {partnership.name}", "")),
    }
    return render(request, "reviews/reports/ledger.html", context)


@login_required
@require_safe
def ledger_export(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    return exports.xlsx_response(
        f"peer-review-ledger-{partnership.slug}.xlsx", ledger.ledger_sheets(ledger.reciprocity(partnership))
    )
