"""Display of outcome figures: percentages and gaps are rounded only here (via `stats.format_pct`)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from partnership.outcomes import stats
from partnership.outcomes.analysis import MeasureRow, year_text
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


VERDICT_TAGS = {
    "below": ("govuk-tag--red", "Below national"),
    "above": ("govuk-tag--green", "Above national"),
    "in line": ("govuk-tag--grey", "In line"),
}


@register.simple_tag
def verdict_tag(figure: stats.Figure) -> str:
    if not figure.verdict:
        return ""
    colour, text = VERDICT_TAGS[figure.verdict]
    return format_html('<strong class="govuk-tag {}">{}</strong>', colour, text)


@register.simple_tag
def dashboard_cell(row: MeasureRow) -> str:
    """One school's figure in the dashboard table (a tag rather than an include: the table has a
    cell per school and measure, so it must be cheap)."""
    figure = row.figure
    if figure.suppressed:
        return format_html('<span class="app-suppressed">{}</span>', figure.label)
    if not figure.denominator:
        return mark_safe('<span class="app-muted">no pupils</span>')  # noqa: S308 - a constant
    trend = format_html(' <span class="govuk-body-s">{}</span>', row.trend.words) if row.trend else ""
    return format_html(
        '<strong>{}</strong> <span class="govuk-body-s">of {} ({}&ndash;{})</span><br>{}{}',
        stats.format_pct(figure.percentage),
        figure.denominator,
        stats.format_pct(figure.low),
        stats.format_pct(figure.high),
        verdict_tag(figure),
        trend,
    )
