"""/health/ reports the database, the broker, search and the workers each on
its own line, and fails (500) when one of them is down."""

import pytest
from django.utils import timezone

from core.models import BackgroundJob, Heartbeat

pytestmark = pytest.mark.django_db
CLOSED_PORT = "redis://127.0.0.1:9/0"


def health(client):
    return client.get("/health/?format=json")


@pytest.fixture
def with_workers(settings):
    """As on a site whose tasks run in workers (not eagerly)."""
    from config import celery_app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    yield settings
    celery_app.conf.task_always_eager = True


def test_all_parts_reported_separately(client, with_workers):
    Heartbeat.objects.create(name="worker", at=timezone.now())
    answer = health(client)
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {
        "Database(alias='default')": "OK",
        "Broker": "OK",
        "Search": "OK",
        "Workers": "OK",
        "BackgroundWork": "OK",
    }


def test_no_worker_heartbeat_means_workers_down(client, with_workers):
    Heartbeat.objects.create(
        name="worker", at=timezone.now() - timezone.timedelta(minutes=10)
    )
    answer = health(client)
    assert answer.status_code == 500
    assert "worker or beat down" in answer.json()["Workers"]
    assert answer.json()["Database(alias='default')"] == "OK"


def test_a_broker_that_refuses_connections_is_down(client, with_workers):
    from config import celery_app

    Heartbeat.objects.create(name="worker", at=timezone.now())
    saved = celery_app.conf.broker_url
    with_workers.CELERY_BROKER_URL = CLOSED_PORT
    celery_app.conf.broker_url = CLOSED_PORT
    try:
        answer = health(client)
    finally:
        celery_app.conf.broker_url = saved
    assert answer.status_code == 500
    assert answer.json()["Broker"].endswith("the broker does not accept connections")
    assert "127.0.0.1" not in answer.content.decode()  # no address for the public


def test_failed_background_work_is_reported(client, with_workers):
    Heartbeat.objects.create(name="worker", at=timezone.now())
    BackgroundJob.objects.create(task="x.y", queue="default", state="failed")
    answer = health(client)
    assert answer.status_code == 500
    assert "1 background jobs failed" in answer.json()["BackgroundWork"]
