"""The person picker: one label format ("Name (School)") and one field, whichever app offers it."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from partnership.core.forms import PersonChoiceField, person_choices, person_label, person_place
from partnership.directory.forms import AddNetworkMemberForm
from partnership.meetings.forms import AddAttendeeForm, AgendaItemForm, ItemActionForm
from partnership.plans.forms import ObjectiveActionForm, PriorityForm

pytestmark = pytest.mark.django_db


def test_a_person_is_labelled_by_school_else_organisation_else_the_partnership(world):
    head, adviser, coordinator = world["head"], world["adviser"], world["coordinator"]
    assert person_label(head) == f"{head.full_name} ({world.own.name})"
    assert person_label(adviser) == f"{adviser.full_name} (LA)"
    assert person_label(coordinator) == f"{coordinator.full_name} (partnership)"
    assert person_choices([coordinator, head], "Nobody") == [
        ("", "Nobody"),
        (coordinator.pk, person_label(coordinator)),
        (head.pk, person_label(head)),
    ]


def test_tables_say_where_a_person_works_as_the_picker_does(world):
    template = Template("{% load people %}{{ person|person_place }}")
    for name, place in [("head", world.own.name), ("adviser", "LA"), ("coordinator", "partnership")]:
        person = world[name]
        assert person_place(person) == place
        assert template.render(Context({"person": person})) == place
        assert person_label(person) == f"{person.full_name} ({place})"


def test_every_form_that_picks_a_person_offers_the_same_labels(world):
    people = [world["head"], world["adviser"], world["coordinator"]]
    expected = [person_label(p) for p in people]
    forms = [
        (AddNetworkMemberForm(people=people), "person"),
        (AddAttendeeForm(people=people), "person"),
        (AgendaItemForm(people=people), "presenter"),
        (ItemActionForm(people=people), "owner"),
        (PriorityForm(people=people), "lead"),
        (ObjectiveActionForm(people=people), "owner"),
    ]
    for form, name in forms:
        assert [label for _, label in form.fields[name].choices][1:] == expected, type(form).__name__


def test_the_field_cleans_to_the_person_and_refuses_anyone_else(world):
    head, coordinator = world["head"], world["coordinator"]
    form = AddNetworkMemberForm(data={"person": str(head.pk)}, people=[head])
    assert form.is_valid() and form.cleaned_data["person"] == head
    form = AddNetworkMemberForm(data={"person": str(coordinator.pk)}, people=[head])
    assert not form.is_valid() and "person" in form.errors
    form = AgendaItemForm(data={"title": "Provision maps", "presenter": ""}, people=[head])
    assert form.is_valid() and form.cleaned_data["presenter_person"] is None


def test_each_form_has_its_own_people():
    field = PersonChoiceField(label="Person")

    class Person:
        def __init__(self, pk: int) -> None:
            self.pk, self.full_name, self.school_id, self.school, self.organisation = pk, f"P{pk}", None, None, ""

    field.set_people([Person(1)])
    copy = field.__deepcopy__({})
    copy.set_people([Person(2)])
    assert list(field.people) == ["1"] and list(copy.people) == ["2"]
    assert field.choices == [("", "Choose a person"), (1, "P1 (partnership)")]
