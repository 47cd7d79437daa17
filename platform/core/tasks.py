"""The base class of our Celery tasks, and the scheduled housekeeping of the
background work (beat runs relay_outbox and heartbeat).

Celery's ``delay_on_commit`` enqueues a task once the transaction commits.
Ours does the same, guarded (core.aftercommit): once the change is committed,
a broker that is down — or, with eager tasks, the task itself failing — is
logged with its repair and never turns the saved change into an error answer.
"""

import functools

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import transaction

from . import aftercommit, outbox


class Task(DjangoTask):
    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(
            aftercommit.guarded(
                functools.partial(self.delay, *args, **kwargs),
                f"task {self.name}{args or ''}",
                f"Run {self.name} again with these arguments (it is idempotent).",
            )
        )


@shared_task(name="core.relay_outbox", ignore_result=True)
def relay_outbox():
    """Send the background jobs the broker has not taken yet."""
    return outbox.relay()


@shared_task(name="core.heartbeat", ignore_result=True)
def heartbeat():
    """Proof for the health check that beat, the broker and a worker work."""
    outbox.beat()
