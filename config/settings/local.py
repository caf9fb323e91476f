"""Laptop defaults: SQLite, console email, eager tasks, MFA optional."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env, env_bool

DEBUG = env_bool("DEBUG", True)
REQUIRE_MFA = env_bool("REQUIRE_MFA", False)
SITE_URL = env("SITE_URL").rstrip("/") or "http://127.0.0.1:8000"
# Serve static files straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
