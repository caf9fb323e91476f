"""Production settings: `check --deploy` clean, refuses to start unconfigured, security headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_check_deploy_with_no_warnings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "partnership.example",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_settings(tmp_path, missing):
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "partnership.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    del env[missing]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


@pytest.mark.django_db
def test_pages_send_csp_and_signed_in_pages_are_not_stored(client, world):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'nonce-" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world["head"])
    response = client.get("/people/")
    assert "no-store" in response["Cache-Control"]


def test_static_files_collect_with_the_production_storage(tmp_path, settings):
    """The production storage rewrites every url() in CSS and JS to hashed names and fails on a
    reference to a missing file (a vendored image or source map), which would stop a deploy."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("js/vega/vega.min.*.js"))
