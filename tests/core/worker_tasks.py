"""A task for the worker-loss test, loaded into a real worker with
``--include tests.core.worker_tasks``: it records that it started (a file the
test watches), writes its effect, then takes its time — long enough to be
killed half-way."""

import time
from pathlib import Path

from celery import shared_task
from django.utils import timezone

from core import outbox
from core.models import Heartbeat


@shared_task(name="tests.slow_effect", base=outbox.OutboxTask, bind=True)
def slow_effect(self, name, started_file, seconds):
    with Path(started_file).open("a") as handle:
        handle.write("started\n")
    Heartbeat.objects.create(name=name, at=timezone.now())  # the effect
    time.sleep(seconds)


slow_effect.atomic = True  # the effect and "done" commit together


# Tasks that fail, for the tests of alerts and logs (run eagerly).


class PartDown(Exception):  # noqa: N818
    """A part a task needs does not answer (as SearchUnavailable for search)."""


@shared_task(
    name="tests.flaky",
    base=outbox.OutboxTask,
    autoretry_for=(ConnectionError,),
    max_retries=4,
    retry_backoff=False,
    subject="problem_id",
)
def flaky(problem_id):
    """Fails transiently every time: retried, then failed for good."""
    raise ConnectionError(f"the network is down (problem {problem_id})")


@shared_task(name="tests.broken", base=outbox.OutboxTask, subject="problem_id")
def broken(problem_id):
    """Fails at once (not a transient error)."""
    raise ValueError(f"cannot work on problem {problem_id}")


@shared_task(
    name="tests.needs_part",
    base=outbox.OutboxTask,
    wait_on=(PartDown,),
    subject="studio_ids",
)
def needs_part(studio_ids):
    """Waits in the outbox while the part is down."""
    raise PartDown("the part does not answer")
