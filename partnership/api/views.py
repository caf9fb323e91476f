from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from partnership.api import serializers
from partnership.directory import selectors


class PartnershipViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PartnershipSerializer
    lookup_field = "slug"

    def get_queryset(self) -> Any:
        return selectors.partnerships_for(self.request.user).order_by("name")


class SchoolViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.SchoolSerializer
    lookup_field = "urn"

    def get_queryset(self) -> Any:
        return selectors.schools_for(self.request.user, self.request.query_params.get("q", ""))


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PersonSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        school = params.get("school", "")
        return selectors.people_for(
            self.request.user,
            query=params.get("q", ""),
            role=params.get("role", ""),
            school_id=int(school) if school.isdigit() else None,
        )


class NetworkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.NetworkSerializer

    def get_queryset(self) -> Any:
        return selectors.networks_for(self.request.user)

    @extend_schema(responses=serializers.NetworkMemberSerializer(many=True))
    @action(detail=True)
    def members(self, request: Request, pk: str | None = None) -> Response:
        network = self.get_object()
        return Response(serializers.NetworkMemberSerializer(selectors.network_members(network), many=True).data)
