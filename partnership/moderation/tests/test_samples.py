"""Sessions and samples: what is saved, what is refused (and that nothing of a refused upload stays),
images stored without their metadata, the evidence grid, moderators' judgements, the exemplar bank."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.moderation import images, samples, sessions
from partnership.moderation.models import Attendance, Exemplar, ModerationSession, Sample, SampleFile
from partnership.moderation.scales import KS2_WRITING_STATEMENTS, grid_standard
from partnership.moderation.tests import factories

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def session(shared_world):
    w = shared_world
    return sessions.create_session(
        partnership=w.home,
        actor=w["coordinator"],
        subject="writing",
        year_group="6",
        date=datetime.date.today() + datetime.timedelta(days=10),
        host_school=w.partner,
    )


def submit(session, w, **kwargs):
    defaults = {
        "session": session,
        "school": w.own,
        "actor": w["teacher"],
        "teacher_judgement": "EXS",
        "pupil_name": "Ada Lovelace",
        "files": [upload("Ada Lovelace - writing.jpg", factories.jpeg_bytes())],
    }
    return samples.submit_sample(**(defaults | kwargs))


# Sessions


def test_a_session_takes_its_year_from_its_date_and_refuses_a_host_outside_the_partnership(shared_world):
    w = shared_world
    made = sessions.create_session(
        partnership=w.home, actor=w["coordinator"], subject="maths", year_group="R",
        date=datetime.date(2027, 3, 4), host_school=w.own,
    )  # fmt: skip
    assert made.academic_year == 2026 and made.title == "Reception maths moderation"
    with pytest.raises(ApplicationError) as error:
        sessions.create_session(
            partnership=w.home, actor=w["coordinator"], subject="maths", year_group="R",
            date=datetime.date(2027, 3, 4), host_school=w.outside,
        )  # fmt: skip
    assert error.value.field == "host_school"


def test_moderators_come_from_the_partnership_once_each(session, shared_world):
    w = shared_world
    sessions.add_moderator(session, w["partner_teacher"], actor=w["coordinator"])
    with pytest.raises(ApplicationError, match="already a moderator"):
        sessions.add_moderator(session, w["partner_teacher"], actor=w["coordinator"])
    with pytest.raises(ApplicationError, match="not on the staff"):
        sessions.add_moderator(session, w["outside_teacher"], actor=w["coordinator"])
    assert list(session.moderators.values_list("person", flat=True)) == [w["partner_teacher"].pk]


def test_a_moderator_who_has_judged_stays_on_the_record(session, shared_world):
    w = shared_world
    place = sessions.add_moderator(session, w["partner_teacher"], actor=w["coordinator"])
    sample = submit(session, w)
    samples.record_judgement(sample, actor=w["partner_teacher"], judgement="EXS")
    with pytest.raises(ApplicationError, match="stay on the record"):
        sessions.remove_moderator(place, actor=w["coordinator"])


def test_attendance_is_recorded_once_per_person_and_can_change(session, shared_world):
    w = shared_world
    sessions.record_attendance(session, w["teacher"], "apologies", actor=w["coordinator"])
    row = sessions.record_attendance(session, w["teacher"], "present", actor=w["coordinator"])
    assert Attendance.objects.filter(session=session).count() == 1 and row.status == "present"
    assert row.school == w.own
    with pytest.raises(ApplicationError):
        sessions.record_attendance(session, w["teacher"], "maybe", actor=w["coordinator"])


# Samples


def test_a_sample_gets_a_code_and_keeps_the_pupil_apart(session, shared_world):
    w = shared_world
    sample = submit(session, w, upn="a12345678901b".upper())
    assert len(sample.code) == 4 and sample.code.isalnum()
    assert sample.identity.pupil_name == "Ada Lovelace" and sample.identity.upn == "A12345678901B"
    page = sample.files.get()
    # the stored name is the code, never the uploader's file name (which named the pupil)
    assert "Ada" not in page.file.name and page.file.name.endswith(f"{sample.code}-1.jpg")
    assert AuditEvent.objects.filter(verb="submit").exists()


def test_photos_are_stored_without_their_exif_and_turned_the_right_way(session, shared_world):
    w = shared_world
    # orientation 6: the camera was turned, the picture must be rotated 90 degrees to show upright
    photo = factories.jpeg_bytes((8, 6), exif=True, orientation=6)
    assert b"Mrs Class Teacher" in photo
    sample = submit(session, w, files=[upload("IMG_0001.JPG", photo)])
    stored = sample.files.get()
    data = stored.file.open("rb").read()
    assert b"Mrs Class Teacher" not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif() == {} or len(image.getexif()) == 0
        assert image.size == (6, 8)
    assert (stored.width, stored.height) == (6, 8)


def test_png_text_and_exif_are_dropped_too(session, shared_world):
    w = shared_world
    png = factories.png_bytes(exif=True)
    sample = submit(session, w, files=[upload("scan.png", png, "image/png")])
    data = sample.files.get().file.open("rb").read()
    assert b"Mrs Class Teacher" not in data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("work.jpg", b"MZ\x90\x00 a program", "its content is not one"),
        ("work.heic", b"\x00\x00\x00\x18ftypheic", "cannot be uploaded"),
        ("work.doc", b"\xd0\xcf\x11\xe0old", "older Office format"),
        ("work.png", b"\x89PNG\r\n\x1a\n" + b"broken", "could not be read as an image"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_a_bad_page_refuses_the_whole_sample_and_saves_nothing(session, shared_world, name, data, message):
    w = shared_world
    files_before = SampleFile.objects.count()
    with pytest.raises(ApplicationError, match=message) as error:
        submit(session, w, files=[upload("good.jpg", factories.jpeg_bytes()), upload(name, data)])
    assert error.value.field == "files"
    assert Sample.objects.count() == 0 and SampleFile.objects.count() == files_before


def test_a_huge_page_and_too_many_pixels_are_refused(session, shared_world, monkeypatch):
    w = shared_world
    big = upload("big.pdf", b"%PDF-1.7\n" + b"0" * 100, "application/pdf")
    big.size = images.PAGE_LIMIT + 1
    with pytest.raises(ApplicationError, match="the largest allowed is 15 MB"):
        submit(session, w, files=[big])
    monkeypatch.setattr(images, "MAX_PIXELS", 10)
    with pytest.raises(ApplicationError, match="megapixels"):
        submit(session, w, files=[upload("photo.jpg", factories.jpeg_bytes((8, 6)))])
    assert Sample.objects.count() == 0


def test_a_pdf_is_kept_as_it_is(session, shared_world):
    w = shared_world
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    sample = submit(session, w, files=[upload("collection.pdf", pdf, "application/pdf")])
    assert sample.files.get().file.open("rb").read() == pdf


def test_the_judgement_must_be_on_the_session_scale(shared_world):
    w = shared_world
    eyfs = factories.session(w.home, host=w.own, by=w["coordinator"], subject="eyfs_literacy", year_group="R")
    with pytest.raises(ApplicationError, match="EMG or EXP"):
        submit(eyfs, w, teacher_judgement="GDS")
    assert submit(eyfs, w, teacher_judgement="EXP").teacher_judgement == "EXP"


def test_the_evidence_grid_is_checked_and_says_the_standard_it_reaches(session, shared_world):
    w = shared_world
    every_exs = {s.key: [0] for s in KS2_WRITING_STATEMENTS if s.standard in ("WTS", "EXS")}
    sample = submit(session, w, pieces=["Diary entry", "Persuasive letter"], grid=every_exs | {"gds1": [1]})
    assert sample.pieces == ["Diary entry", "Persuasive letter"]
    assert grid_standard(sample.grid, len(sample.pieces)) == "EXS"
    missing_one = dict(every_exs)
    del missing_one["exs3"]
    assert grid_standard(missing_one, 2) == "WTS"
    with pytest.raises(ApplicationError, match="not a statement"):
        submit(session, w, pieces=["A"], grid={"made_up": [0]})
    with pytest.raises(ApplicationError, match="no title"):
        submit(session, w, pieces=["A"], grid={"wts1": [3]})


def test_the_teachers_judgement_is_fixed_once_moderated(session, shared_world):
    w = shared_world
    sample = submit(session, w)
    samples.update_sample(sample, actor=w["teacher"], teacher_judgement="GDS")
    samples.record_judgement(sample, actor=w["partner_teacher"], judgement="EXS", comment="Not yet greater depth.")
    with pytest.raises(ApplicationError, match="stays as it was"):
        samples.update_sample(sample, actor=w["teacher"], teacher_judgement="EXS")
    with pytest.raises(ApplicationError, match="stays on the record"):
        samples.withdraw_sample(sample, actor=w["teacher"])


def test_a_moderator_changes_their_judgement_in_place(session, shared_world):
    w = shared_world
    sample = submit(session, w)
    samples.record_judgement(sample, actor=w["partner_teacher"], judgement="WTS")
    again = samples.record_judgement(sample, actor=w["partner_teacher"], judgement="EXS", comment="On reflection")
    assert sample.judgements.count() == 1 and again.judgement == "EXS" and again.agrees


def test_only_an_agreed_sample_enters_the_bank_and_consent_can_be_withdrawn_and_renewed(session, shared_world):
    w = shared_world
    sample = submit(session, w)
    with pytest.raises(ApplicationError, match="agreed with"):
        samples.offer_exemplar(sample, actor=w["head"], annotation="Secure EXS")
    samples.record_judgement(sample, actor=w["partner_teacher"], judgement="EXS")
    exemplar = samples.offer_exemplar(sample, actor=w["head"], annotation="Cohesion across paragraphs.")
    assert exemplar.standard == "EXS" and exemplar.consented_by == w["head"] and exemplar.is_current
    with pytest.raises(ApplicationError, match="already"):
        samples.offer_exemplar(sample, actor=w["head"], annotation="again")
    samples.withdraw_exemplar(exemplar, actor=w["head"])
    assert not Exemplar.objects.get(pk=exemplar.pk).is_current
    renewed = samples.offer_exemplar(sample, actor=w["head"], annotation="Renewed")
    assert renewed.pk == exemplar.pk and renewed.is_current and renewed.annotation == "Renewed"


def test_a_closed_session_takes_no_more_samples_or_judgements(session, shared_world):
    w = shared_world
    sample = submit(session, w)
    sessions.set_status(session, ModerationSession.Status.CLOSED, actor=w["coordinator"])
    session.refresh_from_db()
    with pytest.raises(ApplicationError, match="closed"):
        submit(session, w)
    with pytest.raises(ApplicationError, match="closed"):
        samples.record_judgement(sample, actor=w["partner_teacher"], judgement="EXS")


def test_removing_the_last_page_is_refused(session, shared_world):
    w = shared_world
    sample = submit(session, w)
    with pytest.raises(ApplicationError, match="at least one page"):
        samples.remove_page(sample.files.get(), actor=w["teacher"])
    samples.add_pages(sample, [upload("p2.png", factories.png_bytes(), "image/png")], actor=w["teacher"])
    samples.remove_page(sample.files.get(number=1), actor=w["teacher"])
    assert list(sample.files.values_list("number", flat=True)) == [2]


def test_changing_the_class_teacher_is_audited_and_stays_within_the_school(session, shared_world):
    w = shared_world
    sample = submit(session, w, teacher=w["teacher"])
    samples.update_sample(sample, actor=w["head"], teacher_judgement="EXS", teacher=w["head"])
    sample.refresh_from_db()
    assert sample.teacher == w["head"]
    event = AuditEvent.objects.filter(verb="update", object_id=str(sample.pk)).latest("at")
    assert event.detail["teacher_id"] == [str(w["teacher"].pk), str(w["head"].pk)]
    with pytest.raises(ApplicationError, match="work at the school"):
        samples.update_sample(sample, actor=w["head"], teacher_judgement="EXS", teacher=w["partner_teacher"])
    samples.update_sample(sample, actor=w["head"], teacher_judgement="EXS")  # left out: kept
    sample.refresh_from_db()
    assert sample.teacher == w["head"]
