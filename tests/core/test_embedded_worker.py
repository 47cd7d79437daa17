"""The embedded default (`make run`: SQLite and a filesystem broker, no server
to install) does its background work in a real worker: studios imported in
any number get their sentence vectors without anyone running a command."""

import sqlite3
import time

import pytest

from bench.generate import write_studios

pytestmark = pytest.mark.django_db(transaction=True)

VECTORS = (
    "from studios.models import Studio; from search.backends import get_backend; "
    "ids = list(Studio.objects.filter(live=True).values_list('pk', flat=True)); "
    "print(len(ids), len(get_backend().vector_pending(ids)))"
)


def job_states(database):
    with sqlite3.connect(database) as db:
        return dict(
            db.execute(
                "SELECT task || ':' || state, COUNT(*) FROM core_backgroundjob "
                "GROUP BY task, state"
            ).fetchall()
        )


def test_imported_studios_get_their_vectors_in_the_background(
    embedded_site, worker_factory, run_manage, tmp_path
):
    studios = write_studios(tmp_path / "studios.jsonl", 200)
    worker = worker_factory(embedded_site)
    started = time.monotonic()
    out = run_manage(embedded_site, "import_studios", str(studios)).stdout
    assert "created 200" in out
    database = tmp_path / "db.sqlite3"
    deadline = time.monotonic() + 240
    states = {}
    while time.monotonic() < deadline:
        states = job_states(database)
        busy = {k: n for k, n in states.items() if not k.endswith(":done")}
        if states and not busy:
            break
        assert worker.poll() is None, worker.stdout.read()
        time.sleep(1)
    took = time.monotonic() - started
    assert states.get("search.encode_studios:done") == 10, states  # 200 / 20
    assert states.get("search.index_studios:done") == 1, states
    counted = run_manage(embedded_site, "shell", "--no-imports", "-c", VECTORS)
    assert counted.stdout.split() == ["200", "0"]  # studios, of them without vectors
    print(f"200 studios imported, indexed and encoded by the worker in {took:.1f} s")
