"""Access matrix entries for moderation sessions, samples, the exemplar bank, attendance and agreement
(gathered by access_entries.py). The expectations come from the sentences of
`partnership/moderation/policy.py` and the engine's two rules (`partnership/core/access.py`):
pupil-level rows (`SampleIdentity`) have no administrator bypass; administrators may do the rest.

Scopes, per kind of object:
- A partnership ("own" = "partner" = `home`, "outside" = `other`): setting up sessions, the
  exemplar bank, the partnership's agreement.
- A session: "own" is a session of `home` hosted by Own Primary, "partner" one of `home` hosted by
  Partner Primary (so the cast's head runs the first and not the second), "outside" one of `other`
  hosted by Outside Primary. Each has a moderator (the partner teacher; the outside teacher for
  `other`).
- A sample: "own" is a sample of Own Primary and "partner" one of Partner Primary, each in a session
  of `home` hosted by Partner Primary whose moderators are the cast's head and the partner head;
  "outside" is a sample of Outside Primary in a session of `other` moderated by the outside teacher.
  So the head sees a partner sample as a moderator (and may judge it), the teacher does not.
- An exemplar: the scope's sample, agreed by a moderator from another school, in the bank with its
  headteacher's consent.
- A school (its agreement): Own, Partner, Outside Primary.

POST entries carry payloads that the view accepts, so an allowed person gets a 302. Payloads that
depend on the scope (a host school, a person of the session's partnership) are left on the world by
the scope's builder under `made`, which runs before the payload is read.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from partnership.core.tests.matrix import VIEW, Entry, grid, obj, partnership_slug, post, school_slug
from partnership.directory.tests.factories import World
from partnership.moderation.models import Attendance, Exemplar, ModerationSession, ModeratorJudgement, SampleFile
from partnership.moderation.tests import factories

#                     head     teacher  governor coord    adviser  out_head admin
# Partnership `run_moderation`: its coordinators and member schools' headteachers and senior leaders.
RUN_MODERATION = grid("AA.",   "...",   "...",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# Session `manage` (details, moderators, stage, attendance): the partnership's coordinators and the
# host school's headteacher and senior leaders (the own head hosts "own" only).
MANAGE = grid(        "A..",   "...",   "...",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# Session `submit_samples`: staff of the partnership's member schools (not governors, coordinators or
# advisers). Not administrators either: submitting records who the pupil is (`SampleIdentity`,
# pupil-level, "act: staff of the pupil's own school"), and an administrator has no school.
SUBMIT = grid(        "AA.",   "AA.",   "...",   "...",   "...",   "..A",   "...")  # fmt: skip
# Sample "view": staff of its school; by code, the session's moderators (the head, for "partner") and
# the partnership's coordinators. Not governors, not advisers who do not moderate.
SAMPLE_VIEW = grid(   "AA.",   "A..",   "...",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# Sample `edit` (files, teacher judgement, evidence grid, withdraw): staff of the sample's school.
SAMPLE_EDIT = grid(   "A..",   "A..",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# The change page shows and changes who the pupil is (`SampleIdentity`: "staff of the pupil's own
# school only (pupil-level: no administrator ...)"), so no administrator bypass there.
SAMPLE_IDENTITY = grid("A..",  "A..",   "...",   "...",   "...",   "..A",   "...")  # fmt: skip
# Sample `moderate`: the session's moderators from other schools (the head moderates, but never
# their own school's sample). A judgement is the moderator's own: no administrator makes it.
MODERATE = grid(      ".A.",   "...",   "...",   "...",   "...",   "...",   "...")  # fmt: skip
# Sample `offer_exemplar`: the school's headteacher and senior leaders. The consent is the school's:
# no administrator gives it.
OFFER = grid(         "A..",   "...",   "...",   "...",   "...",   "..A",   "...")  # fmt: skip
# Exemplar `withdraw`: the school's headteacher and senior leaders, and the partnership's coordinators.
WITHDRAW = grid(      "A..",   "...",   "...",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# Partnership `view_moderation_agreement`: its coordinators, advisers and member schools' staff.
AGREEMENT = grid(     "AA.",   "AA.",   "...",   "AA.",   "AA.",   "..A",   "AAA")  # fmt: skip
# School `view_school_agreement`: its staff and the coordinators and advisers of its partnerships.
SCHOOL_AGREEMENT = grid("A..", "A..",   "...",   "AA.",   "AA.",   "..A",   "AAA")  # fmt: skip


def _keep(w: World, **found: Any) -> None:
    """Leave what a builder made on the world, for the entry's payload."""
    w.__dict__.setdefault("made", {}).update(found)


def _made(w: World, name: str) -> Any:
    return w.__dict__["made"][name]


def _partnership_with_host(w: World, scope: str) -> dict[str, Any]:
    host = w.outside if scope == "outside" else w.own
    _keep(w, host=host)
    return partnership_slug(w, scope)


def _session(w: World, scope: str) -> ModerationSession:
    if scope == "outside":
        made = factories.session(w.other, host=w.outside, by=w["other_coordinator"])
        factories.moderator(made, w["outside_teacher"], by=w["other_coordinator"])
        _keep(w, session=made, newcomer=w["other_adviser"], attendee=w["outside_teacher"])
    else:
        made = factories.session(w.home, host=w.own if scope == "own" else w.partner, by=w["coordinator"])
        factories.moderator(made, w["partner_teacher"], by=w["coordinator"])
        _keep(w, session=made, newcomer=w["adviser"], attendee=w["teacher"])
    return made


def session_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _session(w, scope).pk}


def moderator_place(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _session(w, scope).moderators.get().pk}


def attendance_row(w: World, scope: str) -> dict[str, Any]:
    made = _session(w, scope)
    row = Attendance.objects.create(
        session=made, person=_made(w, "attendee"), school=_made(w, "attendee").school, recorded_by=made.created_by
    )
    return {"pk": row.pk}


def _sample(w: World, scope: str, *, agreed: bool = False, pages: int = 1) -> Any:
    if scope == "outside":
        made = factories.session(w.other, host=w.outside, by=w["other_coordinator"])
        factories.moderator(made, w["outside_teacher"], by=w["other_coordinator"])
        school, teacher, moderator = w.outside, w["outside_teacher"], w["outside_teacher"]
    else:
        made = factories.session(w.home, host=w.partner, by=w["coordinator"])
        factories.moderator(made, w["head"], by=w["coordinator"])
        factories.moderator(made, w["partner_head"], by=w["coordinator"])
        if scope == "own":
            school, teacher, moderator = w.own, w["teacher"], w["partner_head"]
        else:
            school, teacher, moderator = w.partner, w["partner_teacher"], w["head"]
    sample = factories.sample(made, school, by=teacher, judgement="EXS", with_file=True)
    for number in range(2, pages + 1):
        SampleFile.objects.create(
            sample=sample,
            number=number,
            file=SimpleUploadedFile(f"{sample.code}-{number}.png", factories.png_bytes(), content_type="image/png"),
            content_type="image/png",
            size=len(factories.png_bytes()),
            uploaded_by=teacher,
        )
    if agreed:
        ModeratorJudgement.objects.create(sample=sample, moderator=moderator, judgement=sample.teacher_judgement)
    return sample


def sample_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _sample(w, scope).pk}


def agreed_sample_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _sample(w, scope, agreed=True).pk}


def sample_page(w: World, scope: str) -> dict[str, Any]:
    # Two pages, so that removing one is allowed.
    return {"pk": _sample(w, scope, pages=2).files.get(number=2).pk}


def sample_file(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _sample(w, scope).files.get().pk}


def exemplar_pk(w: World, scope: str) -> dict[str, Any]:
    sample = _sample(w, scope, agreed=True)
    head = {"own": "head", "partner": "partner_head", "outside": "outside_head"}[scope]
    made = Exemplar.objects.create(
        sample=sample, standard=sample.teacher_judgement, annotation="Assured throughout.", consented_by=w[head]
    )
    return {"pk": made.pk}


def _new_session(w: World) -> dict[str, Any]:
    return {
        "kind": "moderation",
        "subject": "writing",
        "year_group": "4",
        "date": "2031-03-10",
        "host_school": _made(w, "host").pk,
        "sample_rule": "teacher_examples",
    }


def _session_details(w: World) -> dict[str, Any]:
    made = _made(w, "session")
    return {
        "kind": "standardisation",
        "subject": made.subject,
        "year_group": made.year_group,
        "date": made.date.isoformat(),
        "host_school": made.host_school_id,
        "sample_rule": "cohort_share",
        "venue": "The hall",
    }


def _upload(name: str = "page.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, factories.jpeg_bytes(), content_type="image/jpeg")


def _new_sample(w: World) -> dict[str, Any]:
    return {
        "pupil_name": "Matrix Pupil",
        "upn": "",
        "teacher": "",
        "teacher_judgement": "EXS",
        "selection": "teacher_example",
        "context": "Independent writing.",
        "files": [_upload()],
    }


def _sample_details(w: World) -> dict[str, Any]:
    return {
        "pupil_name": "Matrix Pupil",
        "upn": "",
        "teacher": "",
        "teacher_judgement": "EXS",
        "selection": "cohort_sample",
        "context": "Written after a class trip.",
    }


ENTRIES: dict[str, Entry] = {
    # --- sessions ---------------------------------------------------------------------------
    "moderation:session_create": obj("moderation:session_create", partnership_slug, RUN_MODERATION),
    "moderation:session_create+save": post(
        "moderation:session_create", _partnership_with_host, RUN_MODERATION, data=_new_session
    ),
    "moderation:session_detail": obj("moderation:session_detail", session_pk, VIEW),
    "moderation:session_edit": obj("moderation:session_edit", session_pk, MANAGE),
    "moderation:session_edit+save": post("moderation:session_edit", session_pk, MANAGE, data=_session_details),
    "moderation:session_status": post(
        "moderation:session_status", session_pk, MANAGE, data=lambda w: {"status": "moderating"}
    ),
    "moderation:moderator_add": post(
        "moderation:moderator_add", session_pk, MANAGE, data=lambda w: {"person": _made(w, "newcomer").pk}
    ),
    "moderation:moderator_remove": post("moderation:moderator_remove", moderator_place, MANAGE),
    # The attendance list: with the session, to everyone who can view the partnership.
    "moderation:attendance": obj("moderation:attendance", session_pk, VIEW),
    "moderation:attendance+record": post(
        "moderation:attendance",
        session_pk,
        MANAGE,
        data=lambda w: {"person": _made(w, "attendee").pk, "status": "apologies"},
    ),
    "moderation:attendance_remove": post("moderation:attendance_remove", attendance_row, MANAGE),
    # --- samples ----------------------------------------------------------------------------
    "moderation:sample_submit": obj("moderation:sample_submit", session_pk, SUBMIT),
    "moderation:sample_submit+save": post("moderation:sample_submit", session_pk, SUBMIT, data=_new_sample),
    "moderation:sample_detail": obj("moderation:sample_detail", sample_pk, SAMPLE_VIEW),
    "moderation:sample_file": obj("moderation:sample_file", sample_file, SAMPLE_VIEW),
    "moderation:sample_edit": obj("moderation:sample_edit", sample_pk, SAMPLE_IDENTITY),
    "moderation:sample_edit+save": post("moderation:sample_edit", sample_pk, SAMPLE_IDENTITY, data=_sample_details),
    "moderation:sample_pages_add": post(
        "moderation:sample_pages_add", sample_pk, SAMPLE_EDIT, data=lambda w: {"files": [_upload("more.jpg")]}
    ),
    "moderation:sample_page_remove": post("moderation:sample_page_remove", sample_page, SAMPLE_EDIT),
    "moderation:sample_withdraw": post("moderation:sample_withdraw", sample_pk, SAMPLE_EDIT),
    "moderation:sample_judge": post(
        "moderation:sample_judge", sample_pk, MODERATE, data=lambda w: {"judgement": "GDS", "comment": "Assured."}
    ),
    # --- the exemplar bank ------------------------------------------------------------------
    "moderation:exemplar_offer": post(
        "moderation:exemplar_offer",
        agreed_sample_pk,
        OFFER,
        data=lambda w: {"annotation": "Assured control of formality.", "consent": "on"},
    ),
    "moderation:exemplar_withdraw": post("moderation:exemplar_withdraw", exemplar_pk, WITHDRAW),
    # The bank: everyone who can view the partnership (by code only).
    "moderation:exemplar_bank": obj("moderation:exemplar_bank", partnership_slug, VIEW),
    # --- agreement --------------------------------------------------------------------------
    "moderation:agreement_partnership": obj("moderation:agreement_partnership", partnership_slug, AGREEMENT),
    "moderation:agreement_school": obj("moderation:agreement_school", school_slug, SCHOOL_AGREEMENT),
}
