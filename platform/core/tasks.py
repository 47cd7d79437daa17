"""The base class of our Celery tasks.

Celery's ``delay_on_commit`` enqueues a task once the transaction commits.
Ours does the same, guarded (core.aftercommit): once the change is committed,
a broker that is down — or, with eager tasks, the task itself failing — is
logged with its repair and never turns the saved change into an error answer.
"""

import functools

from celery.contrib.django.task import DjangoTask
from django.db import transaction

from . import aftercommit


class Task(DjangoTask):
    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(
            aftercommit.guarded(
                functools.partial(self.delay, *args, **kwargs),
                f"task {self.name}{args or ''}",
                f"Run {self.name} again with these arguments (it is idempotent).",
            )
        )
