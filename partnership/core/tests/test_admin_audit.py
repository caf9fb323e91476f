"""Every change made in the Django admin is written to the audit log, through its own HTTP views."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from partnership.core.admin import AuditedModelAdmin
from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.core.tests.admin_forms import admin_user, form_data
from partnership.directory.models import Membership, Network, Partnership, RoleAssignment
from partnership.directory.tests.factories import SchoolFactory
from partnership.outcomes.models import NationalFigure

pytestmark = pytest.mark.django_db


def test_every_model_admin_of_the_project_is_audited():
    project = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_config.name.startswith("partnership.")
    }
    assert len(project) >= 11  # accounts, core, directory and outcomes register their models
    unaudited = [
        model._meta.label for model, model_admin in project.items() if not isinstance(model_admin, AuditedModelAdmin)
    ]
    assert unaudited == []


@pytest.fixture
def superadmin(client):
    user = admin_user()
    client.force_login(user)
    return user


def events(model, pk, verb):
    return AuditEvent.objects.filter(object_type=model._meta.label_lower, object_id=str(pk), verb=verb)


def test_changing_a_threshold_is_audited_with_old_and_new_values(client, superadmin, world):
    url = reverse("admin:directory_partnership_change", args=[world.home.pk])
    response = client.post(url, form_data(client, url, suppression_threshold="10"))
    assert response.status_code == 302
    assert Partnership.objects.get(pk=world.home.pk).suppression_threshold == 10
    event = events(Partnership, world.home.pk, "update").get()
    assert event.actor == superadmin and event.partnership_id == world.home.pk
    assert event.detail["via"] == "admin"
    assert event.detail["changes"] == {"suppression_threshold": [6, 10]}


def test_memberships_added_changed_and_removed_inline_are_audited(client, superadmin, world):
    url = reverse("admin:directory_partnership_change", args=[world.home.pk])
    newcomer = SchoolFactory(name="Newcomer Primary")
    own = Membership.objects.get(partnership=world.home, school=world.own)
    partner = Membership.objects.get(partnership=world.home, school=world.partner)
    data = form_data(client, url)
    prefix = "memberships"
    forms = int(data[f"{prefix}-TOTAL_FORMS"])
    index = {data[f"{prefix}-{i}-id"]: i for i in range(forms)}
    data[f"{prefix}-{index[str(own.pk)]}-left_on"] = "2026-08-31"
    data[f"{prefix}-{index[str(partner.pk)]}-DELETE"] = "on"
    data.update({f"{prefix}-TOTAL_FORMS": str(forms + 1), f"{prefix}-{forms}-school": str(newcomer.pk)})
    data[f"{prefix}-{forms}-joined_on"] = "2026-09-01"
    data[f"{prefix}-{forms}-partnership"] = str(world.home.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors

    changed = events(Membership, own.pk, "update").get()
    assert changed.detail["changes"] == {"left_on": [None, "2026-08-31"]}
    assert changed.school_id == world.own.pk and changed.partnership_id == world.home.pk
    assert events(Membership, partner.pk, "delete").get().detail == {"via": "admin"}
    added = Membership.objects.get(partnership=world.home, school=newcomer)
    assert events(Membership, added.pk, "create").get().detail["values"]["school"] == newcomer.pk


def test_adding_changing_and_deleting_a_network_is_audited(client, superadmin, world):
    add = reverse("admin:directory_network_add")
    response = client.post(
        add,
        form_data(
            client,
            add,
            partnership=str(world.home.pk),
            name="Reading working party",
            slug="reading",
            kind="working_party",
            remit="Improve reading.",
            created_at_0="2026-09-01",
            created_at_1="09:00:00",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    network = Network.objects.get(slug="reading")
    created = events(Network, network.pk, "create").get()
    assert created.detail["values"]["kind"] == "working_party" and "remit" not in created.detail["values"]

    change = reverse("admin:directory_network_change", args=[network.pk])
    response = client.post(change, form_data(client, change, remit="Improve reading for pleasure."))
    assert response.status_code == 302
    updated = events(Network, network.pk, "update").get()
    assert updated.detail["changed"] == ["remit"] and updated.detail["changes"] == {}  # text: name only

    delete = reverse("admin:directory_network_delete", args=[network.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert events(Network, network.pk, "delete").get().partnership_id == world.home.pk


def test_bulk_delete_action_audits_each_row(client, superadmin, world):
    pks = [world.network.pk, world.other_network.pk]
    response = client.post(
        reverse("admin:directory_network_changelist"),
        {"action": "delete_selected", "_selected_action": [str(pk) for pk in pks], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Network.objects.filter(pk__in=pks).exists()
    assert AuditEvent.objects.filter(object_type="directory.network", verb="delete").count() == 2


def test_national_figures_changed_and_deleted_in_the_admin_are_audited(client, superadmin):
    figure = NationalFigure.objects.order_by("pk").first()
    change = reverse("admin:outcomes_nationalfigure_change", args=[figure.pk])
    response = client.post(change, form_data(client, change, value="99.0"))
    assert response.status_code == 302
    event = events(NationalFigure, figure.pk, "update").get()
    assert event.detail["changes"] == {"value": [str(figure.value), "99.0"]}
    delete = reverse("admin:outcomes_nationalfigure_delete", args=[figure.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert events(NationalFigure, figure.pk, "delete").exists()


def test_role_grants_in_the_admin_are_audited(client, superadmin, world):
    add = reverse("admin:directory_roleassignment_add")
    teacher = world["teacher"]
    response = client.post(
        add,
        form_data(
            client, add, person=str(teacher.pk), role=Role.DSL, school=str(world.own.pk), started_on="2026-09-01"
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    grant = RoleAssignment.objects.get(person=teacher, role=Role.DSL)
    event = events(RoleAssignment, grant.pk, "create").get()
    assert event.actor == superadmin and event.school_id == world.own.pk
    assert event.detail == {"person": teacher.email, "role": Role.DSL, "subject": "", "via": "admin"}
    # Not a pupil-data role, so it counts at once.
    assert RoleAssignment.objects.current().filter(pk=grant.pk).exists()

    change = reverse("admin:directory_roleassignment_change", args=[grant.pk])
    response = client.post(change, form_data(client, change, ended_on="2026-12-31"))
    assert response.status_code == 302
    assert events(RoleAssignment, grant.pk, "update").get().detail["changes"] == {"ended_on": [None, "2026-12-31"]}


def test_personal_values_stay_out_of_the_log(client, superadmin, world):
    teacher = world["teacher"]
    change = reverse("admin:accounts_user_change", args=[teacher.pk])
    response = client.post(change, form_data(client, change, phone="07700 900123", job_title="Year 6 teacher"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(teacher.pk), verb="update")
    assert sorted(event.detail["changed"]) == ["job_title", "phone"]
    assert event.detail["changes"] == {}
    assert "07700" not in str(event.detail)
