"""Access matrix entries for the framework and SEF pages (gathered by access_entries.py).

Frameworks: "own" is a framework of `home` (made by its coordinator), "partner" a shipped framework
(everyone signed in may read it; only platform administrators may change it), "outside" a framework
of `other`. Only a partnership's coordinators change its frameworks.

SEFs: "own" is own school's SEF, "partner" the partner school's, "outside" the outside school's, each
shared with its own school only (the wider sharing levels are tested in test_sef_sharing.py). So
everyone at the school reads it (head, teacher, governor; outside_head for the outside school's)
and only its headteacher (and senior leaders) edit and share it; the partnership's coordinators and
advisers do not see an own-school SEF.
"""

from __future__ import annotations

from typing import Any

from partnership.core.schoolyear import current_academic_year
from partnership.core.tests.matrix import COORDINATORS, SIGNED_IN, Entry, grid, obj, partnership_slug, post, school_slug
from partnership.directory.tests.factories import World
from partnership.reviews.models import Framework, FrameworkArea, Grade, SefEvidence
from partnership.reviews.tests import factories

#                      head     teacher  governor coord    adviser  out_head admin
# Frameworks: a partnership's own to those who can view the partnership; shipped ones to everyone.
FW_VIEW = grid(        "AA.",   "AA.",   "AA.",   "AA.",   "AA.",   ".AA",   "AAA")  # fmt: skip
# Framework "manage": the partnership's coordinators; shipped ones: administrators only.
FW_MANAGE = grid(      "...",   "...",   "...",   "A..",   "...",   "...",   "AAA")  # fmt: skip
# School "manage_sef": its headteacher and senior leaders.
SEF_SCHOOL = grid(     "A..",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# A SEF shared with its own school only: view by people at the school.
SEF_VIEW = grid(       "A..",   "A..",   "A..",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# SEF "edit" and "share": the school's headteacher and senior leaders.
SEF_EDIT = grid(       "A..",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip


def _framework(w: World, scope: str) -> Framework:
    if scope == "partner":
        return factories.framework()
    partnership, by = (w.other, w["other_coordinator"]) if scope == "outside" else (w.home, w["coordinator"])
    made = Framework.objects.create(key=f"own-{scope}", name=f"{partnership.name} framework", partnership=partnership)
    made.created_by = by
    made.save()
    FrameworkArea.objects.create(framework=made, number=1, key="teaching", name="Teaching")
    Grade.objects.create(framework=made, rank=1, label="Strong")
    Grade.objects.create(framework=made, rank=2, label="Developing")
    return made


def framework_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _framework(w, scope).pk}


def _sef(w: World, scope: str) -> Any:
    school, head = {
        "own": (w.own, "head"),
        "partner": (w.partner, "partner_head"),
        "outside": (w.outside, "outside_head"),
    }[scope]
    return factories.sef(school, by=w[head])


def sef_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _sef(w, scope).pk}


def entry_of_scope(w: World, scope: str) -> dict[str, Any]:
    made = _sef(w, scope)
    return {"pk": made.pk, "entry_pk": made.entries.order_by("area__number").first().pk}


def evidence_of_scope(w: World, scope: str) -> dict[str, Any]:
    made = _sef(w, scope)
    entry = made.entries.order_by("area__number").first()
    evidence = SefEvidence.objects.create(
        entry=entry,
        kind=SefEvidence.Kind.DOCUMENT,
        label="Visit notes",
        url="https://example.org/n",
        added_by=made.created_by,
    )
    return {"pk": made.pk, "evidence_pk": evidence.pk}


def _framework_data(w: World) -> dict[str, Any]:
    return {"name": "Our framework", "areas": "Teaching\nLeadership", "grades": "Strong\nDeveloping"}


def _year_data(year: int) -> Any:
    return lambda w: {"academic_year": year, "framework": factories.framework().pk}


ENTRIES: dict[str, Entry] = {
    "reviews:framework_list": Entry("reviews:framework_list", SIGNED_IN),
    "reviews:framework_detail": obj("reviews:framework_detail", framework_pk, FW_VIEW),
    "reviews:framework_edit": obj("reviews:framework_edit", framework_pk, FW_MANAGE),
    "reviews:framework_edit+save": post("reviews:framework_edit", framework_pk, FW_MANAGE, data=_framework_data),
    "reviews:framework_create": obj("reviews:framework_create", partnership_slug, COORDINATORS),
    "reviews:framework_create+save": post(
        "reviews:framework_create", partnership_slug, COORDINATORS, data=_framework_data
    ),
    "reviews:sef_start": obj("reviews:sef_start", school_slug, SEF_SCHOOL),
    "reviews:sef_start+save": post(
        "reviews:sef_start", school_slug, SEF_SCHOOL, data=_year_data(current_academic_year())
    ),
    "reviews:sef_detail": obj("reviews:sef_detail", sef_pk, SEF_VIEW),
    "reviews:sef_history": obj("reviews:sef_history", sef_pk, SEF_VIEW),
    "reviews:sef_print": obj("reviews:sef_print", sef_pk, SEF_VIEW),
    "reviews:sef_pdf": obj("reviews:sef_pdf", sef_pk, SEF_VIEW),
    "reviews:sef_summary": obj("reviews:sef_summary", sef_pk, SEF_EDIT),
    "reviews:sef_summary+save": post(
        "reviews:sef_summary", sef_pk, SEF_EDIT, data=lambda w: {"summary": "A strong year.", "version": 1}
    ),
    "reviews:sef_entry_edit": obj("reviews:sef_entry_edit", entry_of_scope, SEF_EDIT),
    "reviews:sef_entry_edit+save": post(
        "reviews:sef_entry_edit", entry_of_scope, SEF_EDIT, data=lambda w: {"narrative": "Better.", "version": 1}
    ),
    "reviews:sef_evidence_add": obj("reviews:sef_evidence_add", entry_of_scope, SEF_EDIT),
    "reviews:sef_evidence_add+link": post(
        "reviews:sef_evidence_add",
        entry_of_scope,
        SEF_EDIT,
        data=lambda w: {"form": "link", "link-label": "Notes", "link-url": "https://example.org/notes"},
    ),
    "reviews:sef_evidence_remove": post("reviews:sef_evidence_remove", evidence_of_scope, SEF_EDIT),
    "reviews:sef_sharing": obj("reviews:sef_sharing", sef_pk, SEF_EDIT),
    "reviews:sef_sharing+save": post(
        "reviews:sef_sharing", sef_pk, SEF_EDIT, data=lambda w: {"sharing": "partnership"}
    ),
    "reviews:sef_copy": obj("reviews:sef_copy", sef_pk, SEF_EDIT),
    "reviews:sef_copy+save": post("reviews:sef_copy", sef_pk, SEF_EDIT, data=_year_data(current_academic_year() + 1)),
}
