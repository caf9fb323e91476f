"""Sign-in, lockout, MFA, password reset, disabled accounts and the audit rows they leave."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.models import Invitation, User
from partnership.accounts.services import user_set_active
from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.directory.models import RoleAssignment
from partnership.directory.services import invitation_accept, invitation_create
from partnership.directory.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def current_code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def test_sign_in_with_email_and_password_is_audited(client):
    user = UserFactory(email="head@school.test")
    response = sign_in(client, "head@school.test")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(verb="login")
    assert event.actor == user and event.ip_address == "127.0.0.1"


def test_failed_sign_in_is_audited_with_what_was_typed(client):
    UserFactory(email="head@school.test")
    response = sign_in(client, "head@school.test", "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(verb="login_failed")
    assert event.actor is None and event.actor_label == "head@school.test"


def test_lockout_after_repeated_failures_even_with_the_right_password(client, settings):
    UserFactory(email="head@school.test")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "head@school.test", "wrong-password")
    response = sign_in(client, "head@school.test")
    assert response.status_code == 429
    assert b"too many unsuccessful attempts" in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb="login_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_lockout_is_per_account_so_colleagues_on_the_same_network_can_sign_in(client, settings):
    UserFactory(email="head@school.test")
    UserFactory(email="teacher@school.test")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "head@school.test", "wrong-password")
    assert sign_in(client, "teacher@school.test").status_code == 302


def test_sign_in_with_mfa_needs_the_code(client):
    user = UserFactory(email="head@school.test")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = sign_in(client, "head@school.test")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/").status_code == 302  # not signed in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000" if current_code(secret) != "000000" else "1"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_password_reset_does_not_bypass_mfa(client):
    user = UserFactory(email="head@school.test")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client.post("/accounts/password/reset/", {"email": "head@school.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new_password = "a-brand-new-passphrase-42"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    # The reset itself signs nobody in ...
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302
    # ... and signing in with the new password still asks for the authenticator code.
    response = sign_in(client, "head@school.test", new_password)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session


def test_require_mfa_sends_accounts_without_an_authenticator_to_set_one_up(client, settings):
    settings.REQUIRE_MFA = True
    UserFactory(email="head@school.test")
    sign_in(client, "head@school.test")
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/totp/activate/")
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_require_mfa_lets_accounts_with_an_authenticator_through(client, settings):
    settings.REQUIRE_MFA = True
    user = UserFactory(email="head@school.test")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    sign_in(client, "head@school.test")
    client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert client.get("/people/").status_code == 200


def test_sign_out_ends_the_session(client):
    UserFactory(email="head@school.test")
    sign_in(client, "head@school.test")
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(verb="logout").exists()


def test_disabling_an_account_ends_its_sessions_at_once(client):
    user = UserFactory(email="teacher@school.test")
    admin = UserFactory(is_platform_admin=True)
    sign_in(client, "teacher@school.test")
    assert client.get("/").status_code == 200
    user_set_active(user=user, active=False, actor=admin)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert sign_in(client, "teacher@school.test").status_code != 302 or client.get("/").status_code == 302


def test_public_sign_up_is_closed(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert b"closed" in response.content.lower()
    client.post(
        "/accounts/signup/", {"email": "x@y.test", "password1": "x-long-password-1", "password2": "x-long-password-1"}
    )
    assert not User.objects.filter(email="x@y.test").exists()


# --- Invitations -------------------------------------------------------------------------------


def test_invitation_round_trip(world):
    invitation, raw = invitation_create(
        invited_by=world["head"],
        email="New.Teacher@Own.test",
        full_name="New Teacher",
        roles=[Role.TEACHER],
        school=world.own,
    )
    assert invitation.email == "new.teacher@own.test"
    assert raw not in invitation.token_hash  # only the hash is stored
    assert len(mail.outbox) == 1 and raw in mail.outbox[0].body
    user = invitation_accept(raw_token=raw, full_name="New Teacher", password="plenty-long-passphrase-7")
    assert user.school == world.own and user.check_password("plenty-long-passphrase-7")
    assert RoleAssignment.objects.current().filter(person=user, role=Role.TEACHER, school=world.own).exists()
    with pytest.raises(ApplicationError, match="expired or has already been used"):
        invitation_accept(raw_token=raw, full_name="Again", password="plenty-long-passphrase-7")
    assert (
        AuditEvent.objects.filter(verb="invite").exists()
        and AuditEvent.objects.filter(verb="invitation_accepted").exists()
    )


def test_expired_invitation_cannot_be_used(world):
    invitation, raw = invitation_create(
        invited_by=world["head"], email="late@own.test", full_name="Late", roles=[Role.TEACHER], school=world.own
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ApplicationError):
        invitation_accept(raw_token=raw, full_name="Late", password="plenty-long-passphrase-7")
    assert not User.objects.filter(email="late@own.test").exists()


def test_invitation_refuses_weak_passwords_and_saves_nothing(world):
    _, raw = invitation_create(
        invited_by=world["head"], email="weak@own.test", full_name="Weak", roles=[Role.TEACHER], school=world.own
    )
    with pytest.raises(ApplicationError):
        invitation_accept(raw_token=raw, full_name="Weak", password="password")
    assert not User.objects.filter(email="weak@own.test").exists()


def test_invitation_roles_must_fit_where_they_are_held(world):
    with pytest.raises(ApplicationError):
        invitation_create(
            invited_by=world["head"], email="x@own.test", full_name="X", roles=[Role.COORDINATOR], school=world.own
        )
    with pytest.raises(ApplicationError):
        invitation_create(
            invited_by=world["coordinator"],
            email="x@la.test",
            full_name="X",
            roles=[Role.TEACHER],
            partnership=world.home,
        )


def test_invitation_page_rejects_unknown_tokens(client, db):
    assert client.get("/invitations/not-a-real-token/").status_code == 404


def test_the_sign_in_page_has_one_forgotten_password_link(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert html.count(f'href="{reverse("account_reset_password")}"') == 1
    assert "Forgotten your password?" in html
    assert "Forgot your password?" not in html
