"""The session, sample, exemplar, attendance and agreement pages, end to end through the test client:
what each person sees, and that other schools never see a pupil, a school or a teacher of a sample."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.directory.tests.factories import member_school, staff
from partnership.moderation import samples, sessions
from partnership.moderation.models import ModerationSession, Sample
from partnership.moderation.tests import factories

pytestmark = pytest.mark.django_db

PUPIL, UPN = "Zebedee Quartermain", "A12345678901B"


@pytest.fixture
def setup(shared_world):
    w = shared_world
    w["teacher"].full_name = "Tabitha Classteacher"
    w["teacher"].save(update_fields=["full_name"])
    session = factories.session(w.home, host=w.partner, by=w["coordinator"])
    sessions.add_moderator(session, w["partner_teacher"], actor=w["coordinator"])
    sample = samples.submit_sample(
        session=session,
        school=w.own,
        actor=w["teacher"],
        teacher=w["teacher"],
        teacher_judgement="GDS",
        pupil_name=PUPIL,
        upn=UPN,
        files=[SimpleUploadedFile("zebedee.png", factories.png_bytes(), content_type="image/png")],
    )
    return w, session, sample


def page(client, user, name, *args, status=200, **params):
    client.force_login(user)
    response = client.get(reverse(f"moderation:{name}", args=args), params)
    assert response.status_code == status, (name, user, response.status_code)
    return response.content.decode() if status == 200 else ""


def test_a_coordinator_sets_up_a_session(client, shared_world):
    w = shared_world
    client.force_login(w["coordinator"])
    response = client.post(
        reverse("moderation:session_create", args=[w.home.slug]),
        {
            "kind": "moderation",
            "subject": "writing",
            "year_group": "4",
            "date": (datetime.date.today() + datetime.timedelta(days=20)).isoformat(),
            "host_school": w.own.pk,
            "sample_rule": "teacher_examples",
        },
    )
    made = ModerationSession.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("moderation:session_detail", args=[made.pk])
    assert made.host_school == w.own and made.title == "Year 4 writing moderation"


def test_a_missing_field_says_what_to_do(client, shared_world):
    w = shared_world
    client.force_login(w["coordinator"])
    response = client.post(reverse("moderation:session_create", args=[w.home.slug]), {"kind": "moderation"})
    assert response.status_code == 200
    assert "Enter the date of the session" in response.content.decode()


def test_a_teacher_submits_a_sample_with_its_grid_and_sees_the_pupil(client, shared_world):
    w = shared_world
    session = factories.session(w.home, host=w.partner, by=w["coordinator"])
    client.force_login(w["teacher"])
    response = client.post(
        reverse("moderation:sample_submit", args=[session.pk]),
        {
            "pupil_name": PUPIL,
            "upn": "",
            "teacher": w["teacher"].pk,
            "teacher_judgement": "EXS",
            "selection": "teacher_example",
            "context": "Independent writing.",
            "piece-0": "Narrative",
            "piece-1": "Report",
            "grid-wts1": ["0", "1"],
            "grid-exs2": "0",
            "files": [SimpleUploadedFile("a.jpg", factories.jpeg_bytes(), content_type="image/jpeg")],
        },
    )
    sample = Sample.objects.get()
    assert response.status_code == 302
    assert sample.pieces == ["Narrative", "Report"] and sample.grid == {"wts1": [0, 1], "exs2": [0]}
    html = page(client, w["teacher"], "sample_detail", sample.pk)
    assert PUPIL in html and "Narrative" in html
    assert AuditEvent.objects.filter(verb="view_pupils", detail__page="sample").exists()


def test_a_refused_upload_is_shown_on_the_form(client, shared_world):
    w = shared_world
    session = factories.session(w.home, host=w.partner, by=w["coordinator"])
    client.force_login(w["teacher"])
    response = client.post(
        reverse("moderation:sample_submit", args=[session.pk]),
        {
            "pupil_name": PUPIL,
            "teacher_judgement": "EXS",
            "selection": "teacher_example",
            "files": [SimpleUploadedFile("a.jpg", b"MZ not a photo", content_type="image/jpeg")],
        },
    )
    assert response.status_code == 200 and "its content is not one" in response.content.decode()
    assert not Sample.objects.exists()


@pytest.mark.parametrize("viewer", ["partner_teacher", "coordinator", "partner_head"])
def test_other_schools_never_see_the_pupil_the_school_or_the_teacher(client, setup, viewer):
    w, session, sample = setup
    samples.offer_exemplar(
        sample, actor=w["head"], annotation="Assured control of formality."
    ) if samples.record_judgement(sample, actor=w["partner_teacher"], judgement="GDS") else None
    pages = [
        ("session_detail", session.pk),
        ("sample_detail", sample.pk),
        ("exemplar_bank", w.home.slug),
    ]
    for name, arg in pages:
        html = page(client, w[viewer], name, arg)
        # (the session page of those who run it offers every member school's staff as moderators)
        secrets = (PUPIL, UPN) if name == "session_detail" else (PUPIL, UPN, w["teacher"].full_name)
        for secret in secrets:
            assert secret not in html, (viewer, name, secret)
        # those who run the session (coordinator, host head) see counts of samples per school there
        if name != "session_detail" or viewer == "partner_teacher":
            assert "Own Primary" not in html, (viewer, name)
        assert sample.code in html


def test_the_file_is_served_to_the_moderator_under_the_code_and_not_to_outsiders(client, setup):
    w, _, sample = setup
    file = sample.files.get()
    client.force_login(w["partner_teacher"])
    response = client.get(reverse("moderation:sample_file", args=[file.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert f'filename="{sample.code}-1.png"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("inline")
    client.force_login(w["outside_head"])
    assert client.get(reverse("moderation:sample_file", args=[file.pk])).status_code == 403


def test_a_moderator_judges_and_the_school_sees_the_outcome(client, setup):
    w, _, sample = setup
    client.force_login(w["partner_teacher"])
    response = client.post(
        reverse("moderation:sample_judge", args=[sample.pk]),
        {"judgement": "EXS", "comment": "Formality not yet assured."},
    )
    assert response.status_code == 302
    html = page(client, w["teacher"], "sample_detail", sample.pk)
    assert "Formality not yet assured." in html and "Not agreed" in html
    # the teacher of the sample's school may not judge it
    client.force_login(w["teacher"])
    assert client.post(reverse("moderation:sample_judge", args=[sample.pk]), {"judgement": "GDS"}).status_code == 403


def test_the_own_school_moderator_cannot_judge_their_own_schools_sample(client, setup):
    w, session, sample = setup
    sessions.add_moderator(session, w["head"], actor=w["coordinator"])
    client.force_login(w["head"])
    assert client.post(reverse("moderation:sample_judge", args=[sample.pk]), {"judgement": "GDS"}).status_code == 403


def test_agreement_names_other_schools_only_for_coordinators(client, setup):
    w, session, sample = setup
    samples.record_judgement(sample, actor=w["partner_teacher"], judgement="GDS")
    theirs = factories.sample(session, w.partner, by=w["partner_teacher"], judgement="EXS")
    samples.record_judgement(theirs, actor=w["teacher"], judgement="WTS")
    coordinator = page(client, w["coordinator"], "agreement_partnership", w.home.slug)
    assert "Own Primary" in coordinator and "Partner Primary" in coordinator
    head = page(client, w["head"], "agreement_partnership", w.home.slug)
    assert "Own Primary" in head and "Partner Primary" not in head and "Other schools" in head
    by_year = page(client, w["head"], "agreement_partnership", w.home.slug, by="year_group")
    assert "Year 6" in by_year
    page(client, w["governor"], "agreement_partnership", w.home.slug, status=403)
    school = page(client, w["teacher"], "agreement_school", w.own.slug)
    assert "Year 6" in school
    page(client, w["partner_head"], "agreement_school", w.own.slug, status=403)


def test_attendance_is_recorded_by_those_who_run_the_session(client, setup):
    w, session, _ = setup
    client.force_login(w["partner_head"])  # the host school's head
    response = client.post(
        reverse("moderation:attendance", args=[session.pk]), {"person": w["teacher"].pk, "status": "present"}
    )
    assert response.status_code == 302
    html = page(client, w["teacher"], "attendance", session.pk)
    assert w["teacher"].full_name in html and "Present: 1" in html
    client.force_login(w["teacher"])
    response = client.post(
        reverse("moderation:attendance", args=[session.pk]), {"person": w["teacher"].pk, "status": "absent"}
    )
    assert response.status_code == 403


def _count(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(w, session, n):
    for _ in range(n):
        school = member_school(w.home)
        teacher = staff(school, Role.TEACHER)
        sessions.add_moderator(session, teacher, actor=w["coordinator"])
        for judgement in ("WTS", "EXS", "GDS"):
            sample = factories.sample(session, school, by=teacher, judgement=judgement, with_file=True)
            samples.record_judgement(sample, actor=w["partner_teacher"], judgement="EXS")
            factories.sample(session, w.own, by=w["teacher"], judgement=judgement, with_file=True)
        sessions.record_attendance(session, teacher, "present", actor=w["coordinator"])


@pytest.mark.parametrize("viewer", ["coordinator", "partner_teacher", "teacher"])
def test_session_pages_do_not_grow_with_samples_schools_or_moderators(client, setup, viewer):
    w, session, sample = setup
    urls = [
        reverse("moderation:session_detail", args=[session.pk]),
        reverse("moderation:attendance", args=[session.pk]),
        reverse("moderation:exemplar_bank", args=[w.home.slug]),
        reverse("moderation:index"),
    ]
    if viewer != "teacher":
        urls.append(reverse("moderation:agreement_partnership", args=[w.home.slug]))
    _grow(w, session, 1)
    small = [_count(client, w[viewer], url) for url in urls]
    _grow(w, session, 4)
    assert [_count(client, w[viewer], url) for url in urls] == small


def test_the_sample_page_does_not_grow_with_pages_or_judgements(client, setup):
    w, session, sample = setup
    url = reverse("moderation:sample_detail", args=[sample.pk])
    samples.record_judgement(sample, actor=w["partner_teacher"], judgement="GDS")
    small = _count(client, w["teacher"], url)
    for _ in range(3):
        teacher = staff(member_school(w.home), Role.TEACHER)
        sessions.add_moderator(session, teacher, actor=w["coordinator"])
        samples.record_judgement(sample, actor=teacher, judgement="GDS")
        samples.add_pages(
            sample, [SimpleUploadedFile("p.png", factories.png_bytes(), content_type="image/png")], actor=w["teacher"]
        )
    assert _count(client, w["teacher"], url) == small


def test_a_coordinator_starts_comparative_judgement_from_the_session(client, setup):
    w, session, _ = setup
    html = page(client, w["coordinator"], "session_detail", session.pk)
    assert f"?source={session.pk}" in html
    client.force_login(w["coordinator"])
    form = client.get(reverse("moderation:cj_create", args=[w.home.slug]), {"source": session.pk}).content.decode()
    assert "Year 6 writing" in form and f'value="{session.pk}" checked' in form.replace("\n", " ")
    # a forged source is ignored, not an error
    assert client.get(reverse("moderation:cj_create", args=[w.home.slug]), {"source": "x'1"}).status_code == 200
    assert f"?source={session.pk}" not in page(client, w["teacher"], "session_detail", session.pk)
