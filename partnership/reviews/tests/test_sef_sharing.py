"""Who may read a SEF at each sharing level, and the recorded choice (who decided, when)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnership.core import access
from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.reviews import sef
from partnership.reviews.models import SelfEvaluation, Sharing, SharingChoice
from partnership.reviews.tests import factories

pytestmark = pytest.mark.django_db


def sees(user, made) -> bool:  # type: ignore[no-untyped-def]
    return access.visible_to(user, SelfEvaluation).filter(pk=made.pk).exists()


def test_an_own_school_sef_is_the_schools_alone(world):
    made = factories.sef(world.own, by=world["head"])
    assert sees(world["head"], made) and sees(world["teacher"], made)
    for who in ("partner_head", "coordinator", "adviser", "outside_head", "leaver"):
        assert not sees(world[who], made), who


def test_a_partnership_level_sef_reaches_the_partnership_and_never_outside(world):
    made = factories.sef(world.own, by=world["head"])
    sef.sef_share(sef=made, level=Sharing.PARTNERSHIP, actor=world["head"])
    for who in ("partner_head", "partner_teacher", "coordinator", "adviser"):
        assert sees(world[who], made), who
    for who in ("outside_head", "other_coordinator", "leaver"):
        assert not sees(world[who], made), who
    assert not access.can(world["partner_head"], "edit", made)


def test_a_review_team_level_sef_reaches_only_that_years_team(world):
    made = factories.sef(world.own, by=world["head"], year=2025)
    sef.sef_share(sef=made, level=Sharing.REVIEW_TEAM, actor=world["head"])
    assert not sees(world["partner_head"], made)
    cycle = factories.cycle(world.home, by=world["coordinator"], year=2025)
    factories.review(cycle, world.own, team=[world["partner_head"]])
    assert sees(world["partner_head"], made)
    assert not sees(world["partner_teacher"], made) and not sees(world["coordinator"], made)
    later = factories.cycle(world.home, by=world["coordinator"], year=2026, name="Next year")
    factories.review(later, world.own, team=[world["outside_head"]])
    assert not sees(world["outside_head"], made)  # on a team for another year


def test_the_choice_is_recorded_with_who_and_when_and_its_history_shown(client, world):
    made = factories.sef(world.own, by=world["head"])
    client.force_login(world["head"])
    url = reverse("reviews:sef_sharing", args=[made.pk])
    assert client.post(url, {"sharing": Sharing.PARTNERSHIP}).status_code == 302
    assert client.post(url, {"sharing": Sharing.REVIEW_TEAM}).status_code == 302
    made.refresh_from_db()
    assert made.sharing == Sharing.REVIEW_TEAM and made.sharing_decided_by == world["head"]
    choices = list(SharingChoice.objects.filter(subject="sef", object_id=made.pk).order_by("id"))
    assert [c.level for c in choices] == [Sharing.PARTNERSHIP, Sharing.REVIEW_TEAM]
    assert AuditEvent.objects.filter(verb="share", object_id=str(made.pk)).count() == 2
    page = client.get(url).content.decode()
    assert page.count(world["head"].full_name) >= 2 and "Everyone in our partnerships" in page
    detail = client.get(reverse("reviews:sef_detail", args=[made.pk])).content.decode()
    assert "Chosen by" in detail and "Our school and our review team" in detail


def test_a_teacher_cannot_change_the_sharing(client, world):
    made = factories.sef(world.own, by=world["head"])
    client.force_login(world["teacher"])
    assert client.post(reverse("reviews:sef_sharing", args=[made.pk]), {"sharing": "partnership"}).status_code == 403
    made.refresh_from_db()
    assert made.sharing == Sharing.OWN_SCHOOL


def test_an_unknown_level_is_refused(world):
    made = factories.sef(world.own, by=world["head"])
    with pytest.raises(ApplicationError):
        sef.sef_share(sef=made, level="everyone", actor=world["head"])
