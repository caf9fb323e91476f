"""Form helpers every app uses.

Error messages follow the GOV.UK Design System: a required field left empty says what to do and
names the field ("Enter a due date", "Choose who will do it"), never Django's "This field is
required.". Every form mixes in `GovukErrorMessages` and lists its own wording in
`required_messages`; a field it does not list gets one made from its label. Dates, times,
numbers, email and web addresses in the wrong format say so in the same style.

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


def invalid_message(field: forms.Field) -> str | None:
    """GOV.UK wording for a value that is not in the field's format, naming the field where the
    format does not say what it is; None for fields whose own message already says enough."""
    name = _label_phrase(field.label)
    name = name[0].upper() + name[1:]
    if isinstance(field, forms.EmailField):
        return "Enter an email address in the correct format, like name@example.com"
    if isinstance(field, forms.URLField):
        return "Enter a web address in the correct format, like https://www.example.com"
    if isinstance(field, forms.DateField):
        return f"{name} must be a real date"
    if isinstance(field, forms.TimeField):
        return f"{name} must be a real time, like 09:30"
    if isinstance(field, forms.IntegerField):
        return f"{name} must be a whole number"
    return None


def _is_djangos(field: forms.Field, code: str) -> bool:
    """Whether the field's `code` message is still Django's: its class's default, or none at all
    (an email address's comes from its validator)."""
    if code not in field.error_messages:
        return True
    defaults: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return code in defaults and str(field.error_messages[code]) == str(defaults[code])


def set_required_messages(form: forms.BaseForm, messages: Mapping[str, str] | None = None) -> None:
    """Give every field of `form` a GOV.UK "required" message: the one in `messages` for its name,
    else the field's own when it was given one, else `required_message(field)`; and, where Django's
    own is still there, a GOV.UK message for a value in the wrong format (`invalid_message`)."""
    messages = messages or {}
    for name, field in form.fields.items():
        if name in messages:
            field.error_messages["required"] = messages[name]
        elif str(field.error_messages.get("required", DJANGO_REQUIRED)) == DJANGO_REQUIRED:
            field.error_messages["required"] = required_message(field)
        invalid = invalid_message(field)
        if invalid is not None and _is_djangos(field, "invalid"):
            field.error_messages["invalid"] = invalid
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) and _is_djangos(field, "invalid_choice"):
            # A value that is not one of the choices (a stale page, a forged form), not "Select a valid choice."
            field.error_messages["invalid_choice"] = f"Choose {_label_phrase(field.label)} from the list"


class GovukErrorMessages:
    """Mix into a form (before `forms.Form` or `forms.ModelForm`): its required fields say, in
    GOV.UK's words, what is missing, and its dates, times, numbers, email and web addresses what
    is wrong with them. `required_messages` maps a field name to its wording."""

    required_messages: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_required_messages(self, self.required_messages)  # type: ignore[arg-type]


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


class DateInput(forms.DateInput):
    """A date field as the browser's date picker, showing its value as YYYY-MM-DD."""

    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        import datetime

        return value.isoformat() if isinstance(value, datetime.date) else super().format_value(value)
