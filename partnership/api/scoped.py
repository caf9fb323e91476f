"""The one shape of a read-only v1 resource: the rows the access policy lets the caller see, in a
fixed order, narrowed by validated query-string filters. A resource declares its `queryset` (as
in DRF: the rows before the policy, with what they need joined or prefetched), order, query
serializer and which filter narrows which field; nothing else is written per resource."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import serializers, viewsets

from partnership.api.queries import validated
from partnership.core import access


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """`queryset` is the rows before the policy; `filters` maps a query parameter of
    `query_class` to the lookup it narrows (`{"plan": "plan_id"}`); `detail_rows()` adds what a
    single object's page needs (prefetches) on top of the policy-scoped rows."""

    ordering: ClassVar[tuple[str, ...]] = ("pk",)
    query_class: ClassVar[type[serializers.Serializer] | None] = None
    filters: ClassVar[dict[str, str]] = {}

    def detail_rows(self, rows: Any) -> Any:
        return rows

    def get_queryset(self) -> Any:
        rows = access.visible_to(self.request.user, super().get_queryset()).order_by(*self.ordering)
        if self.action != "list":
            return self.detail_rows(rows)
        if self.query_class is not None:
            query = validated(self.query_class, self.request)
            rows = rows.filter(**{self.filters[name]: value for name, value in query.items() if name in self.filters})
        return rows
