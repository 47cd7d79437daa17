"""Real background processes (a Celery worker, commands) against a copy of the
test database, for the tests of background work."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.support import run_python

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def embedded_site(tmp_path, transactional_db, migration_content):
    """A var/ folder with a file copy of the (migrated, empty) SQLite test
    database, with what migrations put there (an earlier transactional test
    may have flushed it): what `make run` works on. Returns the environment of its
    processes (dev settings, the filesystem broker, no Redis, no ES)."""
    if connection.vendor != "sqlite":
        pytest.skip("the embedded default is SQLite (this is the PostgreSQL pass)")
    database = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(database)
    connection.connection.backup(target)
    target.close()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "JIANGLIAN_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "",
        "ELASTICSEARCH_URL": "",
        "SEARCH_ENCODER": "tests.core.encoders.HashEncoder",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
    }
    env.pop("CELERY_BROKER_URL", None)
    return env


def start_worker(env, *extra, concurrency=2, beat=True):
    """A real worker (prefork, every queue, beat inside), as `make run` starts it."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            *(["-B"] if beat else []),
            f"--concurrency={concurrency}",
            "-Q",
            "notifications,matching,indexing,encoding,scheduled,default",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def manage(env, *args, timeout=120):
    return run_python(env, "manage.py", *args, timeout=timeout)


@pytest.fixture
def run_manage():
    return manage


@pytest.fixture
def worker_factory():
    started = []

    def start(env, *extra, **kwargs):
        process = start_worker(env, *extra, **kwargs)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, 15)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
