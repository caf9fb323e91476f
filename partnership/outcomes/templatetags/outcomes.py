"""Display of outcome figures: percentages and gaps are rounded only here (via `stats.format_pct`)."""

from __future__ import annotations

from django import template

from partnership.outcomes import stats
from partnership.outcomes.analysis import year_text
from partnership.outcomes.tables import year_group_label

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    return stats.format_pct(value)


@register.filter
def points(value: float | None) -> str:
    """A gap in percentage points, signed: "-12 pts", "+3 pts"; an en dash when hidden."""
    if value is None:
        return "\u2013"
    text = stats.format_pct(value).rstrip("%")
    return f"{'+' if not text.startswith('-') and text != '0' else ''}{text} pts"


@register.filter
def academic_year(value: int) -> str:
    return year_text(value)


@register.filter
def year_group(value: int) -> str:
    return year_group_label(value)


@register.filter
def lookup(mapping: dict, key: str):  # type: ignore[no-untyped-def,type-arg]
    return mapping.get(key)
