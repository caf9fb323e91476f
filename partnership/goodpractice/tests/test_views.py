"""The good practice pages end to end through the test client: the register, an entry and its
evidence, needs and finding support, a request from asking to closed, ledgers, the matrix."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from partnership.directory.tests.factories import build_world
from partnership.goodpractice.models import EntryResource, Need, RegisterEntry, SupportRequest
from partnership.goodpractice.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    factories.areas()
    return w


def _login(client, user):
    client.force_login(user)
    return client


def test_a_head_puts_an_entry_forward_and_a_coordinator_endorses_it(client, world):
    _login(client, world["partner_head"])
    response = client.post(
        reverse("goodpractice:entry_create", args=["home"]),
        {
            "area": factories.area("maths").pk,
            "title": "Mastery maths",
            "description": "Daily maths meetings.",
            "contact": world["partner_head"].pk,
            "capacity": 2,
            "inspection": "",
        },
    )
    entry = RegisterEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("goodpractice:entry_detail", args=[entry.pk])
    assert entry.school == world.partner and entry.status == RegisterEntry.Status.PROPOSED
    response = client.post(
        reverse("goodpractice:entry_evidence", args=[entry.pk]),
        {"form": "note", "kind": "inspection", "label": "Ofsted 2025: Achievement, Strong standard"},
    )
    assert response.status_code == 302 and entry.evidence.get().kind == "inspection"
    _login(client, world["coordinator"])
    client.post(reverse("goodpractice:entry_endorse", args=[entry.pk]), {"note": "Board, 14 November"})
    entry.refresh_from_db()
    assert entry.status == RegisterEntry.Status.ENDORSED and entry.endorsed_how == "board"
    page = client.get(reverse("goodpractice:register", args=["home"]))
    assert "Mastery maths" in page.content.decode() and "Endorsed" in page.content.decode()
    pdf = client.get(reverse("goodpractice:register_pdf", args=["home"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_register_filters_and_search(client, world):
    factories.entry(world.home, world.partner, by=world["partner_head"], area_key="maths", title="Mastery maths")
    factories.entry(world.home, world.own, by=world["head"], area_key="eal", title="New arrivals welcome")
    _login(client, world["teacher"])
    url = reverse("goodpractice:register", args=["home"])
    body = client.get(url, {"area": "eal"}).content.decode()
    assert "New arrivals welcome" in body and "Mastery maths" not in body
    body = client.get(url, {"q": "mastery"}).content.decode()
    assert "Mastery maths" in body and "New arrivals" not in body
    body = client.get(url, {"school": "own-primary"}).content.decode()
    assert "New arrivals welcome" in body and "Mastery maths" not in body


def test_a_resource_file_is_checked_by_content(client, world):
    entry = factories.entry(world.home, world.partner, by=world["partner_head"])
    _login(client, world["partner_head"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("policy.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("goodpractice:resource_add", args=[entry.pk]), {"title": "Policy", "file": fake})
    assert response.status_code == 200 and "is called a PDF but its content is not one" in response.content.decode()
    assert not EntryResource.objects.exists()
    real = SimpleUploadedFile("policy.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(reverse("goodpractice:resource_add", args=[entry.pk]), {"title": "Policy", "file": real})
    assert response.status_code == 302
    resource = EntryResource.objects.get()
    _login(client, world["teacher"])
    download = client.get(reverse("goodpractice:resource_file", args=[resource.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_head_finds_support_for_their_own_need_and_the_other_head_accepts(client, world):
    entry = factories.entry(world.home, world.partner, by=world["partner_head"], area_key="maths")
    factories.entry(world.home, world.own, by=world["head"], area_key="maths", title="Our own maths")
    _login(client, world["head"])
    client.post(
        reverse("goodpractice:need_create", args=["own-primary"]),
        {"area": factories.area("maths").pk, "title": "Reasoning in Year 5"},
    )
    need = Need.objects.get()
    needs_page = client.get(reverse("goodpractice:school_needs", args=["own-primary"])).content.decode()
    assert "Reasoning in Year 5" in needs_page
    find = client.get(reverse("goodpractice:find_support", args=["own-primary"]), {"need": f"own|{need.pk}"})
    body = find.content.decode()
    assert entry.title in body and "Our own maths" not in body and "3 of 3 sessions free this term" in body
    ask = reverse("goodpractice:request_create", args=["own-primary", entry.pk]) + f"?need=own|{need.pk}&area=maths"
    response = client.post(ask, {"sessions": 2, "message": "Could we visit?"})
    req = SupportRequest.objects.get()
    assert response["Location"] == reverse("goodpractice:request_detail", args=[req.pk])
    # asked once: the suggestion now links to the request instead of offering to ask again
    again = client.get(reverse("goodpractice:find_support", args=["own-primary"]), {"need": f"own|{need.pk}"})
    again_body = again.content.decode()
    assert reverse("goodpractice:request_detail", args=[req.pk]) in again_body
    assert reverse("goodpractice:request_create", args=["own-primary", entry.pk]) not in again_body
    assert "Requested" in again_body
    _login(client, world["partner_head"])
    assert "Accept" in client.get(reverse("goodpractice:request_detail", args=[req.pk])).content.decode()
    client.post(reverse("goodpractice:request_accept", args=[req.pk]))
    req.refresh_from_db()
    assert req.status == SupportRequest.Status.ACCEPTED and req.reserved == 2
    client.post(
        reverse("goodpractice:request_plan", args=[req.pk]),
        {"plan": "Two visits", "sessions": 2, "visits": 2, "impact_target": "Year 5 reasoning"},
    )
    _login(client, world["head"])
    client.post(
        reverse("goodpractice:session_create", args=[req.pk]),
        {
            "day": timezone.localdate().isoformat(),
            "kind": "visit_host",
            "days": "0.5",
            "impact_note": "Saw reasoning prompts used well.",
        },
    )
    client.post(
        reverse("goodpractice:impact_create", args=[req.pk]),
        {"target": "", "impact": "partly", "note": "More pupils explain their answers."},
    )
    client.post(
        reverse("goodpractice:request_action", args=[req.pk]),
        {"title": "Trial prompts in Year 5", "owner": world["head"].pk},
    )
    client.post(reverse("goodpractice:request_close", args=[req.pk]))
    req.refresh_from_db()
    assert req.status == SupportRequest.Status.CLOSED and req.reserved == 0 and req.impact == "partly"
    ledger = client.get(reverse("goodpractice:school_ledger", args=["own-primary"])).content.decode()
    assert "Received: 1 session, 0.5 days" in ledger
    xlsx = client.get(reverse("goodpractice:school_ledger_xlsx", args=["own-primary"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["Ledger"].iter_rows(values_only=True))
    assert rows[1][:2] == ("Received", "Partner Primary") and rows[1][6] == 1
    _login(client, world["coordinator"])
    matrix = client.get(reverse("goodpractice:support_matrix", args=["home"])).content.decode()
    assert "Who could help whom" in matrix and "Partner Primary" in matrix
    book = load_workbook(io.BytesIO(client.get(reverse("goodpractice:partnership_ledger_xlsx", args=["home"])).content))
    schools = {row[0]: row for row in book["Schools"].iter_rows(min_row=2, values_only=True)}
    assert schools["Partner Primary"][1] == 1 and schools["Own Primary"][3] == 1


def test_an_unknown_need_or_area_is_a_404(client, world):
    _login(client, world["head"])
    url = reverse("goodpractice:find_support", args=["own-primary"])
    assert client.get(url, {"need": "own|999"}).status_code == 404
    need = Need.objects.create(
        school=world.own, academic_year=2026, area=factories.area(), title="x", created_by=world["head"]
    )
    from partnership.core.schoolyear import current_academic_year

    need.academic_year = current_academic_year()
    need.save()
    assert client.get(url, {"need": f"own|{need.pk}", "area": "nonsense"}).status_code == 404
    assert client.get(url, {"need": f"own|{need.pk}", "area": "reading"}).status_code == 200
