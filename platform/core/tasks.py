"""Scheduled housekeeping of the background work (beat runs these). Work that
follows a write is enqueued through core.outbox, never by `.delay()`."""

from celery import shared_task

from . import outbox


@shared_task(name="core.relay_outbox", ignore_result=True)
def relay_outbox():
    """Send the background jobs the broker has not taken yet."""
    return outbox.relay()


@shared_task(name="core.heartbeat", ignore_result=True)
def heartbeat():
    """Proof for the health check that beat, the broker and a worker work."""
    outbox.beat()
