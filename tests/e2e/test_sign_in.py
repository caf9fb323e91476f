"""Signing in and out in a real browser: password only, with an authenticator app, and with MFA required."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_sign_in_with_a_password_and_sign_out(page, world, a11y, sign_in):
    # A wrong password is refused with an error summary.
    sign_in(page, world["head"].email, "not-the-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    a11y(page)

    sign_in(page, world["head"].email)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {world['head'].get_short_name()}")
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text(world["head"].full_name)
    a11y(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    a11y(page)

    # Signed out: the home page sends you back to sign in.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    a11y(page)


def test_sign_in_with_an_authenticator_app(page, world, a11y, sign_in, totp_code):
    head = world["head"]
    secret = generate_totp_secret()
    TOTP.activate(head, secret)

    sign_in(page, head.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    a11y(page)
    code_input = page.get_by_label(re.compile("code", re.IGNORECASE))

    # A wrong code is refused and nobody is signed in.
    right = totp_code(secret)
    code_input.fill("000000" if right != "000000" else "111111")
    page.locator("main").get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.locator(".govuk-error-message, .govuk-error-summary").first).to_be_visible()
    expect(page.get_by_role("navigation", name="Your account")).to_have_count(0)
    a11y(page)

    code_input.fill(totp_code(secret))
    page.locator("main").get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {head.get_short_name()}")
    a11y(page)


def test_required_mfa_sends_you_to_set_up_an_authenticator(page, world, a11y, sign_in, require_mfa, totp_code):
    sign_in(page, world["teacher"].email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("authenticator", re.IGNORECASE))
    a11y(page)

    # The people directory is out of reach until an authenticator is set up.
    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/\?next=/people/$"))
    expect(page.get_by_text("Who's who")).to_have_count(0)
    a11y(page)

    # Setting one up with the secret shown on the page shows the recovery codes, then lets you in.
    secret = page.get_by_label("Authenticator secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    assert len(page.get_by_label("Unused codes").input_value().split()) >= 10
    a11y(page)

    page.goto("/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who's who")
    a11y(page)


def test_make_and_revoke_an_api_token(page, world, a11y, sign_in):
    sign_in(page, world["teacher"].email)
    a11y(page)
    page.goto("/account/")
    a11y(page)
    page.get_by_role("link", name="Manage API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_text("You have no working API tokens.")).to_be_visible()
    a11y(page)

    # A missing name is refused with an error that names the field.
    page.get_by_role("button", name="Make a token").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what the token is for")
    a11y(page)

    page.get_by_label("What the token is for").fill("Attendance spreadsheet")
    page.get_by_label("How long it works").select_option("30")
    page.get_by_role("button", name="Make a token").click()
    key = page.get_by_label("Token", exact=True).input_value()
    assert key.startswith("sp_") and len(key) > 40
    expect(page.get_by_role("row", name=re.compile("Attendance spreadsheet"))).to_be_visible()
    a11y(page)

    page.get_by_role("button", name=re.compile("Revoke")).click()
    expect(page.get_by_text("is revoked")).to_be_visible()
    expect(page.get_by_text("You have no working API tokens.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("^Revoked"))).to_be_visible()
    a11y(page)
