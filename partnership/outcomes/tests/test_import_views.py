"""The upload page: upload -> preview (nothing saved) -> Import -> summary, and who may use it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.directory.tests.factories import staff
from partnership.outcomes import services
from partnership.outcomes.imports import MAX_BYTES
from partnership.outcomes.models import Pupil, Result, ResultImport
from partnership.outcomes.tests.test_import_csv import pupil_row, to_csv

pytestmark = pytest.mark.django_db


def good_csv() -> bytes:
    return to_csv(
        [
            pupil_row("B820123400101", ks2_reading="104", ks2_maths="111", ks2_writing="EXS"),
            pupil_row("Q820123400102", surname="Lund", forename="Ola", ks2_reading="96", ks2_maths="A"),
        ]
    )


def upload(client, school, data: bytes, name: str = "results.csv"):
    return client.post(reverse("outcomes:import_upload", args=[school.slug]), {"file": SimpleUploadedFile(name, data)})


def test_upload_page_documents_the_template(client, world):
    client.force_login(world["head"])
    response = client.get(reverse("outcomes:import_upload", args=[world.own.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("outcomes:import_template") in page
    assert "<code>ks2_writing</code>" in page and "GDS, EXS, WTS, PK1 to PK6 or EM" in page


def test_template_download(client, world):
    client.force_login(world["teacher"])
    response = client.get(reverse("outcomes:import_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="results-template.csv"'
    assert response.content.startswith(b"\xef\xbb\xbfupn,surname,forename")


def test_preview_then_import(client, world):
    client.force_login(world["head"])
    response = upload(client, world.own, good_csv())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Check before importing" in page and "Nothing has been saved yet" in page
    assert "KS2 reading" in page and "2024/25" in page
    assert Pupil.objects.count() == 0 and Result.objects.count() == 0
    sha256 = response.context["report"].sha256
    assert response.context["report"].results.new == 6  # 5 from the file and Isla's RWM

    response = client.post(reverse("outcomes:import_confirm", args=[world.own.slug]), {"sha256": sha256})
    assert response.status_code == 200
    assert "imported 2 pupils, 6 results, 0 skipped" in response.content.decode()
    assert Pupil.objects.filter(school=world.own).count() == 2 and Result.objects.count() == 6
    assert list(ResultImport.objects.order_by("pk").values_list("status", flat=True)) == ["previewed", "imported"]
    assert AuditEvent.objects.filter(verb="import", actor=world["head"]).count() == 1

    # The file was used once: posting Import again finds nothing waiting.
    response = client.post(reverse("outcomes:import_confirm", args=[world.own.slug]), {"sha256": sha256})
    assert response.status_code == 302 and response["Location"].endswith("/import/")


def test_a_file_with_problems_shows_each_one_and_offers_no_import(client, world):
    client.force_login(world["head"])
    data = to_csv([pupil_row("B820123400101", ks2_reading="140"), pupil_row("bad", ks2_maths="100")])
    response = upload(client, world.own, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This file cannot be imported" in page
    assert '<td class="govuk-table__cell">row 2</td>' in page and "140 is impossible" in page
    assert '<td class="govuk-table__cell">row 3</td>' in page and "&#x27;BAD&#x27; is not a UPN" in page
    assert reverse("outcomes:import_confirm", args=[world.own.slug]) not in page
    assert Pupil.objects.count() == 0
    assert ResultImport.objects.get().status == "rejected"


def test_another_schools_ctf_is_refused_on_the_page(client, world):
    from partnership.outcomes.tests.test_import_ctf import CTF_25_YEAR6

    client.force_login(world["head"])
    response = upload(client, world.own, CTF_25_YEAR6.encode(), name="8201234_CTF_8205678_001.xml")
    assert response.status_code == 200
    assert f"This file is from Hawthorn Primary School (URN 123456, LAESTAB 8201234), not {world.own.name}" in (
        response.content.decode()
    )


def test_a_huge_upload_gets_a_message_not_an_error(client, world):
    client.force_login(world["head"])
    response = upload(client, world.own, b"x" * (MAX_BYTES + 1))
    assert response.status_code == 200
    assert "larger than 20 MB" in response.content.decode()
    assert not ResultImport.objects.exists()


def test_an_empty_or_binary_upload_gets_a_message(client, world):
    client.force_login(world["head"])
    for data in (b"", b"\x00\x01\x02" * 10):
        response = upload(client, world.own, data)
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()


def test_only_the_person_who_previewed_can_import_that_file(client, world):
    leader = staff(world.own, Role.SENIOR_LEADER, email="leader@own.test")
    client.force_login(world["head"])
    sha256 = upload(client, world.own, good_csv()).context["report"].sha256
    client.force_login(leader)
    response = client.post(reverse("outcomes:import_confirm", args=[world.own.slug]), {"sha256": sha256})
    assert response.status_code == 302
    assert Pupil.objects.count() == 0


def test_a_preview_for_one_school_cannot_be_imported_into_another(client, world, monkeypatch):
    client.force_login(world["head"])
    sha256 = upload(client, world.own, good_csv()).context["report"].sha256
    key = f"outcomes-import:{world['head'].pk}:{world.own.pk}:{sha256}"
    assert services.cache.get(key) is not None
    client.force_login(world["outside_head"])
    response = client.post(reverse("outcomes:import_confirm", args=[world.outside.slug]), {"sha256": sha256})
    assert response.status_code == 302
    assert Pupil.objects.count() == 0


@pytest.mark.parametrize(
    "role", ["teacher", "governor", "coordinator", "adviser", "partner_head", "outside_head", "admin"]
)
def test_people_other_than_the_schools_leaders_cannot_reach_the_page(client, world, role):
    client.force_login(world[role])
    assert client.get(reverse("outcomes:import_upload", args=[world.own.slug])).status_code == 403
    assert upload(client, world.own, good_csv()).status_code == 403
    response = client.post(reverse("outcomes:import_confirm", args=[world.own.slug]), {"sha256": "0" * 64})
    assert response.status_code == 403
    assert not ResultImport.objects.exists() and Pupil.objects.count() == 0


def test_the_data_lead_may_import(client, world):
    client.force_login(staff(world.own, Role.DATA_LEAD, email="data@own.test"))
    assert client.get(reverse("outcomes:import_upload", args=[world.own.slug])).status_code == 200
