"""Form helpers every app uses.

Error messages follow the GOV.UK Design System: a required field left empty says what to do and
names the field ("Enter a due date", "Choose who will do it"), never Django's "This field is
required.". Every form mixes in `GovukErrorMessages` and lists its own wording in
`required_messages`; a field it does not list gets one made from its label.

A person is offered as "Name (School)" everywhere: their school, else the organisation they work
for, else the partnership itself (its own staff, such as the coordinator). Core knows no user
model: a person is anything with `pk`, `full_name`, `school_id`, `school` and `organisation`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django import forms

NO_SCHOOL = "partnership"
DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])
# What a label may carry that is not part of the thing's name: "(optional)", "(YYYY-MM-DD)".
_LABEL_ASIDE = re.compile(r"\s*\([^)]*\)\s*$")


def required_message(field: forms.Field) -> str:
    """GOV.UK wording for `field` left empty, made from its label: "Choose ..." for a choice or a
    file, "Enter ..." for anything typed. A form's own wording (`required_messages`) is better."""
    choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.FileField)
    return f"{'Choose' if choose else 'Enter'} {_label_phrase(field.label)}"


def _label_phrase(label: Any) -> str:
    """The label as the object of a sentence: "Due by (optional)" -> "due by"; "URN" stays "URN"."""
    text = _LABEL_ASIDE.sub("", str(label or "")).strip() or "a value"
    if len(text) > 1 and text[1].isupper():  # an initialism such as URN or SEN
        return text
    return text[0].lower() + text[1:]


def set_required_messages(form: forms.BaseForm, messages: Mapping[str, str] | None = None) -> None:
    """Give every field of `form` a GOV.UK "required" message: the one in `messages` for its name,
    else the field's own when it was given one, else `required_message(field)`."""
    messages = messages or {}
    for name, field in form.fields.items():
        if name in messages:
            field.error_messages["required"] = messages[name]
        elif str(field.error_messages.get("required", DJANGO_REQUIRED)) == DJANGO_REQUIRED:
            field.error_messages["required"] = required_message(field)


class GovukErrorMessages:
    """Mix into a form (before `forms.Form` or `forms.ModelForm`): its required fields say, in
    GOV.UK's words, what is missing. `required_messages` maps a field name to its wording."""

    required_messages: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_required_messages(self, self.required_messages)  # type: ignore[arg-type]


def person_label(person: Any) -> str:
    """ "Ann Brontë (Hawthorn Primary)", "Sam Lee (LA)", "Jo Park (partnership)"."""
    where = person.school.name if person.school_id else (person.organisation or NO_SCHOOL)
    return f"{person.full_name} ({where})"


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
