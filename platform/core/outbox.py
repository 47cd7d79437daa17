"""Background work that is never lost: a transactional outbox in front of Celery.

``enqueue(task, *args)`` writes a BackgroundJob row in the caller's
transaction — the work is recorded if and only if the change that causes it
is committed — and sends it to the broker once the transaction commits. A
broker that is down (or slow) only delays the work: the send is tried once,
briefly, the request answers, and the job stays *pending* until the relay
(``core.relay_outbox``, run by beat every few seconds) sends it again.

Tasks declared with ``base=OutboxTask`` take ids and are idempotent. The
worker marks the job *done* when the task returns; a job already done is not
run again (a redelivery after a lost worker, a second send by the relay), and
a task with ``atomic = True`` commits its own writes together with that mark,
so a worker killed half-way leaves nothing half-done and nothing done twice.
Transient errors (database, network) are retried with exponential backoff;
any other error fails the job at once. A task that needs a part which may be
down for long (the search engine) names that part's error in ``wait_on``:
the job then goes back to *pending* with a ``retry_at`` (backoff up to
OUTBOX_RETRY_MAX_SECONDS) and the relay sends it again when it is due, for
as long as the outage lasts. Union staff see pending and failed jobs in the
admin (Settings → Background work) and can send one again; they are alerted
once per job (``failing``, a signal accounts turns into a notification) when
it has failed OUTBOX_ALERT_AFTER times or has failed for good.

Log records of the relay and of the tasks carry ``job_id``, ``task_name``,
``attempt`` and the task's ``subject`` (``problem_id``, ``studio_ids``…) as
fields: JSON logs (LOG_FORMAT=json) show them as keys.

How to enqueue from a new app::

    from core import outbox

    @shared_task(base=outbox.OutboxTask, name="notifications.deliver")
    def deliver(notification_id): ...

    # inside the service's @transaction.atomic, next to the write:
    outbox.enqueue(deliver, notification.pk)

The queue of a task follows ``CELERY_TASK_ROUTES`` (by the task's name).
"""

import fnmatch
import logging
import socket
from datetime import timedelta

from celery import Task, current_app
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from kombu.utils.url import parse_url

from .models import BackgroundJob, Heartbeat

log = logging.getLogger("jianglian.outbox")
State = BackgroundJob.State
PREFIX = "job-"
PROBE_SECONDS = 0.5

# Errors worth trying again later: a database that is busy or restarting, a
# network or a search engine that does not answer. Apps add their own
# (search adds Elasticsearch's connection errors).
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)

# Sent once per job (``job``: the BackgroundJob) when it has failed
# OUTBOX_ALERT_AFTER times or has failed for good; in the transaction that
# records it. accounts tells union staff.
failing = Signal()


def log_fields(job_id, task, args, attempt=None):
    """The fields every log record about a job carries (``extra=``): its id,
    task name, attempt (times sent) and subject (``problem_id``…)."""
    fields = {"job_id": job_id, "task_name": task, "attempt": attempt}
    subject = getattr(current_app.tasks.get(task), "subject", None)
    if subject and args:
        fields[subject] = args[0]
    return fields


def queue_of(name):
    """The queue CELERY_TASK_ROUTES gives a task name (glob patterns)."""
    for pattern, route in getattr(settings, "CELERY_TASK_ROUTES", {}).items():
        if fnmatch.fnmatchcase(name, pattern):
            return route["queue"]
    return settings.CELERY_TASK_DEFAULT_QUEUE


def _name(task):
    return task if isinstance(task, str) else task.name


def enqueue(task, *args):
    """Record ``task(*args)`` in the current transaction; send it on commit."""
    return enqueue_many(task, [args])[0]


def enqueue_many(task, arg_lists):
    """Record one job per argument list, in one insert; send them on commit."""
    jobs = record_many(task, arg_lists)
    ids = [job.pk for job in jobs]
    transaction.on_commit(lambda: send(ids))
    return jobs


def record_many(task, arg_lists):
    """Record jobs without sending them: the caller sends them (``send``) once
    its transaction commits."""
    name = _name(task)
    queue = queue_of(name)
    return BackgroundJob.objects.bulk_create(
        [BackgroundJob(task=name, args=list(args), queue=queue) for args in arg_lists]
    )


def send(job_ids):
    """Hand these jobs to the broker; those it refuses stay pending. Never
    raises: the change that caused them is committed."""
    sent = 0
    jobs = BackgroundJob.objects.filter(
        pk__in=list(job_ids), state__in=[State.PENDING, State.SENT]
    ).order_by("pk")
    if not jobs.exists():
        return 0
    reachable, why = _broker_reachable()
    if not reachable:
        jobs.filter(state=State.PENDING).update(last_error=f"not sent: {why}"[:2000])
        log.warning("Broker unreachable (%s): jobs %s wait for the relay", why, job_ids)
        return 0
    for job in jobs:
        sent += _send(job)
    return sent


def _broker_reachable():
    """A quick TCP look at a networked broker before sending: the Redis client
    retries a refused connection with backoff for seconds, which a request
    must not wait for (the relay sends the jobs once the broker is back)."""
    conf = current_app.conf
    if conf.task_always_eager:
        return True, ""
    url = parse_url(conf.broker_url or "")
    if url.get("transport") not in ("redis", "rediss", "amqp", "amqps", "pyamqp"):
        return True, ""  # filesystem, memory: no server to be down
    host = url.get("hostname") or "localhost"
    port = url.get("port") or (6379 if url["transport"].startswith("redis") else 5672)
    try:
        socket.create_connection((host, port), timeout=PROBE_SECONDS).close()
    except OSError as exc:
        return False, f"{host}:{port} {exc!r}"
    return True, ""


def _send(job):
    # Marked sent first: an eager task (tests) runs, and marks itself done,
    # inside apply_async.
    claimed = BackgroundJob.objects.filter(
        pk=job.pk, state=job.state, attempts=job.attempts
    ).update(state=State.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1)
    if not claimed:
        return 0  # someone else sent it meanwhile
    options = {"task_id": f"{PREFIX}{job.pk}", "queue": job.queue, "retry": False}
    try:
        task = _task(job.task)
        if task is not None:
            task.apply_async(args=job.args, **options)
        else:
            current_app.send_task(job.task, args=job.args, **options)
    except Exception as exc:
        if current_app.conf.task_always_eager:
            # The task ran here (tests) and failed for good (its retries,
            # if any, are spent): as a worker's on_failure would, with why.
            log.exception(
                "Background job #%s (%s) failed: %r",
                job.pk,
                job.task,
                exc,
                extra=log_fields(job.pk, job.task, job.args, job.attempts + 1),
            )
            fail(job_id=job.pk, error=f"{exc!r}")
            return 1
        BackgroundJob.objects.filter(pk=job.pk, state=State.SENT).update(
            state=State.PENDING, last_error=f"not sent: {exc!r}"[:2000]
        )
        log.warning(
            "Broker unavailable: background job #%s (%s) waits for the relay (%r)",
            job.pk,
            job.task,
            exc,
            extra=log_fields(job.pk, job.task, job.args, job.attempts + 1),
        )
        return 0
    log.info(
        "Background job #%s (%s) sent",
        job.pk,
        job.task,
        extra=log_fields(job.pk, job.task, job.args, job.attempts + 1),
    )
    return 1


def _task(name):
    """The task registered under ``name``, after importing every app's tasks
    module (Celery's autodiscovery is lazy; a web process may not have yet)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks.get(name)


def relay(*, now=None):
    """Send the jobs that are still waiting: pending ones (the broker was down,
    or the process died between the commit and the send) and sent ones not
    done within the lease (their message was lost). A job sent too often
    without ever finishing fails, for staff to look at."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)
    lease = now - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    waiting = BackgroundJob.objects.filter(
        Q(state=State.PENDING, retry_at__isnull=True, created_at__lt=grace)
        | Q(state=State.PENDING, retry_at__isnull=True, attempts__gt=0)
        | Q(state=State.PENDING, retry_at__lte=now)
        | Q(state=State.SENT, sent_at__lt=lease)
    )
    # Sent too often without ever finishing (lost messages, killed workers);
    # a job waiting for a part that is down (retry_at) waits for it instead.
    lost = waiting.filter(
        attempts__gte=settings.OUTBOX_MAX_SENDS, retry_at__isnull=True
    )
    for job in lost:
        fail(job_id=job.pk, error=f"sent {job.attempts} times without finishing")
    ids = list(
        waiting.exclude(pk__in=[job.pk for job in lost])
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.OUTBOX_RELAY_BATCH]
    )
    if ids:
        log.info("Relay: sending %d waiting background jobs", len(ids))
    return send(ids)


@transaction.atomic
def retry(*, job):
    """Staff send a failed (or stuck) job again."""
    locked = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if locked.state == State.DONE:
        return locked
    locked.state = State.PENDING
    locked.attempts = locked.failures = 0
    locked.finished_at = locked.retry_at = locked.alerted_at = None
    locked.save(
        update_fields=[
            "state",
            "attempts",
            "failures",
            "finished_at",
            "retry_at",
            "alerted_at",
        ]
    )
    transaction.on_commit(lambda: send([locked.pk]))
    return locked


def beat():
    Heartbeat.objects.update_or_create(name="worker", defaults={"at": timezone.now()})


def job_id_of(task_id):
    if task_id and task_id.startswith(PREFIX) and task_id[len(PREFIX) :].isdigit():
        return int(task_id[len(PREFIX) :])
    return None


class OutboxTask(Task):
    """A task sent through the outbox: run at most once to completion."""

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT
    retry_backoff = True
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 8
    ignore_result = True
    # True: the task's writes and the job's "done" commit together (a task
    # whose effect must not happen twice, such as a notification).
    atomic = False
    # Errors of a part that may be down for long (not in autoretry_for): the
    # job waits in the outbox and the relay sends it again (see ``wait``).
    wait_on = ()
    # The log field naming the task's first argument ("problem_id"…).
    subject = None

    def __call__(self, *args, **kwargs):
        job_id = job_id_of(self.request.id)
        if job_id is None:  # called directly, not through the outbox
            return super().__call__(*args, **kwargs)
        fields = self._log_fields(job_id, args)
        log.info("Background job #%s (%s) started", job_id, self.name, extra=fields)
        try:
            result = self._run(job_id, *args, **kwargs)
        except self.wait_on as exc:
            wait(job_id=job_id, error=exc)
            return None
        log.info("Background job #%s (%s) done", job_id, self.name, extra=fields)
        return result

    def _log_fields(self, job_id, args):
        attempt = (
            BackgroundJob.objects.filter(pk=job_id)
            .values_list("attempts", flat=True)
            .first()
        )
        return log_fields(job_id, self.name, args, attempt)

    def _run(self, job_id, *args, **kwargs):
        if self.atomic:
            with transaction.atomic():
                state = (
                    BackgroundJob.objects.select_for_update()
                    .filter(pk=job_id)
                    .values_list("state", flat=True)
                    .first()
                )
                if state == State.DONE:
                    return None
                result = super().__call__(*args, **kwargs)
                _finish(job_id)
            return result
        if BackgroundJob.objects.filter(pk=job_id, state=State.DONE).exists():
            log.info("Background job #%s is already done", job_id)
            return None
        result = super().__call__(*args, **kwargs)
        _finish(job_id)
        return result

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        job_id = job_id_of(task_id)
        if job_id is not None:
            log.warning(
                "Background job #%s (%s) failed, retrying: %r",
                job_id,
                self.name,
                exc,
                extra=self._log_fields(job_id, args),
            )
            _failed(job_id, last_error=f"retrying: {exc!r}"[:2000])

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id = job_id_of(task_id)
        if job_id is not None:
            log.error(
                "Background job #%s (%s) failed: %r",
                job_id,
                self.name,
                exc,
                extra=self._log_fields(job_id, args),
            )
            fail(job_id=job_id, error=str(einfo)[-4000:])


def retry_delay(failures):
    """Seconds before a job that failed ``failures`` times is sent again."""
    return min(
        settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(failures - 1, 0),
        settings.OUTBOX_RETRY_MAX_SECONDS,
    )


def wait(*, job_id, error):
    """The job needs a part that is down: back to pending, sent again by the
    relay after a backoff."""
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    delay = retry_delay(job.failures + 1)
    log.warning(
        "Background job #%s (%s) waits %s s for a part that is down: %r",
        job_id,
        job.task,
        delay,
        error,
        extra=log_fields(job.pk, job.task, job.args, job.attempts),
    )
    _failed(
        job_id,
        state=State.PENDING,
        retry_at=timezone.now() + timedelta(seconds=delay),
        last_error=f"waiting: {error!r}"[:2000],
    )


def fail(*, job_id, error):
    """The job failed for good (staff may send it again)."""
    _failed(
        job_id,
        state=State.FAILED,
        finished_at=timezone.now(),
        last_error=error[-4000:],
    )


@transaction.atomic
def _failed(job_id, **changes):
    """Count one failure of a job (not done) and tell staff once, when it has
    failed OUTBOX_ALERT_AFTER times or for good."""
    updated = (
        BackgroundJob.objects.filter(pk=job_id)
        .exclude(state=State.DONE)
        .update(failures=F("failures") + 1, **changes)
    )
    if not updated:
        return
    due = Q(failures__gte=settings.OUTBOX_ALERT_AFTER) | Q(state=State.FAILED)
    claimed = BackgroundJob.objects.filter(
        due, pk=job_id, alerted_at__isnull=True
    ).update(alerted_at=timezone.now())
    if claimed:
        job = BackgroundJob.objects.get(pk=job_id)
        log.error(
            "Background job #%s (%s) keeps failing: union staff alerted",
            job.pk,
            job.task,
            extra=log_fields(job.pk, job.task, job.args, job.attempts),
        )
        failing.send(sender=BackgroundJob, job=job)


def _finish(job_id):
    BackgroundJob.objects.filter(pk=job_id).update(
        state=State.DONE, finished_at=timezone.now(), last_error=""
    )
