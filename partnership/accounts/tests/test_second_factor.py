"""The second factor on every way in: the app's sign-in, the admin's, sessions, and API tokens."""

import time
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.models import ApiToken
from partnership.accounts.services import api_token_create, api_token_revoke
from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.directory.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_authenticator(user):  # type: ignore[no-untyped-def]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def pupils_url(world) -> str:  # type: ignore[no-untyped-def]
    return reverse("outcomes:pupil_list", kwargs={"slug": world.own.slug})


# --- The admin's own sign-in form is gone ---------------------------------------------------------


@pytest.fixture
def staff_head(world):  # type: ignore[no-untyped-def]
    """The headteacher at `own`, made a platform administrator with Django admin access and an authenticator."""
    head = world["head"]
    head.is_staff = head.is_superuser = head.is_platform_admin = True
    head.save()
    with_authenticator(head)
    return head


def test_admin_sign_in_with_a_password_alone_signs_nobody_in(client, world, staff_head):
    response = client.post("/admin/login/?next=/admin/", {"username": staff_head.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    assert client.get(pupils_url(world)).status_code == 302  # still signed out
    assert client.get("/admin/").status_code == 302


def test_admin_sign_in_page_sends_people_to_the_app_sign_in(client, staff_head):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN + "?next=%2Fadmin%2Faccounts%2Fuser%2F"
    # A next address on another site is not followed.
    assert client.get("/admin/login/?next=https://evil.example/").get("Location") == LOGIN + "?next=%2Fadmin%2F"


def test_the_admin_is_reached_after_password_and_code(client):
    admin = UserFactory(is_staff=True, is_superuser=True, is_platform_admin=True)
    secret = with_authenticator(admin)
    response = client.post(LOGIN + "?next=/admin/", {"login": admin.email, "password": PASSWORD})
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    client.post("/accounts/2fa/authenticate/", {"code": code_for(secret)})
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_person_without_admin_rights_is_refused_not_looped(client, world):
    client.force_login(world["teacher"])
    assert client.get("/admin/login/").status_code == 403


# --- The middleware checks this session, not just the account ----------------------------------


def test_a_session_that_skipped_the_code_is_ended(client, world):
    head = world["head"]
    with_authenticator(head)
    client.force_login(head)  # what a password-only sign-in path leaves: no "mfa" step in the session
    response = client.get(pupils_url(world))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(actor=head, verb="denied", detail__action="session_without_second_factor").exists()
    # ... and nothing under /accounts/2fa/ is open to it (recovery codes, removing the authenticator).
    client.force_login(head)
    assert client.get("/accounts/2fa/recovery-codes/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("require_mfa", [False, True])
def test_a_session_that_passed_the_code_reads_pupil_data(client, world, settings, require_mfa):
    settings.REQUIRE_MFA = require_mfa
    head = world["head"]
    secret = with_authenticator(head)
    client.post(LOGIN, {"login": head.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": code_for(secret)})
    assert client.get(pupils_url(world)).status_code == 200


def test_setting_up_an_authenticator_counts_as_passing_it(client, world, settings):
    settings.REQUIRE_MFA = True
    head = world["head"]
    client.post(LOGIN, {"login": head.email, "password": PASSWORD})
    assert client.get(pupils_url(world))["Location"].startswith("/accounts/2fa/totp/activate/")
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": code_for(secret)})
    assert response.status_code == 302
    assert client.get(pupils_url(world)).status_code == 200
    assert AuditEvent.objects.filter(actor=head, verb="mfa_added").exists()


def test_another_session_from_before_the_authenticator_is_ended(client, world):
    head = world["head"]
    client.post(LOGIN, {"login": head.email, "password": PASSWORD})
    assert client.get(pupils_url(world)).status_code == 200
    with_authenticator(head)  # set up from another browser
    assert client.get(pupils_url(world))["Location"].startswith(LOGIN)


# --- API tokens ------------------------------------------------------------------------------------


def api_get(client, raw: str, url: str = "/api/v1/people/"):  # type: ignore[no-untyped-def]
    return client.get(url, HTTP_AUTHORIZATION=f"Token {raw}")


def test_under_require_mfa_a_token_needs_an_account_with_an_authenticator(client, world, settings):
    settings.REQUIRE_MFA = True
    head = world["head"]
    _, raw = api_token_create(user=head, name="Spreadsheet")
    response = api_get(client, raw)
    assert response.status_code in (401, 403)
    assert "two-step sign-in" in response.json()["detail"]
    with_authenticator(head)
    assert api_get(client, raw).status_code == 200


def test_without_require_mfa_tokens_work_as_before(client, world):
    _, raw = api_token_create(user=world["teacher"])
    assert api_get(client, raw).status_code == 200


def test_tokens_expire_by_default_after_the_configured_days(client, world, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    token, raw = api_token_create(user=world["teacher"])
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api_get(client, raw)
    assert response.status_code in (401, 403) and "expired" in response.json()["detail"]


def test_a_token_cannot_outlive_the_configured_lifetime(world, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 90
    with pytest.raises(ApplicationError, match="1 to 90 days"):
        api_token_create(user=world["teacher"], lifetime_days=365)
    assert not ApiToken.objects.exists()


def test_a_token_records_when_it_was_last_used(client, world):
    token, raw = api_token_create(user=world["teacher"])
    assert token.last_used_at is None
    api_get(client, raw)
    token.refresh_from_db()
    assert token.last_used_at is not None and timezone.now() - token.last_used_at < timedelta(minutes=1)


def test_a_revoked_token_stops_working_and_only_its_owner_revokes_it(client, world):
    token, raw = api_token_create(user=world["teacher"])
    with pytest.raises(ApplicationError):
        api_token_revoke(token=token, actor=world["head"])
    assert api_get(client, raw).status_code == 200
    api_token_revoke(token=token, actor=world["teacher"])
    assert api_get(client, raw).status_code in (401, 403)
    assert AuditEvent.objects.filter(verb="revoke", object_type="accounts.apitoken").exists()


# --- The token page --------------------------------------------------------------------------------


def test_the_token_page_makes_a_token_and_shows_its_key_once(client, world):
    teacher = world["teacher"]
    client.force_login(teacher)
    url = reverse("accounts:api_tokens")
    response = client.post(url, {"name": "Attendance spreadsheet", "lifetime_days": "30"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    token = ApiToken.objects.get(user=teacher)
    key = page.split('id="token-key" type="text" value="')[1].split('"')[0]
    assert ApiToken.hash_key(key) == token.key_hash and token.name == "Attendance spreadsheet"
    assert key not in client.get(url).content.decode()  # shown once
    assert api_get(client, key).status_code == 200


def test_the_token_page_lists_only_the_owners_tokens_and_revokes_them(client, world):
    teacher, head = world["teacher"], world["head"]
    mine, _ = api_token_create(user=teacher, name="Mine")
    theirs, their_raw = api_token_create(user=head, name="The head's")
    client.force_login(teacher)
    page = client.get(reverse("accounts:api_tokens")).content.decode()
    assert "Mine" in page and "The head&#x27;s" not in page and "The head's" not in page
    refused = client.post(reverse("accounts:api_token_revoke", kwargs={"pk": theirs.pk}))
    assert refused.status_code in (403, 404)
    assert api_get(client, their_raw).status_code == 200
    client.post(reverse("accounts:api_token_revoke", kwargs={"pk": mine.pk}))
    mine.refresh_from_db()
    assert mine.revoked_at is not None


def test_the_token_form_names_the_field_it_refuses(client, world):
    client.force_login(world["teacher"])
    response = client.post(reverse("accounts:api_tokens"), {"name": "", "lifetime_days": "9999"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    body = response.content.decode()
    assert 'href="#id_name"' in body and 'href="#id_lifetime_days"' in body
