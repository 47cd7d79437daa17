"""Production settings refuse to start without a real secret key."""

import os
import secrets
import subprocess
import sys

import pytest

from tests.support import ROOT

CHECK = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]


def run_check(**env):
    unwanted = {"SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environ = {k: v for k, v in os.environ.items() if k not in unwanted}
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS="jianglian.example.org",
        **env,
    )
    return subprocess.run(CHECK, cwd=ROOT, env=environ, capture_output=True, text=True)


@pytest.mark.parametrize(
    "key", [None, "", "dev-only-insecure-key-do-not-deploy", "x" * 49]
)
def test_production_refuses_a_missing_or_weak_secret_key(key):
    result = run_check(**({} if key is None else {"SECRET_KEY": key}))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_deploy_check_is_clean_with_a_real_key():
    result = run_check(SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stderr
