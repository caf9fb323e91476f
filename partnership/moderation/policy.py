"""Access rules for moderation and comparative judgement. Registered with `partnership.core.access`.

A session is the partnership's: everyone who can view the partnership sees that it happens. A
sample is its school's: the school's staff see it with the pupil's name (`SampleIdentity`, pupil-
level, nobody else ever); the session's moderators, the partnership's coordinators and the judges
of a CJ session that includes it see it by its code only, never its school or teacher. Moderators'
judgements go back to the school. An exemplar, once the school consents, is the partnership's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from partnership.core import access
from partnership.core.access import Principal, child_scope
from partnership.core.roles import STAFF_ROLES
from partnership.moderation.models import CJJudge, Moderator


def _staff_school(p: Principal) -> int | None:
    """The school whose samples this person handles: its staff (not its governors)."""
    return p.school_id if p.school_id and p.school_roles & STAFF_ROLES else None


def _live(p: Principal) -> frozenset[int]:
    return p.partnership_ids


def moderating(p: Principal) -> Any:
    """The sessions this person moderates, in partnerships they have not left."""
    return (
        Moderator.objects.filter(person_id=p.user_id)
        .exclude(session__partnership_id__in=p.former_partnerships)
        .values("session_id")
    )


def judging(p: Principal) -> Any:
    """The CJ sessions this person judges, in partnerships they have not left."""
    return (
        CJJudge.objects.filter(person_id=p.user_id)
        .exclude(session__partnership_id__in=p.former_partnerships)
        .values("session_id")
    )


def scope_session(p: Principal) -> Q:
    return Q(partnership_id__in=_live(p))


def _own_samples(p: Principal, prefix: str = "") -> Q:
    school = _staff_school(p)
    return Q(**{f"{prefix}school_id": school}) if school else Q(pk__in=[])


def scope_sample(p: Principal) -> Q:
    from partnership.moderation.models import CJScript, Exemplar

    in_cj = CJScript.objects.filter(session_id__in=judging(p)).values("sample_id")
    banked = Exemplar.objects.filter(withdrawn_at__isnull=True, sample__session__partnership_id__in=_live(p)).values(
        "sample_id"
    )
    return (
        _own_samples(p)
        | Q(session_id__in=moderating(p))
        | Q(session__partnership_id__in=p.coordinates)
        | Q(pk__in=in_cj)
        | Q(pk__in=banked)
    )


def _scope_identity(p: Principal) -> Q:
    school = _staff_school(p)
    return Q(sample__school_id=school) if school else Q(pk__in=[])


def _scope_judgement(p: Principal) -> Q:
    return (
        _own_samples(p, "sample__")
        | Q(sample__session_id__in=moderating(p))
        | Q(sample__session__partnership_id__in=p.coordinates)
    )


def scope_exemplar(p: Principal) -> Q:
    own = _own_samples(p, "sample__")
    return own | Q(withdrawn_at__isnull=True, sample__session__partnership_id__in=_live(p))


def _scope_pairs(p: Principal) -> Q:
    return Q(judge__person_id=p.user_id, session_id__in=judging(p)) | Q(session__partnership_id__in=p.coordinates)


def leads_school(p: Principal, school_id: int | None) -> bool:
    return school_id is not None and p.school_id == school_id and p.is_school_leader


def runs_session(p: Principal, session: Any) -> bool:
    """The partnership's coordinators, and the host school's headteacher and senior leaders."""
    return session.partnership_id in p.coordinates or leads_school(p, session.host_school_id)


def member_staff(p: Principal, partnership_id: int) -> bool:
    return _staff_school(p) is not None and partnership_id in p.school_partnerships


def is_moderator(p: Principal, session: Any) -> bool:
    return (
        session.partnership_id not in p.former_partnerships
        and Moderator.objects.filter(session_id=session.pk, person_id=p.user_id).exists()
    )


def may_moderate(p: Principal, sample: Any) -> bool:
    """A moderator of the session, not from the sample's school."""
    return sample.school_id != p.school_id and is_moderator(p, sample.session)


def is_judge(p: Principal, session: Any) -> bool:
    return (
        session.partnership_id not in p.former_partnerships
        and CJJudge.objects.filter(session_id=session.pk, person_id=p.user_id).exists()
    )


def manages_cj(p: Principal, session: Any) -> bool:
    return session.partnership_id in p.coordinates


def _runs_moderation(p: Principal, partnership: Any) -> bool:
    return partnership.pk in p.coordinates or (partnership.pk in p.school_partnerships and p.is_school_leader)


def _sees_agreement(p: Principal, partnership: Any) -> bool:
    return partnership.pk in p.coordinates or partnership.pk in p.advises or member_staff(p, partnership.pk)


def agreement_schools(p: Principal, school_ids: Iterable[int]) -> set[int]:
    """Of these schools, those whose agreement this person may see (`view_school_agreement`): their
    own school's staff, and the coordinators and advisers of the school's current partnerships. One
    query at most, however many schools."""
    ids = set(school_ids)
    found = {pk for pk in ids if pk == _staff_school(p)}
    partnerships = p.coordinates | p.advises
    rest = ids - found
    if partnerships and rest:
        from partnership.directory.models import Membership

        members = Membership.objects.current().filter(school_id__in=rest, partnership_id__in=partnerships)
        found |= set(members.values_list("school_id", flat=True))
    return found


def _sees_school_agreement(p: Principal, school: Any) -> bool:
    return school.pk in agreement_schools(p, [school.pk])


def register() -> None:
    access.register(
        "directory.partnership",
        name="Partnership (moderation)",
        rules={
            "run_moderation": _runs_moderation,
            "run_cj": lambda p, o: o.pk in p.coordinates,
            "view_moderation_agreement": _sees_agreement,
        },
        view="as Partnership",
        act="`run_moderation` (set up a moderation or standardisation session): its coordinators and member "
        "schools' headteachers and senior leaders; `run_cj` (set up a comparative-judgement session): its "
        "coordinators; `view_moderation_agreement` (agreement figures, other schools pooled unless named): its "
        "coordinators, advisers and member schools' staff",
    )
    access.register(
        "directory.school",
        name="School (moderation)",
        rules={"view_school_agreement": _sees_school_agreement},
        view="as School",
        act="`view_school_agreement` (the school's agreement by year group and subject): its staff and the "
        "coordinators and advisers of its partnerships",
    )
    access.register(
        "moderation.moderationsession",
        name="Moderation session",
        scope=scope_session,
        rules={
            "manage": runs_session,
            "submit_samples": lambda p, o: member_staff(p, o.partnership_id),
            "moderate": is_moderator,
        },
        view="people who can view the partnership (the session, its moderators and attendance: not the samples)",
        act="`manage` (details, moderators, status, attendance): the partnership's coordinators and the host "
        "school's headteacher and senior leaders; `submit_samples`: staff of the partnership's member schools; "
        "`moderate`: the session's moderators",
    )
    access.register(
        "moderation.moderator",
        name="Moderator place, attendance",
        scope=child_scope("moderation.moderationsession", "session_id"),
        view="with their session",
        act="as their session's rules",
    )
    access.register("moderation.attendance", scope=child_scope("moderation.moderationsession", "session_id"))
    access.register(
        "moderation.sample",
        name="Moderation sample (pseudonymised), its files",
        scope=scope_sample,
        rules={
            "edit": lambda p, o: _staff_school(p) == o.school_id,
            "moderate": may_moderate,
            "offer_exemplar": lambda p, o: leads_school(p, o.school_id),
        },
        personal=("moderate", "offer_exemplar"),
        view="staff of the sample's school; by its code only (never its school, teacher or pupil): the session's "
        "moderators, the partnership's coordinators, the judges of a CJ session that includes it, and everyone "
        "who can view the partnership once it is in the exemplar bank",
        act="`edit` (files, teacher judgement, evidence grid, withdraw): staff of the sample's school; `moderate`: "
        "the session's moderators from other schools; `offer_exemplar` (consent to the exemplar bank): the "
        "school's headteacher and senior leaders; no administrator does either for them",
    )
    access.register("moderation.samplefile", scope=child_scope("moderation.sample", "sample_id"))
    access.register(
        "moderation.sampleidentity",
        name="Sample's pupil (name, UPN)",
        scope=_scope_identity,
        pupil_level=True,
        view="staff of the pupil's own school only (pupil-level: no administrator, no other school, no moderator)",
        act="staff of the pupil's own school",
    )
    access.register(
        "moderation.moderatorjudgement",
        name="Moderator's judgement",
        scope=_scope_judgement,
        rules={"edit": lambda p, o: o.moderator_id == p.user_id},
        view="staff of the sample's school, the session's moderators and the partnership's coordinators",
        act="`edit`: the moderator who made it",
    )
    access.register(
        "moderation.exemplar",
        name="Exemplar",
        scope=scope_exemplar,
        rules={
            "withdraw": lambda p, o: leads_school(p, o.sample.school_id)
            or o.sample.session.partnership_id in p.coordinates
        },
        view="everyone who can view the partnership, by the sample's code only (a withdrawn exemplar: the "
        "school's staff)",
        act="`withdraw`: the school's headteacher and senior leaders (withdrawing consent) and the partnership's "
        "coordinators",
    )
    access.register(
        "moderation.cjsession",
        name="Comparative-judgement session",
        scope=scope_session,
        rules={"manage": manages_cj, "judge": is_judge},
        view="people who can view the partnership (the scale by script code; a school's own pupils and its "
        "'moderate next' list to the school's staff only; schools named to coordinators and advisers)",
        act="`manage` (scripts, anchors, judges, open, close, exports): the partnership's coordinators; `judge`: "
        "the invited judges",
    )
    access.register(
        "moderation.cjscript",
        name="CJ script, judge",
        scope=child_scope("moderation.cjsession", "session_id"),
        view="with their session",
        act="as their session's rules",
    )
    access.register("moderation.cjjudge", scope=child_scope("moderation.cjsession", "session_id"))
    access.register(
        "moderation.cjpair",
        name="CJ pair (a judge's decision)",
        scope=_scope_pairs,
        view="the judge who makes it and the partnership's coordinators",
        act="`judge` on the session: the judge it is planned for",
    )
