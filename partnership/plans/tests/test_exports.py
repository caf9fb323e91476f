"""A plan's PDF for governors and its Excel workbook."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from partnership.plans import services
from partnership.plans.models import Rag
from partnership.plans.tests import factories

pytestmark = pytest.mark.django_db


def _plan(world):
    plan = factories.school_plan(world.own, world["head"])
    reading = factories.priority(plan, "Every child a fluent reader", themes=("Reading",), lead=world["teacher"])
    objective = factories.objective(reading, "Daily phonics in Year 1", lead=world["teacher"])
    factories.milestone(objective, "spring")
    factories.objective_action(
        objective, world["teacher"], title="Buy decodable books", due_on=datetime.date(2020, 1, 2)
    )
    factories.priority(plan, "=Attendance above 96%")  # a formula-looking title stays text
    services.progress_record(item=reading, rag=Rag.AMBER, note="Halfway there in reading", actor=world["head"])
    return plan


def test_plan_pdf_for_governors(client, world):
    plan = _plan(world)
    client.force_login(world["governor"])
    response = client.get(reverse("plans:export_pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in [
        "Every child a fluent reader",
        "=Attendance above 96%",
        "Daily phonics in Year 1",
        "85% pass the phonics check",
        "Spring milestone",
        "Buy decodable books",
        "Amber",
        "Halfway there in reading",
    ]:
        assert expected in text, expected


def test_plan_workbook(client, world):
    plan = _plan(world)
    client.force_login(world["teacher"])
    response = client.get(reverse("plans:export_xlsx", args=[plan.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Priorities", "Objectives", "Milestones", "Actions", "Progress updates"]
    priorities = list(workbook["Priorities"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in priorities] == ["Every child a fluent reader", "'=Attendance above 96%"]
    assert priorities[0][4] == "Reading" and priorities[0][6] == "Amber – some concerns"
    assert list(workbook["Objectives"].iter_rows(min_row=2, values_only=True))[0][:2] == (
        "1.1",
        "Daily phonics in Year 1",
    )
    assert list(workbook["Milestones"].iter_rows(min_row=2, values_only=True))[0][2:] == (
        "Spring",
        "Spring milestone",
        "No",
    )
    action = list(workbook["Actions"].iter_rows(min_row=2, values_only=True))[0]
    assert action[2] == "Buy decodable books" and action[6] == "Overdue"
    update = list(workbook["Progress updates"].iter_rows(min_row=2, values_only=True))[0]
    assert (
        update[0] == "Priority 1" and update[3] == "Halfway there in reading" and update[5] == world["head"].full_name
    )
