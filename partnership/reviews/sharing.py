"""A school's data-sharing choices for its SEF and its review reports: the one place they are
recorded (who decided, when), so the school's data-sharing record can list them with their history."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from partnership.core import audit
from partnership.core.errors import ApplicationError
from partnership.core.registry import SharingChoiceRecord, SharingDecision
from partnership.reviews.models import ReviewReport, SelfEvaluation, Sharing, SharingChoice


def record_sharing_choice(
    *, obj: Any, subject: str, school: Any, level: str, by: Any, request: HttpRequest | None = None
) -> SharingChoice:
    """Set `obj.sharing` to `level` and record the choice. The caller holds the transaction and has
    checked the policy; `obj` is a SelfEvaluation or a ReviewReport."""
    if level not in Sharing.values:
        raise ApplicationError("Choose who can see it from the list.", field="sharing")
    old = obj.sharing
    choice = SharingChoice.objects.create(
        school=school, subject=subject, object_id=obj.pk, level=level, decided_by=by, decided_at=timezone.now()
    )
    obj.sharing = level
    if hasattr(obj, "sharing_decided_by_id"):
        obj.sharing_decided_by = by
        obj.sharing_decided_at = choice.decided_at
    obj.save()
    audit.record(by, "share", obj, detail={"from": old, "to": level}, request=request, school_id=school.pk)
    return choice


def sharing_history(school: Any, subject: str, object_id: int) -> list[SharingChoice]:
    """Every choice made for one object, newest first."""
    return list(
        SharingChoice.objects.filter(school=school, subject=subject, object_id=object_id)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
    )


def _decision(choice: SharingChoice) -> SharingDecision:
    return SharingDecision(choice.get_level_display(), str(choice.decided_by), choice.decided_at)


def school_review_sharing(school: Any) -> list[SharingChoiceRecord]:
    """The reviews' part of the school's data-sharing record: each SEF's and each review report's
    choice in force, who decided and when, and the earlier choices. Three queries, whatever the
    SEFs and reports: the SEFs, the reports and every choice the school has made."""
    sefs = list(SelfEvaluation.objects.filter(school=school).select_related("created_by", "sharing_decided_by"))
    reports = list(
        ReviewReport.objects.filter(review__school=school)
        .select_related("review__cycle__partnership")
        .order_by("-review__cycle__academic_year", "review__cycle__name", "review__round")
    )
    if not sefs and not reports:
        return []
    choices: dict[tuple[str, int], list[SharingChoice]] = {}
    for choice in (
        SharingChoice.objects.filter(school=school).select_related("decided_by").order_by("-decided_at", "-id")
    ):
        choices.setdefault((choice.subject, choice.object_id), []).append(choice)
    records = []
    for sef in sorted(sefs, key=lambda s: -s.academic_year):
        made = [_decision(c) for c in choices.get((SharingChoice.Subject.SEF, sef.pk), [])]
        # A SEF starts shared with its own school only, by whoever started it.
        started = SharingDecision(Sharing.OWN_SCHOOL.label, str(sef.created_by), sef.created_at)
        if made:
            decisions = [*made, started]
        elif sef.sharing == Sharing.OWN_SCHOOL:
            decisions = [started]
        else:  # set without a recorded choice (loaded data): what the SEF itself says
            by = sef.sharing_decided_by
            decisions = [SharingDecision(sef.get_sharing_display(), str(by) if by else "", sef.sharing_decided_at)]
        records.append(
            SharingChoiceRecord(
                subject="Self-evaluation",
                item=f"Self-evaluation {sef.year_label}",
                partnership="Each partnership",
                current=decisions[0],
                history=tuple(decisions[1:]),
                url=reverse("reviews:sef_detail", args=[sef.pk]) + "#sharing",
                note="A review team reads the SEF of the year it reviews the school, when the school shares it "
                "with the team or with its partnerships.",
            )
        )
    for report in reports:
        review = report.review
        made = [_decision(c) for c in choices.get((SharingChoice.Subject.REPORT, report.pk), [])]
        if not made:  # the level the report was written with: its review team reads it
            made = [SharingDecision(report.get_sharing_display(), "", None)]
        note = "The review team always reads the report it wrote."
        if report.status != ReviewReport.Status.FINAL:
            note += " Others in the partnerships read it only once it is final, and only if the school shares it."
        records.append(
            SharingChoiceRecord(
                subject="Peer review report",
                item=f"{review.cycle.name}{f', round {review.round}' if review.round > 1 else ''} "
                f"({review.cycle.partnership.name}): {report.get_status_display().lower()}",
                partnership="Each partnership",
                current=made[0],
                history=tuple(made[1:]),
                url=reverse("reviews:report_detail", args=[review.pk]),
                note=note,
            )
        )
    return records
