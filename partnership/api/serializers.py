"""Output serializers for the v1 API: read-only views of what the access policy lets a user see."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnership.accounts.models import User
from partnership.core.exports import PLAIN_TEXT_HELP
from partnership.directory.models import Network, Partnership, RoleAssignment, School


class PartnershipSerializer(serializers.ModelSerializer):
    school_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Partnership
        fields = ["id", "name", "slug", "summary", "school_count"]
        extra_kwargs = {"name": {"help_text": PLAIN_TEXT_HELP}, "summary": {"help_text": PLAIN_TEXT_HELP}}


@extend_schema_field(
    {
        "type": "string",
        "maxLength": 200,
        "anyOf": [{"format": "uri"}, {"maxLength": 0}],
        "description": "The school's website, or empty when not known.",
    }
)
class WebsiteField(serializers.CharField):
    """A URL, or blank (the model allows both). Read-only, so a CharField: nothing to validate."""


class SchoolSerializer(serializers.ModelSerializer):
    laestab = serializers.CharField(read_only=True)
    website = WebsiteField(read_only=True, allow_blank=True)

    class Meta:
        model = School
        fields = [
            "id",
            "urn",
            "laestab",
            "la_code",
            "establishment_number",
            "name",
            "slug",
            "phase",
            "establishment_type",
            "street",
            "locality",
            "town",
            "postcode",
            "website",
        ]
        extra_kwargs = {"name": {"help_text": PLAIN_TEXT_HELP}}


class RoleSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["role", "label", "subject", "school", "partnership", "started_on"]


class PersonSerializer(serializers.ModelSerializer):
    roles = RoleSerializer(many=True, source="current_roles", read_only=True)

    class Meta:
        model = User
        fields = ["id", "full_name", "email", "job_title", "phone", "organisation", "school", "roles"]
        extra_kwargs = {name: {"help_text": PLAIN_TEXT_HELP} for name in ["full_name", "job_title", "organisation"]}


class NetworkMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.id")
    full_name = serializers.CharField(source="person.full_name", help_text=PLAIN_TEXT_HELP)
    school = serializers.IntegerField(source="person.school_id", allow_null=True)
    via_role = serializers.BooleanField()


class NetworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Network
        fields = ["id", "partnership", "name", "slug", "kind", "role", "subject", "remit"]
        extra_kwargs = {"name": {"help_text": PLAIN_TEXT_HELP}, "remit": {"help_text": PLAIN_TEXT_HELP}}
