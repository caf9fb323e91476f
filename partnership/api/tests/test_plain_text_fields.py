"""Free text comes back from the API as typed (formula-like text included), and the schema says so,
so that whoever writes it to a spreadsheet knows to escape it."""

import pytest

from partnership.core.exports import PLAIN_TEXT_HELP

pytestmark = pytest.mark.django_db

# component -> free-text properties that people type (names, titles, remits).
FREE_TEXT = {
    "Partnership": ["name", "summary"],
    "School": ["name"],
    "Person": ["full_name", "job_title", "organisation"],
    "NetworkMember": ["full_name"],
    "Network": ["name", "remit"],
    "Action": ["title", "description", "source_label"],
    "Plan": ["title", "vision"],
    "Priority": ["title", "description"],
    "Objective": ["title", "success_criteria"],
    "Milestone": ["description"],
    "ProgressUpdate": ["note"],
    "PlanPerson": ["full_name"],
    "Meeting": ["title", "location"],
    "AgendaItem": ["title", "description", "minutes"],
    "Paper": ["name"],
    "Attendance": ["full_name"],
}


def test_the_schema_documents_free_text_as_plain_text(client):
    components = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    missing = [
        f"{component}.{name}"
        for component, names in FREE_TEXT.items()
        for name in names
        if components[component]["properties"][name].get("description") != PLAIN_TEXT_HELP
    ]
    assert not missing, missing


def test_formula_like_text_is_returned_as_typed(client, world):
    formula = '=HYPERLINK("http://example.test","Click")'
    world["teacher"].job_title = formula
    world["teacher"].save(update_fields=["job_title"])
    client.force_login(world["head"])
    people = client.get("/api/v1/people/?limit=500").json()["results"]
    assert formula in {row["job_title"] for row in people}
