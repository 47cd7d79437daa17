"""Background work survives a failing part (real PostgreSQL, Redis and worker
processes; the PostgreSQL pass of `make test`):

- the broker down when a problem is published: the publication answers at
  once, and the problem is matched once a broker is reachable, restarting
  nothing;
- a worker process killed (SIGKILL) in the middle of a task: the task runs
  again and its effect happens exactly once.
"""

import os
import signal
import time
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.db import connection, transaction

from core import outbox
from core.models import BackgroundJob, Heartbeat
from problems import services
from problems.models import Problem, Status
from tests.factories import EnterpriseFactory, StudioFactory, person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CLOSED_PORT = "redis://127.0.0.1:9/0"  # discard: nothing listens

needs_services = pytest.mark.skipif(
    connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
    reason="needs the PostgreSQL and Redis servers (the second pass of make test)",
)


def drop_broker_connections(app):
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    """This process sends tasks for real (not eagerly) to the broker given."""
    from config import celery_app

    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url

    def use(url):
        celery_app.conf.update(task_always_eager=False, broker_url=url)
        settings.CELERY_TASK_ALWAYS_EAGER = False
        drop_broker_connections(celery_app)

    yield use
    celery_app.conf.update(task_always_eager=saved[0], broker_url=saved[1])
    drop_broker_connections(celery_app)


@pytest.fixture
def worker_env(tmp_path):
    database = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@"
            f"{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "SEARCH_ENCODER": "",
        "ELASTICSEARCH_URL": "",
        "JIANGLIAN_VAR_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join(
            [str(settings.BASE_DIR), str(settings.PLATFORM_DIR)]
        ),
    }


def wait_for(condition, worker, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        assert worker.poll() is None, worker.stdout.read()
        time.sleep(0.2)
    return False


@needs_services
def test_a_problem_published_while_the_broker_is_down_is_matched_later(
    broker, worker_env, worker_factory
):
    StudioFactory(slug="s-vision", expertise="高速包装线机器视觉检测与剔除。")
    enterprise = EnterpriseFactory(name="甲企业")
    owner, staff = person("enterprise", enterprise=enterprise), person("staff")
    problem = Problem.objects.create(
        enterprise=enterprise,
        created_by=owner,
        title="压盖后瓶盖歪斜漏检",
        description="瓶盖歪斜靠人工抽检，想用机器视觉在线识别并剔除。",
    )
    services.submit_problem(problem=problem, user=owner)
    services.start_review(problem=problem, user=staff)
    broker(CLOSED_PORT)
    started = time.monotonic()
    services.publish_problem(problem=problem, user=staff)  # commits, then sends
    took = time.monotonic() - started
    assert took < 2, f"publishing took {took:.2f} s with the broker down"
    job = BackgroundJob.objects.get(task="problems.match_problem")
    assert (job.state, job.args) == (BackgroundJob.State.PENDING, [problem.pk])
    assert "not sent" in job.last_error
    # A broker is reachable (the worker's, with beat): the relay sends the job.
    worker = worker_factory({**worker_env, "REDIS_URL": os.environ["REDIS_URL"]})
    # The matching commits its matches, then the job is marked done (the task
    # is not atomic): wait for both, or the check races the worker.
    matched = wait_for(
        lambda: (
            Problem.objects.get(pk=problem.pk).status == Status.MATCHED
            and BackgroundJob.objects.get(pk=job.pk).state == BackgroundJob.State.DONE
        ),
        worker,
        60,
    )
    assert matched, f"not matched; jobs: {list(BackgroundJob.objects.values())}"


def children(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@needs_services
def test_a_worker_killed_mid_task_runs_it_again_and_its_effect_happens_once(
    broker, worker_env, worker_factory, tmp_path
):
    broker(os.environ["REDIS_URL"])
    worker = worker_factory(
        {**worker_env, "REDIS_URL": os.environ["REDIS_URL"]},
        "--include=tests.core.worker_tasks",
        concurrency=1,
        beat=False,
    )
    started = tmp_path / "started"
    with transaction.atomic():
        job = outbox.enqueue("tests.slow_effect", "effect", str(started), 3)
    assert wait_for(lambda: started.exists(), worker, 60), "the task never started"
    (pool_process,) = children(worker.pid)
    os.kill(pool_process, signal.SIGKILL)  # mid-task: its transaction is open
    done = wait_for(
        lambda: BackgroundJob.objects.get(pk=job.pk).state == BackgroundJob.State.DONE,
        worker,
        60,
    )
    assert done, BackgroundJob.objects.filter(pk=job.pk).values().first()
    assert started.read_text() == "started\nstarted\n"  # ran twice...
    assert Heartbeat.objects.filter(name="effect").count() == 1  # ...took effect once
    # Sent once more (a relay, a redelivery): a job done does not run again.
    current_app.send_task(
        job.task, args=job.args, task_id=f"{outbox.PREFIX}{job.pk}", queue=job.queue
    )
    time.sleep(2)
    assert started.read_text() == "started\nstarted\n"
