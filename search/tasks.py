"""Background indexing. Tasks take ids, re-read the database and are idempotent;
callers enqueue them once the transaction has committed."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

from core.aftercommit import guarded

from . import indexing

log = logging.getLogger(__name__)
INDEX_CHUNK = 500
ENCODE_CHUNK = 20
REPAIR = "Repair the index with `manage.py check_search_index --repair`."
RETRY = {"autoretry_for": (Exception,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="search.index_studios", acks_late=True, **RETRY)
def index_studios_task(studio_ids):
    return indexing.index_studios(studio_ids=studio_ids)


@shared_task(name="search.encode_studios", acks_late=True, **RETRY)
def encode_studios_task(studio_ids):
    return indexing.encode_studios(studio_ids=studio_ids)


def _chunks(ids, size):
    ids = sorted(ids)
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def enqueue_index_studios(studio_ids):
    """Lexical indexing right away; sentence vectors follow in the background.

    Run in-process (no broker), only a few studios are encoded inline; the
    rest wait for `manage.py encode_vectors`, and match lexically meanwhile.
    """
    studio_ids = set(studio_ids)
    if not studio_ids:
        return
    for chunk in _chunks(studio_ids, INDEX_CHUNK):
        index_studios_task.delay(chunk)
    if not settings.SEARCH_ENCODER:
        return
    if settings.CELERY_TASK_ALWAYS_EAGER and (
        len(studio_ids) > settings.SEARCH_INLINE_ENCODE_LIMIT
    ):
        log.warning(
            "%d studios wait for sentence vectors: run `manage.py encode_vectors`",
            len(studio_ids),
        )
        return
    for chunk in _chunks(studio_ids, ENCODE_CHUNK):
        encode_studios_task.delay(chunk)


@shared_task(name="search.index_problems", acks_late=True, **RETRY)
def index_problems_task(problem_ids):
    return indexing.index_problems(problem_ids=problem_ids)


def enqueue_index_problems(problem_ids):
    for chunk in _chunks(set(problem_ids), INDEX_CHUNK):
        index_problems_task.delay(chunk)


def m2m_changed_ids(model, instance, action, pk_set):
    """The ids of ``model`` an m2m_changed signal concerns (none before the
    change is made)."""
    if not action.startswith("post_"):
        return []
    return [instance.pk] if isinstance(instance, model) else list(pk_set or [])


def schedule_index(studio_ids):
    """Index these studios when the current transaction commits (once each)."""
    _schedule("studios", studio_ids)


def schedule_problem_index(problem_ids):
    """Index (or drop) these problems when the current transaction commits."""
    _schedule("problems", problem_ids)


_ENQUEUE = {"studios": enqueue_index_studios, "problems": enqueue_index_problems}


def _schedule(kind, ids):
    """The pending sets live on the connection with their flush callback; if
    the transaction rolled back, Django dropped the callback, so new sets start.
    """
    ids = set(ids)
    if not ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        guarded(_ENQUEUE[kind], "search indexing", REPAIR)(ids)
        return
    flush = getattr(connection, "_search_flush", None)
    if flush is None or not any(
        callback[1] is flush for callback in connection.run_on_commit
    ):
        pending = {name: set() for name in _ENQUEUE}

        def enqueue_pending():
            connection._search_flush = None
            for name, enqueue in _ENQUEUE.items():
                if pending[name]:
                    enqueue(pending[name])

        # the change is committed: an indexing failure is logged, not raised
        flush = guarded(enqueue_pending, "search indexing", REPAIR)
        flush.pending = pending
        connection._search_flush = flush
        transaction.on_commit(flush)
    flush.pending[kind].update(ids)
