"""After the visit: the agreed grades and findings, the Area of Excellence, the report the school
owns, the improvement workshop's actions and the impact review a term later.

Services here check the domain rules (what may change at which stage); the views have checked the
access policy (`agree_findings`, `respond`, `finalise`, `follow_up`). Every change is audited.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from partnership.actions.models import Action
from partnership.actions.services import action_create
from partnership.core import access, audit
from partnership.core.errors import ApplicationError
from partnership.core.registry import school_evidence
from partnership.reviews.models import (
    AreaJudgement,
    AreaOfExcellence,
    Finding,
    FrameworkArea,
    Grade,
    Review,
    ReviewReport,
    Sharing,
)
from partnership.reviews.sharing import record_sharing_choice

STAGE_ORDER = [s.value for s in Review.Stage]
FINAL_MESSAGE = "The report is final and can no longer be changed."
# The impact review comes about a term after the report, unless the review already has a date for it.
IMPACT_AFTER = datetime.timedelta(weeks=12)


def stage_at_least(review: Review, stage: str) -> bool:
    return STAGE_ORDER.index(review.stage) >= STAGE_ORDER.index(stage)


def _report_or_none(review: Review) -> ReviewReport | None:
    return ReviewReport.objects.filter(review=review).first()


def _refuse_if_final(review: Review) -> None:
    if ReviewReport.objects.filter(review=review, status=ReviewReport.Status.FINAL).exists():
        raise ApplicationError(FINAL_MESSAGE)


def _set_stage(review: Review, stage: str, by: Any, request: HttpRequest | None) -> None:
    old = review.stage
    review.stage = stage
    review.version += 1
    review.save(update_fields=["stage", "version"])
    audit.record(by, "stage", review, detail={"from": old, "to": stage}, request=request, school_id=review.school_id)


# --- Judgements and findings ----------------------------------------------------------------------


@transaction.atomic
def judgement_set(
    *,
    review: Review,
    area: FrameworkArea,
    grade: Grade | None,
    met: bool | None,
    summary: str,
    by: Any,
    request: HttpRequest | None = None,
) -> AreaJudgement:
    """The team's grade (or met / not met) and summary for one area of the cycle's framework."""
    _refuse_if_final(review)
    framework_id = review.cycle.framework_id
    if area.framework_id != framework_id:
        raise ApplicationError("That area is not in this review's framework.", field="area")
    if area.met_or_not:
        grade = None
    else:
        met = None
        if grade is not None and grade.framework_id != framework_id:
            raise ApplicationError("Choose a grade on this review's scale.", field="grade")
    judgement, created = AreaJudgement.objects.update_or_create(
        review=review, area=area, defaults={"grade": grade, "met": met, "summary": summary.strip()}
    )
    audit.record(
        by,
        "create" if created else "update",
        judgement,
        detail={"area": area.name, "grade": grade.label if grade else "", "met": met},
        request=request,
        school_id=review.school_id,
    )
    return judgement


def _check_finding(review: Review, kind: str, area: FrameworkArea | None, text: str) -> str:
    if kind not in Finding.Kind.values:
        raise ApplicationError("Choose whether it is a strength or an area for development.", field="kind")
    if area is not None and area.framework_id != review.cycle.framework_id:
        raise ApplicationError("That area is not in this review's framework.", field="area")
    text = text.strip()
    if not text:
        raise ApplicationError("Enter the finding", field="text")
    return text


@transaction.atomic
def finding_add(
    *,
    review: Review,
    kind: str,
    area: FrameworkArea | None,
    text: str,
    by: Any,
    request: HttpRequest | None = None,
) -> Finding:
    _refuse_if_final(review)
    text = _check_finding(review, kind, area, text)
    finding = Finding.objects.create(review=review, kind=kind, area=area, text=text, created_by=by)
    audit.record(
        by, "create", finding, detail={"kind": kind, "text": text}, request=request, school_id=review.school_id
    )
    return finding


def _has_actions(finding: Finding) -> bool:
    return Action.objects.filter(source_type=ContentType.objects.get_for_model(Finding), source_id=finding.pk).exists()


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    kind: str,
    area: FrameworkArea | None,
    text: str,
    by: Any,
    request: HttpRequest | None = None,
) -> Finding:
    review = finding.review
    _refuse_if_final(review)
    text = _check_finding(review, kind, area, text)
    if kind != finding.kind and _has_actions(finding):
        raise ApplicationError(
            "An action in the school's plan comes from this finding, so it stays an area for development."
        )
    before = audit.snapshot(finding, ["kind", "area_id", "text"])
    finding.kind, finding.area, finding.text = kind, area, text
    finding.save(update_fields=["kind", "area", "text"])
    after = audit.snapshot(finding, ["kind", "area_id", "text"])
    audit.record(
        by, "update", finding, detail=audit.changes(before, after), request=request, school_id=review.school_id
    )
    return finding


@transaction.atomic
def finding_remove(*, finding: Finding, by: Any, request: HttpRequest | None = None) -> None:
    review = finding.review
    _refuse_if_final(review)
    if _has_actions(finding):
        raise ApplicationError("An action in the school's plan comes from this finding, so it cannot be removed.")
    audit.record(by, "delete", finding, detail={"text": finding.text}, request=request, school_id=review.school_id)
    finding.delete()


def missing_judgements(review: Review) -> list[FrameworkArea]:
    """The framework's required areas the team has not judged yet."""
    judged = set(AreaJudgement.objects.filter(review=review).values_list("area_id", flat=True))
    areas = FrameworkArea.objects.filter(framework_id=review.cycle.framework_id, optional=False)
    return [area for area in areas if area.pk not in judged]


@transaction.atomic
def findings_agree(*, review: Review, by: Any, request: HttpRequest | None = None) -> Review:
    """The team marks its grades and findings agreed: the review moves to "Findings agreed"."""
    review = Review.objects.select_for_update().select_related("cycle").get(pk=review.pk)
    if stage_at_least(review, Review.Stage.FINDINGS):
        raise ApplicationError("The findings are already agreed.")
    missing = missing_judgements(review)
    if missing:
        names = ", ".join(area.name for area in missing)
        raise ApplicationError(f"Grade every area before agreeing the findings. Not graded yet: {names}.")
    if not Finding.objects.filter(review=review).exists():
        raise ApplicationError("Add at least one strength or area for development before agreeing the findings.")
    _set_stage(review, Review.Stage.FINDINGS, by, request)
    return review


# --- Area of Excellence -----------------------------------------------------------------------------


@transaction.atomic
def excellence_put_forward(
    *, review: Review, title: str, description: str, by: Any, request: HttpRequest | None = None
) -> AreaOfExcellence:
    """The school's leaders put forward (or reword) their Area of Excellence; a reworded one goes
    back to the team to decide again."""
    _refuse_if_final(review)
    title, description = title.strip(), description.strip()
    if not title:
        raise ApplicationError("Enter a title for the Area of Excellence", field="title")
    if not description:
        raise ApplicationError("Describe the Area of Excellence", field="description")
    aoe, created = AreaOfExcellence.objects.update_or_create(
        review=review,
        defaults={
            "title": title,
            "description": description,
            "put_forward_by": by,
            "endorsed": None,
            "team_comment": "",
            "decided_by": None,
            "decided_at": None,
        },
    )
    audit.record(
        by, "create" if created else "update", aoe, detail={"title": title}, request=request, school_id=review.school_id
    )
    return aoe


@transaction.atomic
def excellence_decide(
    *, review: Review, endorsed: bool, comment: str, by: Any, request: HttpRequest | None = None
) -> AreaOfExcellence:
    """The team endorses the school's Area of Excellence, or not, with a comment."""
    _refuse_if_final(review)
    aoe = AreaOfExcellence.objects.filter(review=review).first()
    if aoe is None:
        raise ApplicationError("The school has not put forward an Area of Excellence yet.")
    if not endorsed and not comment.strip():
        raise ApplicationError("Say why the team does not endorse it", field="comment")
    aoe.endorsed = endorsed
    aoe.team_comment = comment.strip()
    aoe.decided_by = by
    aoe.decided_at = timezone.now()
    aoe.save()
    audit.record(by, "decide", aoe, detail={"endorsed": endorsed}, request=request, school_id=review.school_id)
    return aoe


# --- The report -------------------------------------------------------------------------------------


def _grade_text(judgement: AreaJudgement, area: FrameworkArea) -> str:
    if area.met_or_not:
        return {True: "met", False: "not met"}.get(judgement.met, "not judged")  # type: ignore[arg-type]
    return judgement.grade.label if judgement.grade else "not graded"


def draft_summary(review: Review) -> str:
    """The report's opening summary, written from the judgements and findings (the team edits it)."""
    judgements = list(AreaJudgement.objects.filter(review=review).select_related("area", "grade"))
    findings = list(Finding.objects.filter(review=review).select_related("area"))
    lines = [f"The review team visited {review.school.name} for the {review.cycle.name}."]
    if review.enquiry_question:
        lines.append(f"The school's enquiry question: {review.enquiry_question.strip()}")
    if judgements:
        lines.append("")
        lines.append("The team's judgements:")
        lines += [
            f"- {j.area.name}: {_grade_text(j, j.area)}." + (f" {j.summary.strip()}" if j.summary.strip() else "")
            for j in judgements
        ]
    strengths = [f for f in findings if f.kind == Finding.Kind.STRENGTH]
    development = [f for f in findings if f.kind == Finding.Kind.DEVELOPMENT]
    if strengths:
        lines.append("")
        lines.append("What the school does well:")
        lines += [f"- {f.text}" for f in strengths]
    if development:
        lines.append("")
        lines.append("Even better if:")
        lines += [f"- {f.text}" for f in development]
    return "\n".join(lines)


def _require_findings(review: Review) -> None:
    if not stage_at_least(review, Review.Stage.FINDINGS):
        raise ApplicationError("The team agrees the findings before the report is written.")


@transaction.atomic
def report_save_summary(*, review: Review, summary: str, by: Any, request: HttpRequest | None = None) -> ReviewReport:
    """Start the draft report (from `draft_summary` when `summary` is empty) or save the team's edit."""
    _require_findings(review)
    _refuse_if_final(review)
    summary = summary.strip() or draft_summary(review)
    report, created = ReviewReport.objects.get_or_create(review=review, defaults={"summary": summary})
    if not created:
        report.summary = summary
        report.updated_at = timezone.now()
        report.save(update_fields=["summary", "updated_at"])
    audit.record(by, "create" if created else "update", report, request=request, school_id=review.school_id)
    return report


@transaction.atomic
def report_respond(*, review: Review, response: str, by: Any, request: HttpRequest | None = None) -> ReviewReport:
    """The school's leaders add the school's response to the draft report."""
    _require_findings(review)
    _refuse_if_final(review)
    report = _report_or_none(review)
    if report is None:
        raise ApplicationError("The team has not drafted the report yet.")
    report.school_response = response.strip()
    report.updated_at = timezone.now()
    report.save(update_fields=["school_response", "updated_at"])
    audit.record(by, "respond", report, request=request, school_id=review.school_id)
    return report


@transaction.atomic
def report_finalise(*, review: Review, by: Any, request: HttpRequest | None = None) -> ReviewReport:
    """The lead reviewer makes the report final: no more edits; the review moves to "Report final"
    and, unless it has one, its impact review is due about a term (12 weeks) on."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    report = _report_or_none(review)
    if report is None:
        raise ApplicationError("Draft the report before making it final.")
    if report.status == ReviewReport.Status.FINAL:
        raise ApplicationError("The report is already final.")
    report.status = ReviewReport.Status.FINAL
    report.finalised_by = by
    report.finalised_at = timezone.now()
    report.save(update_fields=["status", "finalised_by", "finalised_at"])
    audit.record(by, "finalise", report, request=request, school_id=review.school_id)
    if review.impact_due_on is None:
        review.impact_due_on = timezone.localdate() + IMPACT_AFTER
        review.save(update_fields=["impact_due_on"])
    if not stage_at_least(review, Review.Stage.REPORTED):
        _set_stage(review, Review.Stage.REPORTED, by, request)
    return report


@transaction.atomic
def report_share(*, review: Review, level: str, by: Any, request: HttpRequest | None = None) -> ReviewReport:
    """The school chooses who beyond itself reads its report: its review team, or its partnerships
    (once the report is final)."""
    report = _report_or_none(review)
    if report is None:
        raise ApplicationError("There is no report to share yet.")
    if level == Sharing.OWN_SCHOOL:
        raise ApplicationError("The review team always reads the report it wrote.", field="sharing")
    record_sharing_choice(obj=report, subject="report", school=review.school, level=level, by=by, request=request)
    return report


# --- Improvement workshop ---------------------------------------------------------------------------


@transaction.atomic
def workshop_save(
    *, review: Review, workshop_on: datetime.date | None, notes: str, by: Any, request: HttpRequest | None = None
) -> Review:
    before = audit.snapshot(review, ["workshop_on", "workshop_notes"])
    review.workshop_on = workshop_on
    review.workshop_notes = notes.strip()
    review.version += 1
    review.save(update_fields=["workshop_on", "workshop_notes", "version"])
    after = audit.snapshot(review, ["workshop_on", "workshop_notes"])
    audit.record(by, "update", review, detail=audit.changes(before, after), request=request, school_id=review.school_id)
    return review


@dataclass(frozen=True)
class PriorityChoice:
    id: int
    label: str


def priority_choices(user: Any, review: Review) -> list[PriorityChoice]:
    """The school's plan priorities this person may see, as offered by the evidence registry."""
    found: list[PriorityChoice] = []
    for item in school_evidence(user, review.school, review.cycle.academic_year):
        if item.kind == "priority" and item.ref.startswith("priority:"):
            number = item.ref.split(":", 1)[1]
            if number.isdigit():
                found.append(PriorityChoice(int(number), item.label))
    return found


def _priority_model() -> Any:
    return Action._meta.get_field("priority").related_model


@transaction.atomic
def workshop_action_create(
    *,
    finding: Finding,
    title: str,
    owner: Any,
    due_on: datetime.date | None,
    priority_id: int | None,
    by: Any,
    request: HttpRequest | None = None,
) -> Action:
    """An action in the school's plan from an area for development, optionally under one of the
    school's plan priorities."""
    review = finding.review
    if finding.kind != Finding.Kind.DEVELOPMENT:
        raise ApplicationError("Actions are agreed for areas for development.")
    if not stage_at_least(review, Review.Stage.FINDINGS):
        raise ApplicationError("Agree the findings before planning actions from them.")
    if owner is None or owner.school_id != review.school_id:
        raise ApplicationError(f"Choose someone at {review.school.name} to own the action.", field="owner")
    priority = None
    if priority_id is not None:
        if priority_id not in {choice.id for choice in priority_choices(by, review)}:
            raise ApplicationError("Choose one of the school's plan priorities.", field="priority")
        priority = _priority_model().objects.get(pk=priority_id)
    area = finding.area.name if finding.area_id and finding.area else "general"
    return action_create(
        title=title.strip() or finding.text[:200],
        owner=owner,
        created_by=by,
        school=review.school,
        due_on=due_on,
        description=finding.text,
        source=finding,
        source_label=f"Peer review: {area}",
        priority=priority,
        request=request,
    )


def finding_actions(user: Any, findings: list[Finding]) -> dict[int, list[Action]]:
    """The actions (that this person may see) agreed from each finding. One query."""
    ct = ContentType.objects.get_for_model(Finding)
    rows = (
        access.visible_to(user, Action)
        .filter(source_type=ct, source_id__in=[f.pk for f in findings])
        .select_related("owner")
        .order_by("due_on", "id")
    )
    found: dict[int, list[Action]] = {}
    for action in rows:
        found.setdefault(int(action.source_id or 0), []).append(action)
    return found


# --- Impact review ----------------------------------------------------------------------------------


@transaction.atomic
def impact_record(*, finding: Finding, impact: str, note: str, by: Any, request: HttpRequest | None = None) -> Finding:
    """What changed for one area for development, a term after the report."""
    review = finding.review
    if finding.kind != Finding.Kind.DEVELOPMENT:
        raise ApplicationError("The impact review looks at the areas for development.")
    if not stage_at_least(review, Review.Stage.REPORTED):
        raise ApplicationError("The impact review comes after the report is final.")
    if impact not in Finding.Impact.values:
        raise ApplicationError("Choose how far it has changed", field="impact")
    finding.impact = impact
    finding.impact_note = note.strip()
    finding.impact_recorded_by = by
    finding.impact_recorded_at = timezone.now()
    finding.save(update_fields=["impact", "impact_note", "impact_recorded_by", "impact_recorded_at"])
    audit.record(by, "impact", finding, detail={"impact": impact}, request=request, school_id=review.school_id)
    return finding


@transaction.atomic
def impact_complete(*, review: Review, by: Any, request: HttpRequest | None = None) -> Review:
    """Close the impact review once every area for development has its impact recorded."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.stage != Review.Stage.REPORTED:
        if review.stage == Review.Stage.IMPACT:
            raise ApplicationError("The impact review is already done.")
        raise ApplicationError("The impact review comes after the report is final.")
    if Finding.objects.filter(review=review, kind=Finding.Kind.DEVELOPMENT, impact="").exists():
        raise ApplicationError("Record what changed for every area for development first.")
    review.impact_reviewed_on = timezone.localdate()
    review.save(update_fields=["impact_reviewed_on"])
    _set_stage(review, Review.Stage.IMPACT, by, request)
    return review
