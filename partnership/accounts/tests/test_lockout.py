"""Sign-in lockout behind a reverse proxy: per account + address, per address across accounts."""

import pytest
from axes.models import AccessAttempt

from partnership.core.models import AuditEvent
from partnership.directory.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"
SCHOOL = "203.0.113.7"
OTHER_SCHOOL = "198.51.100.20"
LOCKED_OUT = b"too many unsuccessful attempts"
THROTTLED = b"Too many failed login attempts"


def sign_in(client, email, password="wrong-password", *, client_ip=None, forged=None, remote=PROXY):
    """POST the real sign-in form. Behind a proxy, the proxy appends the address it saw."""
    meta = {"REMOTE_ADDR": remote}
    hops = [hop for hop in (forged, client_ip) if hop]
    if hops:
        meta["HTTP_X_FORWARDED_FOR"] = ", ".join(hops)
    return client.post(LOGIN, {"login": email, "password": password}, **meta)


def locked_out(response) -> bool:
    """The axes lockout page (not allauth's throttle, which is a form error)."""
    return response.status_code == 429 and LOCKED_OUT in response.content


def throttled(response) -> bool:
    """allauth's per-address throttle on failed sign-ins: the form again, with its error."""
    return response.status_code == 200 and THROTTLED in response.content


@pytest.fixture
def one_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 12
    # allauth's own throttle must not be what stops these attempts.
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "1000/m/ip,1000/m/key"}
    return settings


def test_behind_a_proxy_one_client_is_locked_out_for_one_account_and_another_client_is_not(client, one_proxy):
    UserFactory(email="head@school.test")
    responses = [sign_in(client, "head@school.test", client_ip=SCHOOL) for _ in range(5)]
    assert not any(locked_out(r) for r in responses[:4])
    assert locked_out(sign_in(client, "head@school.test", PASSWORD, client_ip=SCHOOL))
    assert "_auth_user_id" not in client.session

    attempt = AccessAttempt.objects.get()
    # Five failures, and the attempt made while locked out.
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("head@school.test", SCHOOL, 6)
    assert set(AuditEvent.objects.filter(verb="login_failed").values_list("ip_address", flat=True)) == {SCHOOL}

    # The same account from another school, through the same proxy, still signs in.
    response = sign_in(client, "head@school.test", PASSWORD, client_ip=OTHER_SCHOOL)
    assert response.status_code == 302
    assert AuditEvent.objects.get(verb="login").ip_address == OTHER_SCHOOL

    # A request that did not come through the proxy counts against its own address.
    client.post("/accounts/logout/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OTHER_SCHOOL)
    sign_in(client, "head@school.test", remote="192.0.2.99")
    assert AccessAttempt.objects.filter(ip_address="192.0.2.99").count() == 1


def test_a_client_spraying_many_usernames_is_locked_out_by_address(client, one_proxy):
    UserFactory(email="head@school.test")
    # Colleagues mistyping on the school's shared address do not lock the school out...
    for n in range(5):
        for _ in range(2):
            assert not locked_out(sign_in(client, f"teacher{n}@school.test", client_ip=SCHOOL))
    AccessAttempt.objects.all().delete()
    assert sign_in(client, "head@school.test", PASSWORD, client_ip=SCHOOL).status_code == 302
    client.post("/accounts/logout/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=SCHOOL)

    # ...but one address trying many accounts is locked out.
    for n in range(12):
        response = sign_in(client, f"guess{n}@school.test", client_ip=SCHOOL)
    assert locked_out(response)
    assert AccessAttempt.objects.filter(ip_address=SCHOOL).count() == 12
    assert not AccessAttempt.objects.filter(failures_since_start__gte=2).exists()

    # Locked out for every account, even with the right password...
    assert locked_out(sign_in(client, "head@school.test", PASSWORD, client_ip=SCHOOL))
    # ...but only from that address.
    assert sign_in(client, "head@school.test", PASSWORD, client_ip=OTHER_SCHOOL).status_code == 302


def test_a_successful_sign_in_does_not_clear_the_address_count_of_other_accounts(client, one_proxy):
    UserFactory(email="head@school.test")
    for n in range(11):
        sign_in(client, f"guess{n}@school.test", client_ip=SCHOOL)
    assert sign_in(client, "head@school.test", PASSWORD, client_ip=SCHOOL).status_code == 302
    client.post("/accounts/logout/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=SCHOOL)
    assert AccessAttempt.objects.filter(ip_address=SCHOOL).count() == 11
    assert locked_out(sign_in(client, "guess11@school.test", client_ip=SCHOOL))


def test_a_rotating_forged_left_most_entry_does_not_escape_the_lockout(client, one_proxy):
    UserFactory(email="head@school.test")
    for n in range(5):
        response = sign_in(client, "head@school.test", client_ip=SCHOOL, forged=f"192.0.2.{n + 1}")
    assert locked_out(response)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [SCHOOL]

    for n in range(12):
        response = sign_in(client, f"guess{n}@school.test", client_ip=SCHOOL, forged=f"192.0.2.{n + 100}")
    assert locked_out(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {SCHOOL}


def test_allauth_rate_limit_counts_the_same_client_as_the_lockout(client, one_proxy):
    one_proxy.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    for n in range(3):
        assert not throttled(sign_in(client, f"guess{n}@school.test", client_ip=SCHOOL, forged=f"192.0.2.{n + 1}"))
    assert throttled(sign_in(client, "guess9@school.test", client_ip=SCHOOL, forged="192.0.2.50"))
    assert not throttled(sign_in(client, "guess9@school.test", client_ip=OTHER_SCHOOL))


def test_without_a_proxy_x_forwarded_for_is_ignored(client, settings):
    settings.PROXY_COUNT = 0
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 12
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    UserFactory(email="head@school.test")
    direct = "192.0.2.77"
    responses = [
        sign_in(client, f"guess{n}@school.test", remote=direct, client_ip=f"198.51.100.{n + 1}") for n in range(4)
    ]
    # allauth's per-address throttle is not escaped by a header the client wrote.
    assert [throttled(r) for r in responses] == [False, False, False, True]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {direct}
    # A header that is not an address at all is a failed sign-in like any other, not a 403.
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "1000/m/ip"}
    response = sign_in(client, "head@school.test", remote="192.0.2.78", client_ip="not-an-address")
    assert response.status_code == 200
    assert b"The email address and/or password you specified are not correct" in response.content
    assert AccessAttempt.objects.filter(ip_address="192.0.2.78").count() == 1
