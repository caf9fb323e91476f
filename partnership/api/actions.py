"""`/api/v1/actions/`: the action log, scoped by the access policy.

Reading lists the actions a person may view (`?status=`, `?overdue=1`, `?mine=1`). PATCH changes the
title, status or due date and must carry the `version` the client last read: a stale version is
answered with 409 Conflict and the action as it is stored now, so a client never overwrites someone
else's change without seeing it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from partnership.actions import selectors, services
from partnership.actions.models import Action
from partnership.api.queries import ActionQuery, validated
from partnership.core import access
from partnership.core.exports import PLAIN_TEXT_HELP

PATCHABLE = ("title", "status", "due_on")


class ActionOwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class ActionSerializer(serializers.ModelSerializer):
    owner = ActionOwnerSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "description",
            "owner",
            "school",
            "partnership",
            "due_on",
            "status",
            "status_label",
            "overdue",
            "priority",
            "objective",
            "source_label",
            "version",
            "created_at",
            "updated_at",
            "completed_at",
        ]
        read_only_fields = fields
        extra_kwargs = {name: {"help_text": PLAIN_TEXT_HELP} for name in ["title", "description", "source_label"]}

    def get_overdue(self, action: Action) -> bool:
        return action.is_overdue()


class ActionPatchSerializer(serializers.Serializer):
    """What a client may change, and the version it read."""

    version = serializers.IntegerField(min_value=1, help_text="The `version` you last read; required.")

    # A PATCH body here is never partial: `version` is always required (and the schema says so).
    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass

    title = serializers.CharField(max_length=200, required=False, help_text=PLAIN_TEXT_HELP)
    status = serializers.ChoiceField(choices=Action.Status.choices, required=False)
    due_on = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = set(self.initial_data) - {"version", *PATCHABLE}
        if unknown:
            raise serializers.ValidationError(
                f"Only {', '.join(PATCHABLE)} can be changed here, not {', '.join(sorted(unknown))}."
            )
        if not set(attrs) & set(PATCHABLE):
            raise serializers.ValidationError(f"Send at least one of {', '.join(PATCHABLE)}.")
        return attrs


class ActionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = ActionSerializer()


@extend_schema_view(list=extend_schema(parameters=[ActionQuery]))
class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ActionSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        user = self.request.user
        if self.action != "list":
            return access.visible_to(user, selectors.action_for_page())
        query = validated(ActionQuery, self.request)
        actions = selectors.actions_mine(user) if query["mine"] else selectors.actions_visible(user)
        return selectors.action_filter(actions, status=query.get("status", ""), overdue=query["overdue"])

    @extend_schema(
        request=ActionPatchSerializer,
        responses={
            200: ActionSerializer,
            400: OpenApiResponse(description="Invalid input"),
            403: OpenApiResponse(description="You may view this action but not change it"),
            409: ActionConflictSerializer,
        },
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        action = self.get_object()
        access.require(request, "change", action)
        patch = ActionPatchSerializer(data=request.data)
        patch.is_valid(raise_exception=True)
        data = {name: patch.validated_data[name] for name in PATCHABLE if name in patch.validated_data}
        try:
            action = services.action_update(
                action=action,
                expected_version=patch.validated_data["version"],
                actor=request.user,
                data=data,
                request=request,
            )
        except services.StaleActionError as exc:
            current = self.get_queryset().get(pk=action.pk)
            return Response(
                {"detail": exc.message, "current": ActionSerializer(current).data}, status=status.HTTP_409_CONFLICT
            )
        return Response(ActionSerializer(self.get_queryset().get(pk=action.pk)).data)
