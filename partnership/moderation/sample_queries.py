"""Read-side queries for sessions, samples and the exemplar bank. Every list goes through the access
policy; a sample's pupil, school and teacher are read only for the sample's own school's staff."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q

from partnership.core import access
from partnership.core.roles import STAFF_ROLES
from partnership.directory.models import Partnership
from partnership.moderation import samples as sample_rules
from partnership.moderation.models import CJSession, Exemplar, ModerationSession, ModeratorJudgement, Sample


def staff_school(user: Any) -> int | None:
    """The school whose samples this person sees with names: their own, if they are on its staff."""
    principal = access.principal_for(user)
    return principal.school_id if principal.school_id and principal.school_roles & STAFF_ROLES else None


def _with_outcome(qs: Any) -> Any:
    return qs.prefetch_related(
        Prefetch("judgements", queryset=ModeratorJudgement.objects.select_related("moderator").order_by("created_at"))
    ).annotate(pages=Count("files", distinct=True))


def _outcome(sample: Sample) -> str:
    judgements = list(sample.judgements.all())
    if not judgements:
        return "Not moderated yet"
    return "Agreed" if sample_rules.is_agreed(sample, judgements) else "Not agreed"


def session_context(user: Any, session: ModerationSession) -> dict[str, Any]:
    """The session page: its moderators, the person's own school's samples (with the pupils' names),
    the samples they moderate (codes only), and for those who run it the samples they may see by
    code (all of them for coordinators) with counts per school. A fixed number of queries, however
    many samples or schools."""
    school = staff_school(user)
    moderators = list(session.moderators.select_related("person__school").order_by("person__full_name"))
    is_moderator = any(m.person_id == user.pk for m in moderators) and access.can(user, "moderate", session)
    can_manage = access.can(user, "manage", session)
    visible = access.visible_to(user, Sample).filter(session=session)
    own = (
        list(_with_outcome(visible.filter(school_id=school).select_related("identity", "teacher")).order_by("code"))
        if school
        else []
    )
    for sample in own:
        sample.outcome = _outcome(sample)  # type: ignore[attr-defined]
    to_moderate: list[Sample] = []
    if is_moderator:
        to_moderate = list(_with_outcome(visible.exclude(school_id=school or 0)).order_by("code"))
        for sample in to_moderate:
            mine = [j for j in sample.judgements.all() if j.moderator_id == user.pk]
            sample.my_judgement = mine[0] if mine else None  # type: ignore[attr-defined]
    everything: list[Sample] = []
    by_school: list[dict[str, Any]] = []
    if can_manage:
        everything = list(_with_outcome(visible).order_by("code"))
        for sample in everything:
            sample.outcome = _outcome(sample)  # type: ignore[attr-defined]
        by_school = list(
            Sample.objects.filter(session=session)
            .values("school__name")
            .annotate(count=Count("pk"))
            .order_by("school__name")
        )
    counts = Sample.objects.filter(session=session).aggregate(
        total=Count("pk"), moderated=Count("pk", filter=Q(judgements__isnull=False), distinct=True)
    )
    return {
        "moderators": moderators,
        "is_moderator": is_moderator,
        "can_manage": can_manage,
        "can_submit": access.can(user, "submit_samples", session) and session.status != session.Status.CLOSED,
        "own_samples": own,
        "to_moderate": to_moderate,
        "all_samples": everything,
        "by_school": by_school,
        "counts": counts,
        "attendance_count": session.attendance.count(),
        "can_run_cj": access.can(user, "run_cj", session.partnership),
        "cj_sessions": list(access.visible_to(user, CJSession).filter(source=session).order_by("-created_at")),
    }


def sample_context(user: Any, sample: Sample) -> dict[str, Any]:
    """The sample page: its pages, the grid, the judgements (to the school, its moderators and the
    coordinators), the person's own judgement, the exemplar state; the pupil for the school only."""
    is_own = staff_school(user) == sample.school_id
    judgements = list(
        access.visible_to(user, ModeratorJudgement)
        .filter(sample=sample)
        .select_related("moderator")
        .order_by("created_at")
    )
    for judgement in judgements:
        judgement.sample = sample  # for `agrees`, without a query per judgement
    all_judgements = list(sample.judgements.all()) if judgements else []
    exemplar = Exemplar.objects.filter(sample=sample).first()
    can_moderate = access.can(user, "moderate", sample) and sample.session.status != ModerationSession.Status.CLOSED
    agreed = sample_rules.is_agreed(sample, all_judgements)
    return {
        "is_own": is_own,
        "identity": getattr(sample, "identity", None) if is_own else None,
        "pages": list(sample.files.order_by("number")),
        "judgements": judgements,
        "outcome": _outcome(sample) if judgements else "",
        "my_judgement": next((j for j in judgements if j.moderator_id == user.pk), None),
        "can_moderate": can_moderate,
        "can_edit": access.can(user, "edit", sample) and sample.session.status != ModerationSession.Status.CLOSED,
        "can_offer_exemplar": agreed
        and (exemplar is None or not exemplar.is_current)
        and access.can(user, "offer_exemplar", sample),
        "exemplar": exemplar if exemplar and (exemplar.is_current or is_own) else None,
        "can_withdraw_exemplar": bool(exemplar and exemplar.is_current and access.can(user, "withdraw", exemplar)),
    }


def exemplar_bank(user: Any, partnership: Partnership, *, subject: str = "", year_group: str = "") -> list[Exemplar]:
    """The partnership's current exemplars, newest first, by code (the school only to its own staff)."""
    qs = (
        access.visible_to(user, Exemplar)
        .filter(withdrawn_at__isnull=True, sample__session__partnership=partnership)
        .select_related("sample__session")
        .annotate(pages=Count("sample__files"))
        .order_by("sample__session__year_group", "-consented_at")
    )
    if subject:
        qs = qs.filter(sample__session__subject=subject)
    if year_group:
        qs = qs.filter(sample__session__year_group=year_group)
    school = staff_school(user)
    rows = list(qs[:200])
    for row in rows:
        row.is_own = row.sample.school_id == school  # type: ignore[attr-defined]
    return rows
