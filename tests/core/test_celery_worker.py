"""With a broker, indexing happens in a real Celery worker: a saved studio is
indexed by the worker (another process) and found by this one. Runs in the
PostgreSQL pass of `make test` (both processes need one shared database)."""

import os
import time

import pytest
from django.conf import settings
from django.db import connection

from search.backends import get_backend
from search.thesaurus import weighted_terms
from tests.factories import StudioFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

needs_services = pytest.mark.skipif(
    connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
    reason="needs the PostgreSQL and Redis servers (the second pass of make test)",
)


def drop_broker_connections(app):
    """Forget pooled connections made with the previous broker_url (eager
    tasks acquire a producer too), as Celery itself does after a fork."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker(worker_factory):
    from config import celery_app

    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@"
            f"{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "SEARCH_ENCODER": "",
    }
    process = worker_factory(env, "--pool=solo", beat=False)
    saved = dict(celery_app.conf)
    celery_app.conf.update(task_always_eager=False, broker_url=os.environ["REDIS_URL"])
    drop_broker_connections(celery_app)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        yield process
    finally:
        settings.CELERY_TASK_ALWAYS_EAGER = True
        celery_app.conf.update(
            task_always_eager=saved["task_always_eager"], broker_url=saved["broker_url"]
        )
        drop_broker_connections(celery_app)


@needs_services
def test_a_saved_studio_is_indexed_by_the_worker(worker, settings):
    settings.SEARCH_ENCODER = ""
    StudioFactory(slug="s-worker", expertise="液压支架立柱自降治理。")  # commits
    terms = weighted_terms("立柱自降")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if [h.document["slug"] for h in get_backend().lexical(terms, limit=5)]:
            break
        assert worker.poll() is None, worker.stdout.read()
        time.sleep(0.2)
    found = [h.document["slug"] for h in get_backend().lexical(terms, limit=5)]
    if found != ["s-worker"]:
        worker.terminate()
        pytest.fail(f"not indexed; worker said:\n{worker.communicate(timeout=30)[0]}")
