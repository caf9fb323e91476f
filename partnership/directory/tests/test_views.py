"""Directory pages that change things: what a headteacher and a coordinator can do from the page."""

import pytest

from partnership.accounts.models import Invitation
from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.directory import selectors
from partnership.directory.services import invitation_create

pytestmark = pytest.mark.django_db


def test_head_gives_a_teacher_the_senco_role_and_the_network_follows(client, world):
    client.force_login(world["head"])
    response = client.post(f"/people/{world['teacher'].pk}/roles/add/", {"role": Role.SENCO})
    assert response.status_code == 302
    members = {row["person"].pk for row in selectors.network_members(world.network)}
    assert world["teacher"].pk in members
    assert AuditEvent.objects.filter(verb="create", object_type="directory.roleassignment").exists()


def test_subject_leader_needs_a_subject(client, world):
    client.force_login(world["head"])
    response = client.post(f"/people/{world['teacher'].pk}/roles/add/", {"role": Role.SUBJECT_LEADER}, follow=True)
    assert b"Choose the subject" in response.content
    assert not world["teacher"].role_assignments.filter(role=Role.SUBJECT_LEADER).exists()


def test_an_invited_subject_leaders_subject_is_kept_for_their_role(client, world):
    client.force_login(world["head"])
    data = {"full_name": "New Leader", "email": "leader@own.test", "roles": [Role.SUBJECT_LEADER], "subject": "Maths"}
    response = client.post(f"/schools/{world.own.slug}/invite/", data)
    assert response.status_code == 302
    assert Invitation.objects.get(email="leader@own.test").subject == "Maths"


def test_a_subject_chosen_for_a_role_without_one_is_not_kept(client, world):
    client.force_login(world["head"])
    data = {"full_name": "New Teacher", "email": "teacher2@own.test", "roles": [Role.TEACHER], "subject": "Maths"}
    assert client.post(f"/schools/{world.own.slug}/invite/", data).status_code == 302
    assert Invitation.objects.get(email="teacher2@own.test").subject == ""


def test_head_sees_and_withdraws_a_pending_invitation(client, world):
    invitation, raw = invitation_create(
        invited_by=world["head"], email="new@own.test", full_name="New Person", roles=[Role.TEACHER], school=world.own
    )
    client.force_login(world["head"])
    assert b"new@own.test" in client.get(f"/schools/{world.own.slug}/").content
    client.post(f"/invitations/{invitation.pk}/withdraw/")
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None
    assert client.get(f"/invitations/{raw}/").status_code == 404


def test_colleagues_do_not_see_pending_invitations(client, world):
    invitation_create(
        invited_by=world["head"], email="new@own.test", full_name="New Person", roles=[Role.TEACHER], school=world.own
    )
    client.force_login(world["teacher"])
    assert b"new@own.test" not in client.get(f"/schools/{world.own.slug}/").content


def test_people_csv_escapes_formulas(client, world):
    world["teacher"].job_title = '=HYPERLINK("http://evil")'
    world["teacher"].save()
    client.force_login(world["head"])
    body = client.get("/people/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "head@outside.test" not in body


def test_the_school_page_leads_its_own_people_to_its_plans_actions_meetings_and_outcomes(client, world):
    client.force_login(world["teacher"])
    own = client.get(f"/schools/{world.own.slug}/").content.decode()
    for href in (f"/outcomes/schools/{world.own.slug}/", "/plans/", "/actions/school/", "/meetings/"):
        assert f'href="{href}"' in own, href
    # Another school's page: its outcomes (aggregates), not lists that would show the viewer's own school.
    partner = client.get(f"/schools/{world.partner.slug}/").content.decode()
    assert f'href="/outcomes/schools/{world.partner.slug}/"' in partner and 'href="/actions/school/"' not in partner


def test_the_partnership_page_leads_to_its_board_plans_actions_and_meetings(client, world):
    client.force_login(world["governor"])
    html = client.get(f"/partnerships/{world.home.slug}/").content.decode()
    for href in ("/outcomes/partnerships/home/", "/plans/", "/plans/partnerships/home/shared-priorities/",
                 "/actions/partnership/", "/meetings/"):  # fmt: skip
        assert f'href="{href}"' in html, href
        assert client.get(href).status_code == 200, href


def test_a_person_page_links_their_school_only_for_viewers_who_may_open_it(client, world):
    adviser = world["adviser"]  # an external partner of `home` who works at a school outside it
    adviser.school = world.outside
    adviser.save()
    client.force_login(world["teacher"])
    html = client.get(f"/people/{adviser.pk}/").content.decode()
    assert "Outside Primary" in html and f'href="/schools/{world.outside.slug}/"' not in html
    assert client.get(f"/schools/{world.outside.slug}/").status_code == 403
    client.force_login(world["outside_head"])
    assert f'href="/schools/{world.outside.slug}/"' in client.get(f"/people/{adviser.pk}/").content.decode()
