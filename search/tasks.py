"""Background indexing. Tasks take ids, re-read the database and are idempotent;
they are recorded in the transaction of the change (core.outbox) and run by
a worker once it has committed."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

from core import outbox
from core.models import BackgroundJob

from . import indexing
from .backends.base import SearchUnavailable

log = logging.getLogger(__name__)
INDEX_CHUNK = 500
ENCODE_CHUNK = 20


class SearchTask(outbox.OutboxTask):
    """A task that needs the search engine: while it does not answer, the job
    waits in the outbox (pending, with a backoff) and the relay sends it
    again, for as long as the outage lasts; it is never lost. Other
    transient errors (the database, the network) are retried as usual."""

    wait_on = (SearchUnavailable,)


def _chunks(ids, size):
    ids = sorted(set(ids))
    return [ids[i : i + size] for i in range(0, len(ids), size)]


@shared_task(name="search.index_studios", base=SearchTask, subject="studio_ids")
def index_studios_task(studio_ids):
    """Index these studios by their words at once, then have their sentence
    vectors computed (queue "encoding")."""
    for chunk in _chunks(studio_ids, INDEX_CHUNK):
        indexing.index_studios(studio_ids=chunk)
    schedule_encoding(studio_ids)
    return len(studio_ids)


@shared_task(name="search.encode_studios", base=SearchTask, subject="studio_ids")
def encode_studios_task(studio_ids):
    return indexing.encode_studios(studio_ids=studio_ids)


@shared_task(name="search.index_problems", base=SearchTask, subject="problem_ids")
def index_problems_task(problem_ids):
    for chunk in _chunks(problem_ids, INDEX_CHUNK):
        indexing.index_problems(problem_ids=chunk)
    return len(problem_ids)


@shared_task(name="search.reconcile_index", ignore_result=True)
def reconcile_index():
    """Compare the database with the search index (ids and fingerprints) and
    repair the drift: what index work was lost or failed, this puts right.
    Beat runs it (SEARCH_RECONCILE_SECONDS); while the engine does not
    answer it waits for the next run."""
    try:
        studios, problems = indexing.check(repair=True)
    except SearchUnavailable as exc:
        log.warning("Search reconciliation postponed: %s", exc)
        return None
    drift = {"studios": studios.total, "problems": problems.total}
    if studios.total or problems.total:
        log.warning("Search reconciliation repaired drift", extra={"drift": drift})
    return drift


def schedule_encoding(studio_ids):
    """Record the encoding of these studios' sentence vectors, by chunks."""
    if not settings.SEARCH_ENCODER or not studio_ids:
        return
    if settings.CELERY_TASK_ALWAYS_EAGER and (
        len(studio_ids) > settings.SEARCH_INLINE_ENCODE_LIMIT
    ):
        # Tests only: eager tasks would encode inline.
        log.warning("eager tasks: %d studios left without vectors", len(studio_ids))
        return
    with transaction.atomic():
        outbox.enqueue_many(
            encode_studios_task, [[c] for c in _chunks(studio_ids, ENCODE_CHUNK)]
        )


def enqueue_index_studios(studio_ids):
    """Record the indexing (then encoding) of many studios, in the current
    transaction, by chunks; sent when it commits."""
    outbox.enqueue_many(
        index_studios_task, [[c] for c in _chunks(studio_ids, INDEX_CHUNK)]
    )


def m2m_changed_ids(model, instance, action, pk_set):
    """The ids of ``model`` an m2m_changed signal concerns (none before the
    change is made)."""
    if not action.startswith("post_"):
        return []
    return [instance.pk] if isinstance(instance, model) else list(pk_set or [])


def schedule_index(studio_ids):
    """Index these studios once the current transaction commits (once each)."""
    _schedule("studios", studio_ids)


def schedule_problem_index(problem_ids):
    """Index (or drop) these problems once the current transaction commits."""
    _schedule("problems", problem_ids)


_TASKS = {"studios": index_studios_task, "problems": index_problems_task}


class _Pending:
    """The job of one kind recorded in the current transaction, grown as more
    ids are scheduled; sent once the transaction commits."""

    def __init__(self, pending, kind):
        (self.job,) = outbox.record_many(_TASKS[kind], [[[]]])
        self.ids = set()

        def send():
            pending.pop(kind, None)
            outbox.send([self.job.pk])

        self.send = send
        transaction.on_commit(send)

    def add(self, ids):
        new = ids - self.ids
        if new:
            self.ids |= new
            BackgroundJob.objects.filter(pk=self.job.pk).update(args=[sorted(self.ids)])


def _schedule(kind, ids):
    """One job per kind and transaction, written in that transaction. If a
    (savepoint) rollback dropped the job's row, Django dropped its send
    callback too: a new job starts."""
    ids = set(ids)
    if not ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        outbox.enqueue(_TASKS[kind], sorted(ids))
        return
    pending = connection.__dict__.setdefault("_search_pending", {})
    entry = pending.get(kind)
    if entry is None or not any(
        callback[1] is entry.send for callback in connection.run_on_commit
    ):
        entry = pending[kind] = _Pending(pending, kind)
    entry.add(ids)
