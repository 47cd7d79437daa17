"""Health checks of our own parts (django-health-check runs them; the endpoint
is /health/, see config/urls.py and README "Operations"):

- Broker: a networked broker (Redis) accepts a connection; the embedded
  filesystem broker's folder is writable.
- Workers: beat's heartbeat went through the broker and a worker recently
  (core.heartbeat, every 30 s): workers and the scheduler both run.
- BackgroundWork: no job has failed for good (a warning for staff, with the
  admin's "Background work" list to send it again).

Messages name no address, password or path: the endpoint is public.
"""

import dataclasses
import datetime
import os

from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable, ServiceWarning

from . import outbox
from .models import BackgroundJob, Heartbeat


class InRequestThread:
    """A synchronous check run in the request's own thread (thread-sensitive),
    with its database connection, rather than in a pool thread with another."""

    async def run(self):
        await sync_to_async(self.check, thread_sensitive=True)()


@dataclasses.dataclass
class Database(InRequestThread, checks.Database):
    def check(self):
        checks.Database.run(self)


@dataclasses.dataclass
class Broker(InRequestThread, HealthCheck):
    timeout = datetime.timedelta(seconds=3)

    def __repr__(self):
        return "Broker"

    def check(self):
        if settings.CELERY_BROKER_URL.startswith("filesystem"):
            if not os.access(settings.BROKER_DIR, os.W_OK):
                raise ServiceUnavailable("the broker folder is not writable")
            return
        reachable, _why = outbox._broker_reachable()
        if not reachable:
            raise ServiceUnavailable("the broker does not accept connections")


@dataclasses.dataclass
class Workers(InRequestThread, HealthCheck):
    def __repr__(self):
        return "Workers"

    def check(self):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return  # tasks run in-process (tests): there is no worker to ask
        beat = Heartbeat.objects.filter(name="worker").values_list("at", flat=True)
        last = beat.first()
        if last is None:
            raise ServiceUnavailable(
                "no worker heartbeat yet (are worker and beat up?)"
            )
        age = (timezone.now() - last).total_seconds()
        if age > settings.HEALTH_WORKER_MAX_AGE:
            raise ServiceUnavailable(
                f"last worker heartbeat {age:.0f} s ago (worker or beat down)"
            )


@dataclasses.dataclass
class BackgroundWork(InRequestThread, HealthCheck):
    def __repr__(self):
        return "BackgroundWork"

    def check(self):
        failed = BackgroundJob.objects.filter(state=BackgroundJob.State.FAILED).count()
        if failed:
            raise ServiceWarning(f"{failed} background jobs failed (see the admin)")
        stuck = BackgroundJob.objects.filter(
            state=BackgroundJob.State.PENDING,
            created_at__lt=timezone.now()
            - datetime.timedelta(seconds=settings.HEALTH_WORKER_MAX_AGE),
        ).count()
        if stuck:
            raise ServiceWarning(f"{stuck} background jobs wait for the broker")
