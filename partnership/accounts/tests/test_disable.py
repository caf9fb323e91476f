"""Disabling an account ends its sessions and API tokens for good, whichever way it is disabled."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from partnership.accounts.models import ApiToken, User
from partnership.accounts.services import api_token_create, user_set_active
from partnership.core.models import AuditEvent
from partnership.core.tests.admin_forms import admin_user, form_data
from partnership.directory.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _disable_with_service(user: User, actor: User) -> None:
    user_set_active(user=user, active=False, actor=actor)


def _disable_in_admin(user: User, actor: User) -> None:
    client = Client()
    client.force_login(actor)
    url = f"/admin/accounts/user/{user.pk}/change/"
    data = form_data(client, url)
    data.pop("is_active", None)  # an unticked box is not sent
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def _disable_in_shell(user: User, actor: User) -> None:
    user = User.objects.get(pk=user.pk)
    user.is_active = False
    user.save()


DISABLE: dict[str, Callable[[User, User], None]] = {
    "service": _disable_with_service,
    "admin": _disable_in_admin,
    "shell": _disable_in_shell,
}


@pytest.fixture
def admin() -> User:
    return admin_user()


@pytest.mark.parametrize("how", sorted(DISABLE))
def test_re_enabling_does_not_revive_old_sessions(client, admin, how, settings):
    # Production keeps sessions in the cache, where there are no rows to delete.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    user = UserFactory(email="teacher@school.test")
    client.force_login(user)
    assert client.get("/").status_code == 200

    DISABLE[how](user, admin)
    user_set_active(user=User.objects.get(pk=user.pk), active=True, actor=admin)

    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    # A new sign-in after re-enabling works as normal.
    fresh = Client()  # a new client picks up the session engine set above
    fresh.force_login(User.objects.get(pk=user.pk))
    assert fresh.get("/").status_code == 200


@pytest.mark.parametrize("how", sorted(DISABLE))
def test_api_tokens_stop_working_for_good(client, admin, how):
    user = UserFactory(email="teacher@school.test")
    _, raw = api_token_create(user=user)
    auth = {"HTTP_AUTHORIZATION": f"Token {raw}"}
    assert client.get("/api/v1/people/", **auth).status_code == 200

    DISABLE[how](user, admin)
    assert client.get("/api/v1/people/", **auth).status_code == 401
    user_set_active(user=User.objects.get(pk=user.pk), active=True, actor=admin)
    assert client.get("/api/v1/people/", **auth).status_code == 401


def test_the_service_deletes_sessions_and_revokes_tokens_and_says_so(client, admin):
    user = UserFactory(email="teacher@school.test")
    token, _ = api_token_create(user=user)
    client.force_login(user)
    from django.contrib.sessions.models import Session

    assert Session.objects.count() == 1
    user_set_active(user=user, active=False, actor=admin)

    assert Session.objects.count() == 0
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    event = AuditEvent.objects.get(verb="update", object_id=str(user.pk))
    assert event.detail == {"is_active": [True, False], "sessions_ended": 1, "tokens_revoked": 1}


def test_disabling_in_the_admin_also_deletes_sessions_and_revokes_tokens(client, admin):
    user = UserFactory(email="teacher@school.test")
    token, _ = api_token_create(user=user)
    client.force_login(user)
    from django.contrib.sessions.models import Session

    _disable_in_admin(user, admin)
    # The administrator's own session remains; the teacher's is gone.
    assert [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()] == [str(admin.pk)]
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_saving_an_account_that_stays_disabled_keeps_its_stamp(admin):
    user = UserFactory(email="teacher@school.test")
    _disable_in_shell(user, admin)
    stamp = User.objects.get(pk=user.pk).disabled_at
    assert stamp is not None
    user = User.objects.get(pk=user.pk)
    user.full_name = "Renamed"
    user.save()
    assert User.objects.get(pk=user.pk).disabled_at == stamp
