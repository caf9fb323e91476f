"""A partnership's own staff (a coordinator: no school, no organisation) are shown as the
partnership's, never as an "External partner", wherever a person's place is written."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_coordinator_is_the_partnerships_not_an_external_partner(client, world):
    coordinator, adviser = world["coordinator"], world["adviser"]
    client.force_login(world["head"])
    page = client.get(reverse("directory:person_detail", args=[coordinator.pk])).content.decode()
    assert "External partner" not in page
    assert '<span class="govuk-caption-l">partnership</span>' in page
    adviser_page = client.get(reverse("directory:person_detail", args=[adviser.pk])).content.decode()
    assert '<span class="govuk-caption-l">LA</span>' in adviser_page
    network = client.get(reverse("directory:network_detail", args=[world.network.pk])).content.decode()
    assert '<td class="govuk-table__cell">LA</td>' in network  # the adviser, a named member
