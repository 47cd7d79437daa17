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
