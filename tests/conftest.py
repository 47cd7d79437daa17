import json

import pytest
from django.core.management import call_command
from django.test import Client

from tests.support import DEMO

pytest_plugins = ["tests.browser"]


class SignInClient(Client):
    """The test client, whose force_login signs union staff in as the real
    sign-in does: password *and* second factor (tests of the second factor
    itself pass second_factor=False)."""

    def force_login(self, user, backend=None, second_factor=True):
        super().force_login(user, backend)
        from accounts.people import is_staff

        if second_factor and is_staff(user):
            from tests.factories import pass_second_factor

            pass_second_factor(self, user)


@pytest.fixture
def client():
    return SignInClient()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language: a request to an
    /en/ page leaves English active in the test's thread afterwards."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def admin_client(db, admin_user):
    client = SignInClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def demo_studios(db):
    call_command("import_studios", str(DEMO / "studios.jsonl"), "--no-progress")


@pytest.fixture
def write_jsonl(tmp_path):
    """Write records (dicts, or raw strings for broken lines) to a .jsonl file."""

    def write(records, name="studios.jsonl"):
        path = tmp_path / name
        lines = [
            r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
            for r in records
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def fresh_search_backend():
    """Each test's database starts empty, so each gets a fresh in-memory index."""
    from search.backends import get_backend

    get_backend.cache_clear()
    yield
    get_backend.cache_clear()


@pytest.fixture
def migration_content(transactional_db):
    """Transactional tests flush every table, including what migrations created
    (Wagtail's root page and locale, our home page and indexes, the starter
    thesaurus). Put the same content back when it is missing."""
    import importlib

    from django.apps import apps
    from wagtail.models import Locale, Page, Site

    from core.models import HomePage
    from search.models import ThesaurusEntry
    from studios.models import AllianceIndexPage, StoryIndexPage

    if not HomePage.objects.exists():
        Locale.objects.get_or_create(language_code="zh-hans")
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root")
        )
        home = root.add_child(instance=HomePage(title="匠联", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "root_page": home, "site_name": "匠联"},
        )
        home.add_child(
            instance=AllianceIndexPage(title="创新工作室联盟", slug="alliances")
        )
        home.add_child(instance=StoryIndexPage(title="新闻与会诊报道", slug="stories"))
    if not ThesaurusEntry.objects.exists():
        importlib.import_module(
            "search.migrations.0001_squashed_0005_learned_fusion"
        ).seed(apps, None)


@pytest.fixture
def cast(db):
    """Two enterprises, three studios' craftsmen and union staff (see
    tests.factories.make_cast)."""
    from tests.factories import make_cast

    return make_cast()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit(): …` runs what the block left for on-commit, as a real
    commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: requests must not close the connection that
    holds the test's transaction (PostgreSQL would lose it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def private_folder(settings, tmp_path):
    """Attachments (STORAGES["private"]) stored in a fresh folder of this
    test's own, returned."""
    folder = tmp_path / "private"
    folder.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }
    return folder
