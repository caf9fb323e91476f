"""The privacy notice and the accessibility statement: public, linked from every page's footer."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "heading", "must_say"),
    [
        ("privacy", "Privacy notice", ["public task", "Information Commissioner", "How long we keep it"]),
        ("accessibility", "Accessibility statement", ["WCAG", "2.2", "partially compliant", "Enforcement procedure"]),
    ],
)
def test_the_page_is_open_to_visitors_who_have_not_signed_in(client, name, heading, must_say):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}' in html
    for text in must_say:
        assert text in html
    assert html.count('class="govuk-breadcrumbs"') == 1


def assert_footer_links(html: str) -> None:
    assert f'class="govuk-footer__link" href="{reverse("privacy")}"' in html
    assert f'class="govuk-footer__link" href="{reverse("accessibility")}"' in html


def test_every_page_footer_links_to_both(client, world):
    assert_footer_links(client.get(reverse("account_login")).content.decode())
    client.force_login(world["teacher"])
    assert_footer_links(client.get(reverse("home")).content.decode())
    assert_footer_links(client.get(reverse("api-docs")).content.decode())


@override_settings(REQUIRE_MFA=True)
def test_someone_still_setting_up_two_step_sign_in_can_read_them(client, world):
    client.force_login(world["teacher"])
    assert client.get(reverse("home")).status_code == 302
    assert client.get(reverse("privacy")).status_code == 200
    assert client.get(reverse("accessibility")).status_code == 200


def test_the_notice_states_the_configured_session_and_key_lifetimes(client, settings):
    settings.SESSION_COOKIE_AGE = 2 * 60 * 60
    settings.API_TOKEN_LIFETIME_DAYS = 30
    html = client.get(reverse("privacy")).content.decode()
    assert "at most 2 hours" in html
    assert "at most 30 days" in html
