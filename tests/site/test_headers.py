"""Security and caching headers, the API throttles, and what a visitor sees
when something goes wrong."""

import re
from pathlib import Path

import pytest
import requests
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from config.settings import base
from tests import livesite
from tests.factories import StudioFactory, person
from tests.support import ROOT

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part)
    }


def test_public_pages_forbid_inline_script_and_foreign_sources(client):
    studio = StudioFactory()
    for url in ("/problems/", "/problems/results/", studio.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = directives(response)
        assert csp["script-src"] == ["'self'"], url
        assert csp["style-src"] == ["'self'"], url
        assert csp["default-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert csp["base-uri"] == ["'self'"]
        assert csp["frame-ancestors"] == ["'self'"]


def test_only_the_admin_and_the_api_docs_have_their_documented_exceptions(
    client, admin_user
):
    client.force_login(admin_user)
    admin = directives(client.get("/admin/"))
    assert "'unsafe-inline'" in admin["script-src"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    csp = directives(docs)
    assert csp["script-src"] == ["'self'"]  # Swagger UI from our static files
    assert "'unsafe-inline'" not in csp["script-src"]
    # its start-up script is a file of its own, not inline
    assert re.search(r'<script src="[^"]*\?script=', docs.content.decode())


def test_our_templates_hold_no_inline_script_handler_or_style():
    """What the strict policy above would block in a browser."""
    offending = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = Path(path).read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)",
            r"\son[a-z]+=",
            r"\sstyle=",
            "<style",
        ):
            if re.search(pattern, text, flags=re.IGNORECASE):
                offending.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert not offending


def test_permissions_policy_denies_powerful_features(client):
    policy = client.get("/problems/")["Permissions-Policy"]
    features = dict(part.strip().split("=") for part in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


def test_personalised_answers_are_private_and_not_stored(client):
    owner = person("staff")
    for url in ("/accounts/login/", "/api/v1/studios/", "/api/v1/problems/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url
    client.force_login(owner)
    for url in ("/problems/", "/accounts/", "/api/v1/problems/"):
        response = client.get(url)
        assert response.status_code == 200, url
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_public_pages_are_cached_here_and_revalidated_downstream(
    client, settings, django_assert_max_num_queries
):
    """Our page cache serves anonymous readers and forgets a page as soon as
    content changes; a browser or proxy may store it but must ask again each
    time, or it would show a problem made confidential for minutes more."""
    settings.PAGE_CACHE_SECONDS = 600
    studio = StudioFactory()
    first = client.get(studio.get_absolute_url())
    with django_assert_max_num_queries(0):  # the second one from our cache
        again = client.get(studio.get_absolute_url())
    for response in (first, again):
        cache_control = response["Cache-Control"]
        assert "no-cache" in cache_control and "max-age" not in cache_control
        assert "private" not in cache_control and "no-store" not in cache_control
        assert not response.has_header("Expires")
    assert again.content == first.content


@pytest.fixture
def real_rates(monkeypatch):
    """The rates of config.settings.base (the test settings raise them so
    the rest of the suite never meets them); counts start from zero."""
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    )
    cache.clear()
    yield base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    cache.clear()


def test_anonymous_api_use_is_throttled_at_120_a_minute(client, real_rates):
    assert real_rates["anon"] == "120/min"
    answers = [client.get("/api/v1/studios/").status_code for _ in range(121)]
    assert answers[:120] == [200] * 120
    assert answers[120] == 429
    throttled = client.get("/api/v1/studios/")
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    # a made-up X-Forwarded-For does not start a new count (no proxy trusted)
    spoofed = client.get("/api/v1/studios/", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert spoofed.status_code == 429
    # another address has its own count
    assert client.get("/api/v1/studios/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_signed_in_api_use_is_throttled_per_user(client, real_rates, monkeypatch):
    assert real_rates["user"] == "600/min"
    monkeypatch.setitem(real_rates, "user", "3/min")  # the same class, fewer calls
    client.force_login(person("staff"))
    answers = [client.get("/api/v1/problems/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_make_run_serves_without_debug_and_still_serves_static_files(
    tmp_path, tmp_path_factory
):
    """`make run`'s server (dev settings, no DEBUG in the environment): a
    missing page is a plain 404 without Django's debug page, and the static
    files are there all the same (WhiteNoise, not DEBUG)."""
    template_dir = tmp_path_factory.getbasetemp() / "livesite-template"
    template_dir.mkdir(exist_ok=True)
    env = livesite.environment(
        livesite.sqlite_database(tmp_path, template_dir), tmp_path
    )
    with livesite.running_server(env) as server:
        missing = requests.get(f"{server.url}/no-such-page/", timeout=60)
        assert missing.status_code == 404
        assert "URLconf" not in missing.text and "DEBUG = True" not in missing.text
        css = requests.get(f"{server.url}/static/css/site.css", timeout=60)
        assert css.status_code == 200 and "--red" in css.text
        assert "Content-Security-Policy" in missing.headers
