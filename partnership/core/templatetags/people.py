"""`{{ person|person_place }}`: where a person works, as the person picker labels it ("Hawthorn
Primary", "LA", "partnership"), so a table and a picker never disagree about someone."""

from typing import Any

from django import template

from partnership.core.forms import person_place as _person_place

register = template.Library()


@register.filter
def person_place(person: Any) -> str:
    return _person_place(person) if person is not None else ""
