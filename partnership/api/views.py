from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action, api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from partnership.api import serializers
from partnership.api.queries import PersonQuery, SchoolQuery, validated
from partnership.core.pages import crumbs
from partnership.directory import selectors


class PartnershipViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PartnershipSerializer
    lookup_field = "slug"

    def get_queryset(self) -> Any:
        return selectors.partnerships_for(self.request.user).order_by("name")


@extend_schema_view(list=extend_schema(parameters=[SchoolQuery]))
class SchoolViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.SchoolSerializer
    lookup_field = "urn"

    def get_queryset(self) -> Any:
        query = validated(SchoolQuery, self.request) if self.action == "list" else {}
        return selectors.schools_for(self.request.user, query.get("q", ""))


@extend_schema_view(list=extend_schema(parameters=[PersonQuery]))
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PersonSerializer

    def get_queryset(self) -> Any:
        query = validated(PersonQuery, self.request) if self.action == "list" else {}
        return selectors.people_for(
            self.request.user, query=query.get("q", ""), role=query.get("role", ""), school_id=query.get("school")
        )


class NetworkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.NetworkSerializer

    def get_queryset(self) -> Any:
        return selectors.networks_for(self.request.user)

    @extend_schema(responses=serializers.NetworkMemberSerializer(many=True))
    @action(detail=True, pagination_class=None)  # a network's members come whole: one list, not pages
    def members(self, request: Request, pk: str | None = None) -> Response:
        network = self.get_object()
        return Response(serializers.NetworkMemberSerializer(selectors.network_members(network), many=True).data)


def docs(request: HttpRequest) -> HttpResponse:
    """The page that explains the API to people: public, it holds no data."""
    return render(request, "api/index.html", {"crumbs": crumbs(("API", ""))})


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
@authentication_classes([])
def not_found(request: Request, rest: str = "") -> Response:
    """Any other address under the API: a JSON 404 like every API answer, not the HTML page."""
    return Response({"detail": "Not found."}, status=404)
