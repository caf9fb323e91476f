"""Limit/offset pagination whose parameters are validated (400 for a bad or absurd value) and
documented with their bounds."""

from __future__ import annotations

from typing import Any

from rest_framework import pagination
from rest_framework.request import Request

from partnership.api.queries import MAX_OFFSET, MAX_PAGE_SIZE, PageQuery, validated


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    max_limit = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self.query = validated(PageQuery, request)
        return super().paginate_queryset(queryset, request, view)

    def get_limit(self, request: Request) -> int | None:
        return self.query.get("limit", self.default_limit)

    def get_offset(self, request: Request) -> int:
        return self.query.get("offset", 0)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {"limit": {"minimum": 1, "maximum": MAX_PAGE_SIZE}, "offset": {"minimum": 0, "maximum": MAX_OFFSET}}
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
