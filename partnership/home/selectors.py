from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from partnership.core.registry import HOME_PANELS


@dataclass(frozen=True)
class ShownPanel:
    key: str
    template: str
    column: str
    context: dict[str, Any]


def panels_for(request: HttpRequest) -> list[ShownPanel]:
    """The home panels the apps declare, with this person's context; a panel whose context is None
    is not for this person."""
    shown = []
    for panel in HOME_PANELS:
        context = panel.context(request)
        if context is not None:
            shown.append(ShownPanel(panel.key, panel.template, panel.column, context))
    return shown
