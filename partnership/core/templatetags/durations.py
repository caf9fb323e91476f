"""`{{ some_timedelta|duration_words }}`: "30 minutes", "1 hour", "1 hour 30 minutes", "2 days"."""

from datetime import timedelta

from django import template

register = template.Library()


def _part(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


@register.filter
def duration_words(value: timedelta | None) -> str:
    if not isinstance(value, timedelta):
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return " ".join([_part(days, "day")] + ([_part(hours, "hour")] if hours else []))
    parts = ([_part(hours, "hour")] if hours else []) + ([_part(minutes, "minute")] if minutes else [])
    return " ".join(parts)
