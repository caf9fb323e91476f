"""Form helpers every app uses. A person is offered as "Name (School)" everywhere: their school,
else the organisation they work for, else the partnership itself (its own staff, such as the
coordinator). Core knows no user model: a person is anything with `pk`, `full_name`, `school_id`,
`school` and `organisation`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

NO_SCHOOL = "partnership"


def person_place(person: Any) -> str:
    """Where a person works: their school's name, else their organisation, else "partnership"
    (the partnership's own staff, such as its coordinator, belong to no school or organisation)."""
    return person.school.name if person.school_id else (person.organisation or NO_SCHOOL)


def person_label(person: Any) -> str:
    """ "Ann Brontë (Hawthorn Primary)", "Sam Lee (LA)", "Jo Park (partnership)"."""
    return f"{person.full_name} ({person_place(person)})"


def person_choices(people: Iterable[Any], empty_label: str = "Choose a person") -> list[tuple[Any, str]]:
    """Choices for picking one of `people` (in the order given), after an empty choice."""
    return [("", empty_label)] + [(person.pk, person_label(person)) for person in people]


class PersonChoiceField(forms.ChoiceField):
    """Pick one person; cleans to the person (None when left empty). Give the people when the form
    is built (`field.set_people(people)`): the choices are "Name (School)" labels, in that order,
    and a value that is not one of them is refused as an invalid choice."""

    def __init__(self, *, empty_label: str = "Choose a person", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.empty_label = empty_label
        self.people: dict[str, Any] = {}

    def set_people(self, people: Iterable[Any], empty_label: str | None = None) -> dict[str, Any]:
        people = list(people)
        if empty_label is not None:
            self.empty_label = empty_label
        self.people = {str(person.pk): person for person in people}
        self.choices = person_choices(people, self.empty_label)
        return self.people

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return self.people.get(str(value)) if value else None

    def __deepcopy__(self, memo: dict[int, Any]) -> PersonChoiceField:
        result = super().__deepcopy__(memo)  # type: ignore[misc]
        result.people = dict(self.people)
        return result
