from datetime import timedelta

import pytest

from partnership.core.templatetags.durations import duration_words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (timedelta(minutes=30), "30 minutes"),
        (timedelta(hours=0.5), "30 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(seconds=5), "1 minute"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=1, minutes=30), "1 hour 30 minutes"),
        (timedelta(hours=2), "2 hours"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=2, hours=3), "2 days 3 hours"),
        (None, ""),
    ],
)
def test_duration_words(value, words):
    assert duration_words(value) == words


@pytest.mark.django_db
def test_the_lockout_page_says_how_long_the_pause_is(client, settings):
    from partnership.directory.tests.factories import UserFactory

    settings.AXES_COOLOFF_TIME = 2  # hours
    UserFactory(email="head@school.test")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/accounts/login/", {"login": "head@school.test", "password": "wrong"})
    assert response.status_code == 429
    assert "Try again in 2 hours" in response.content.decode()
