"""Access rules for outcomes: pupil-level data for the pupil's own school's authorised staff only.
Registered with `partnership.core.access`."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from partnership.core import access
from partnership.core.access import RESULT_IMPORT_ROLES, Principal, everyone, pupil_school


def _pupil_rows(path: str) -> Callable[[Principal], Q]:
    def scope(p: Principal) -> Q:
        school_id = pupil_school(p)
        return Q(**{path: school_id}) if school_id else Q(pk__in=[])

    return scope


def register() -> None:
    access.register(
        "outcomes.pupil",
        name="Pupil-level data (pupils, their years, results, teacher assessments, imports)",
        scope=_pupil_rows("school_id"),
        pupil_level=True,
        view="ONLY authorised staff of the pupil's own school: headteacher, senior leaders, data lead, SENCO. "
        "Not other schools, coordinators, advisers, governors, or platform administrators",
        act="`import_results` on a School: its headteacher, senior leaders and data lead",
    )
    for label, path in [
        ("outcomes.pupilyear", "pupil__school_id"),
        ("outcomes.result", "pupil__school_id"),
        ("outcomes.teacherassessment", "pupil__school_id"),
        ("outcomes.resultimport", "school_id"),
    ]:
        access.register(label, scope=_pupil_rows(path), pupil_level=True)
    access.register(
        "directory.school",
        name="Outcome aggregates",
        rules={
            "view_pupils": lambda p, o: pupil_school(p) == o.pk,
            "import_results": lambda p, o: p.school_id == o.pk and bool(p.school_roles & RESULT_IMPORT_ROLES),
        },
        view="anyone who can view the school; unsuppressed only for the school's own staff "
        "(`sees_unsuppressed`), small groups hidden for everyone else (governors included)",
        act="read-only figures",
    )
    access.register(
        "outcomes.nationalfigure",
        name="National figures",
        scope=everyone,
        rules={"load": lambda p, _: bool(p.coordinates)},
        view="anyone signed in (published statistics)",
        act="`load` (add, correct, upload the official explore-education-statistics file; the source is "
        "recorded and every change audited): partnership coordinators and platform administrators",
    )
