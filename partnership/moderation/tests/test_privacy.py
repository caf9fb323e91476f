"""Privacy of moderation samples, page by page: no pupil's name or UPN ever reaches anyone but the
staff of the pupil's own school, and the sample pages and the exemplar bank never name the sample's
school or teacher to anyone else either (the session page's counts per school and its people picker
for those who run it are allowed). Stored photos carry no EXIF, and `SampleIdentity` is invisible to
the platform administrator."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from partnership.core import access
from partnership.core.roles import Role
from partnership.directory.tests.factories import World, staff
from partnership.moderation import samples, sessions
from partnership.moderation.models import Sample, SampleFile, SampleIdentity
from partnership.moderation.tests import factories

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Pupil:
    name: str
    upn: str


OWN_PUPILS = [Pupil("Zebedee Quartermain", "A12345678901B"), Pupil("Ottoline Fairweather", "C11122233344D")]
PARTNER_PUPIL = Pupil("Philomena Ravensworth", "B98765432109C")
OWN_TEACHER, PARTNER_TEACHER = "Tabitha Classteacher", "Percival Marchbanks"


def _upload(name: str = "page.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, factories.png_bytes(), content_type="image/png")


@pytest.fixture
def scene(shared_world: World) -> dict[str, Any]:
    """A session of `home` hosted by Partner Primary, moderated by the partner teacher and the own
    head: two samples from Own Primary, one from Partner Primary, each school's first sample agreed
    and in the exemplar bank."""
    w = shared_world
    w["teacher"].full_name = OWN_TEACHER
    w["teacher"].save(update_fields=["full_name"])
    partner_class_teacher = staff(w.partner, Role.TEACHER, full_name=PARTNER_TEACHER)
    session = factories.session(w.home, host=w.partner, by=w["coordinator"])
    sessions.add_moderator(session, w["partner_teacher"], actor=w["coordinator"])
    sessions.add_moderator(session, w["head"], actor=w["coordinator"])
    sessions.record_attendance(session, w["teacher"], "present", actor=w["coordinator"])

    def submit(school: Any, teacher: Any, pupil: Pupil) -> Sample:
        return samples.submit_sample(
            session=session,
            school=school,
            actor=teacher,
            teacher=teacher,
            teacher_judgement="EXS",
            pupil_name=pupil.name,
            upn=pupil.upn,
            files=[_upload(f"{pupil.name}.png")],
        )

    own = [submit(w.own, w["teacher"], pupil) for pupil in OWN_PUPILS]
    partner = submit(w.partner, partner_class_teacher, PARTNER_PUPIL)
    samples.record_judgement(own[0], actor=w["partner_teacher"], judgement="EXS")
    samples.record_judgement(partner, actor=w["head"], judgement="EXS")
    samples.offer_exemplar(own[0], actor=w["head"], annotation="Secure throughout.")
    samples.offer_exemplar(partner, actor=w["partner_head"], annotation="Secure throughout.")
    return {"w": w, "session": session, "own": own, "partner": partner}


# What is secret from whom: a school's pupils, teacher and name, from everyone not on its staff.
def _secrets(w: World, school: str) -> dict[str, list[str]]:
    if school == "own":
        pupils, teacher, name = OWN_PUPILS, OWN_TEACHER, w.own.name
    else:
        pupils, teacher, name = [PARTNER_PUPIL], PARTNER_TEACHER, w.partner.name
    return {"pupil": [p.name for p in pupils] + [p.upn for p in pupils], "school": [name, teacher]}


# Viewer -> the schools whose secrets they must not see, and the samples they may open (by the
# policy: staff of the school; moderators; coordinators; everyone in the partnership for the bank).
VIEWERS = {
    "partner_head": (("own",), {"own0", "partner"}),  # hosts the session; own0 through the bank
    "partner_teacher": (("own",), {"own0", "own1", "partner"}),  # a moderator
    "head": (("partner",), {"own0", "own1", "partner"}),  # a moderator, from the other school
    "coordinator": (("own", "partner"), {"own0", "own1", "partner"}),
    "adviser": (("own", "partner"), {"own0", "partner"}),  # the bank only
    "governor": (("own", "partner"), {"own0", "partner"}),  # not staff: the bank only
    "outside_head": (("own", "partner"), set()),
    "admin": (("own", "partner"), {"own0", "own1", "partner"}),
}


def _pages(scene: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, url, kind) for every GET page of urls_samples.py; kind "sample" for the pages about
    one sample and the exemplar bank (where the school and teacher are secret too)."""
    w, session = scene["w"], scene["session"]
    named = {"own0": scene["own"][0], "own1": scene["own"][1], "partner": scene["partner"]}
    pages = [
        ("session_create", reverse("moderation:session_create", args=[w.home.slug]), "session"),
        ("session_detail", reverse("moderation:session_detail", args=[session.pk]), "session"),
        ("session_edit", reverse("moderation:session_edit", args=[session.pk]), "session"),
        ("attendance", reverse("moderation:attendance", args=[session.pk]), "session"),
        ("sample_submit", reverse("moderation:sample_submit", args=[session.pk]), "session"),
        ("exemplar_bank", reverse("moderation:exemplar_bank", args=[w.home.slug]), "sample"),
        ("agreement_school own", reverse("moderation:agreement_school", args=[w.own.slug]), "session"),
        ("agreement_school partner", reverse("moderation:agreement_school", args=[w.partner.slug]), "session"),
    ]
    for by in ("school", "year_group", "subject"):
        url = reverse("moderation:agreement_partnership", args=[w.home.slug]) + f"?by={by}"
        pages.append((f"agreement_partnership by {by}", url, "session"))
    for label, sample in named.items():
        pages.append((f"sample_detail {label}", reverse("moderation:sample_detail", args=[sample.pk]), "sample"))
        pages.append((f"sample_edit {label}", reverse("moderation:sample_edit", args=[sample.pk]), "sample"))
        for page in sample.files.all():
            pages.append((f"sample_file {label}", reverse("moderation:sample_file", args=[page.pk]), "file"))
    return pages


@pytest.mark.parametrize("viewer", sorted(VIEWERS))
def test_no_page_shows_another_schools_pupil_school_or_teacher(client, scene, viewer):
    w = scene["w"]
    hidden_from, may_open = VIEWERS[viewer]
    pupils = [s for school in hidden_from for s in _secrets(w, school)["pupil"]]
    schools_and_teachers = [s for school in hidden_from for s in _secrets(w, school)["school"]]
    client.force_login(w[viewer])
    leaks, opened = [], set()
    for label, url, kind in _pages(scene):
        response = client.get(url)
        if response.status_code in (403, 404):
            continue
        assert response.status_code == 200, (viewer, label, response.status_code)
        if label.startswith("sample_detail"):
            opened.add(label.split()[-1])
        if kind == "file":
            # the page itself is the pupil's work; what names it must not say whose it is
            b"".join(response.streaming_content)  # read to the end, which closes the file
            text = response["Content-Disposition"]
        else:
            text = response.content.decode()
        secrets = pupils + (schools_and_teachers if kind in ("sample", "file") else [])
        leaks += [(label, secret) for secret in secrets if secret in text]
    assert not leaks, f"{viewer} sees {leaks}"
    assert opened == may_open, f"{viewer} opened samples {sorted(opened)}, the policy says {sorted(may_open)}"


def test_the_schools_own_staff_see_their_pupils_and_nobody_elses(client, scene):
    # the counterpart of the above: the names are there to be hidden
    w = scene["w"]
    client.force_login(w["teacher"])
    html = client.get(reverse("moderation:session_detail", args=[scene["session"].pk])).content.decode()
    assert all(p.name in html for p in OWN_PUPILS) and PARTNER_PUPIL.name not in html
    html = client.get(reverse("moderation:sample_detail", args=[scene["own"][0].pk])).content.decode()
    assert OWN_PUPILS[0].name in html and OWN_PUPILS[0].upn in html and OWN_TEACHER in html


def test_sample_identity_is_never_visible_to_the_platform_administrator(scene):
    w = scene["w"]
    assert SampleIdentity.objects.count() == 3
    assert not access.visible_to(w["admin"], SampleIdentity).exists()
    assert not access.can(w["admin"], "view", scene["own"][0].identity)
    # and to the schools: each its own pupils only; moderators and coordinators none
    own_ids = {s.identity.pk for s in scene["own"]}
    assert set(access.visible_to(w["teacher"], SampleIdentity).values_list("pk", flat=True)) == own_ids
    assert set(access.visible_to(w["partner_head"], SampleIdentity).values_list("pk", flat=True)) == {
        scene["partner"].identity.pk
    }
    for person in ("coordinator", "adviser", "governor", "outside_head"):
        assert not access.visible_to(w[person], SampleIdentity).exists(), person


def _metadata(content: bytes) -> tuple[Any, dict[Any, Any]]:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image.getexif(), image.info


def test_photos_are_stored_and_served_without_exif(client, shared_world):
    w = shared_world
    session = factories.session(w.home, host=w.partner, by=w["coordinator"])
    jpeg, png = factories.jpeg_bytes(exif=True), factories.png_bytes(exif=True)
    # the uploads do carry EXIF: a camera owner's name and a GPS position
    for content in (jpeg, png):
        exif, _ = _metadata(content)
        assert exif.get(0x013B) == "Mrs Class Teacher" and 0x8825 in exif
    client.force_login(w["teacher"])
    response = client.post(
        reverse("moderation:sample_submit", args=[session.pk]),
        {
            "pupil_name": OWN_PUPILS[0].name,
            "upn": OWN_PUPILS[0].upn,
            "teacher_judgement": "EXS",
            "selection": "teacher_example",
            "files": [
                SimpleUploadedFile("IMG_0042.jpg", jpeg, content_type="image/jpeg"),
                SimpleUploadedFile("scan.png", png, content_type="image/png"),
            ],
        },
    )
    assert response.status_code == 302
    stored = list(SampleFile.objects.filter(sample__session=session).order_by("number"))
    assert [page.content_type for page in stored] == ["image/jpeg", "image/png"]
    for page in stored:
        with page.file.open("rb") as handle:
            content = handle.read()
        exif, info = _metadata(content)
        assert not dict(exif), (page.number, dict(exif))
        assert "exif" not in info and b"Mrs Class Teacher" not in content, page.number
        assert "IMG_0042" not in page.file.name and "scan" not in page.file.name
        served = client.get(reverse("moderation:sample_file", args=[page.pk]))
        assert b"".join(served.streaming_content) == content
