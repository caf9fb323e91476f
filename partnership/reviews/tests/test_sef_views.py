"""The framework and SEF pages end to end: start, edit, the version conflict in words, history,
printable page and PDF; and the SEF page's query count does not grow with evidence or versions."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from partnership.core.schoolyear import current_academic_year
from partnership.reviews import sef, shipped
from partnership.reviews.models import Framework, SefEntry, SelfEvaluation
from partnership.reviews.tests import factories

pytestmark = pytest.mark.django_db


def test_a_head_starts_a_sef_with_the_default_framework_offered_first(client, world):
    client.force_login(world["head"])
    url = reverse("reviews:sef_start", args=[world.own.slug])
    form = client.get(url).context["form"]
    choices = form.fields["framework"].choices
    default = Framework.objects.get(key=shipped.OFSTED_2025, partnership=None)
    assert choices[0][0] == default.pk and form.initial["framework"] == default.pk
    assert not any("2019" in label for _, label in choices)
    assert f'href="{url}?historic=1"' in client.get(url).content.decode()
    historic = client.get(url + "?historic=1").context["form"].fields["framework"].choices
    assert any("kept for past self-evaluations" in label for _, label in historic)
    response = client.post(url, {"academic_year": current_academic_year(), "framework": default.pk})
    made = SelfEvaluation.objects.get(school=world.own)
    assert response["Location"] == reverse("reviews:sef_detail", args=[made.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Curriculum and teaching" in page and "Only people at your school" in page


def test_the_second_editor_is_told_their_change_was_not_saved(client, world):
    made = factories.sef(world.own, by=world["head"])
    entry = made.entries.get(area__key="achievement")
    url = reverse("reviews:sef_entry_edit", args=[made.pk, entry.pk])
    client.force_login(world["head"])
    first = client.post(url, {"narrative": "First.", "version": 1})
    assert first.status_code == 302
    second = client.post(url, {"narrative": "Second.", "version": 1})
    assert second.status_code == 200
    assert "Someone else saved a change to this self-evaluation" in second.content.decode()
    assert SefEntry.objects.get(pk=entry.pk).narrative == "First."


def test_a_met_or_not_area_offers_met_and_not_met(client, world):
    made = factories.sef(world.own, by=world["head"], graded=False)
    entry = made.entries.get(area__key="safeguarding")
    client.force_login(world["head"])
    url = reverse("reviews:sef_entry_edit", args=[made.pk, entry.pk])
    form = client.get(url).context["form"]
    assert "grade" not in form.fields and "met" in form.fields
    assert client.post(url, {"met": "not_met", "version": 1}).status_code == 302
    assert SefEntry.objects.get(pk=entry.pk).met is False


def test_the_history_page_shows_the_readable_diff(client, world):
    made = sef.sef_start(school=world.own, academic_year=2025, framework=factories.framework(), actor=world["head"])
    entry = made.entries.select_related("area", "sef").get(area__key="achievement")
    grade = made.framework.grades.get(rank=2)
    sef.sef_update_entry(entry=entry, version=1, grade=grade, narrative="Reading is weak.", actor=world["head"])
    entry.refresh_from_db()
    sef.sef_update_entry(entry=entry, version=2, grade=grade, narrative="Reading is strong.", actor=world["head"])
    client.force_login(world["teacher"])
    page = client.get(reverse("reviews:sef_history", args=[made.pk])).content.decode()
    assert "Achievement - self-grade: none -&gt; Strong standard" in page
    assert "Reading is <del>weak.</del><ins>strong.</ins>" in page


def test_a_coordinator_makes_a_framework_as_a_copy_then_edits_it(client, world):
    client.force_login(world["coordinator"])
    ofsted = factories.framework()
    response = client.post(
        reverse("reviews:framework_create", args=[world.home.slug]),
        {"name": "Home report card", "copy_of": ofsted.pk, "areas": "", "grades": ""},
    )
    fw = Framework.objects.get(partnership=world.home)
    assert response["Location"] == reverse("reviews:framework_detail", args=[fw.pk])
    assert fw.areas.count() == ofsted.areas.count()
    edit = client.get(reverse("reviews:framework_edit", args=[fw.pk]))
    assert "Safeguarding (met or not met)" in edit.content.decode()
    missing = client.post(reverse("reviews:framework_create", args=[world.home.slug]), {"name": "Empty"})
    assert missing.status_code == 200 and "Enter the framework" in missing.content.decode()
    listing = client.get(reverse("reviews:framework_list")).content.decode()
    assert "Home report card" in listing and "Ofsted report card" in listing


def test_the_pdf_is_a_real_pdf_with_the_school_and_areas(client, world):
    made = factories.sef(world.own, by=world["head"])
    client.force_login(world["head"])
    response = client.get(reverse("reviews:sef_pdf", args=[made.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Own Primary" in text
    for area in ("Inclusion", "Achievement", "Safeguarding"):
        assert area in text
    printable = client.get(reverse("reviews:sef_print", args=[made.pk])).content.decode()
    assert "Own Primary" in printable and "Expected standard" in printable


def _grow(made, by, n: int) -> None:
    """n more evidence links on every area and n more versions."""
    for entry in made.entries.select_related("area", "sef"):
        for i in range(n):
            sef.evidence_add_link(entry=entry, label=f"Doc {i}", url=f"https://example.org/{i}", actor=by)
    for i in range(n):
        made.refresh_from_db()
        sef.sef_update_summary(sef=made, summary=f"Summary {i}", version=made.version, actor=by)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_the_sef_pages_do_not_grow_with_evidence_or_versions(client, world):
    made = factories.sef(world.own, by=world["head"])
    client.force_login(world["head"])
    urls = [reverse(f"reviews:{name}", args=[made.pk]) for name in ("sef_detail", "sef_history", "sef_print")]
    _grow(made, world["head"], 1)
    small = [_count(client, url) for url in urls]
    _grow(made, world["head"], 3)
    large = [_count(client, url) for url in urls]
    assert large == small
