"""Sign-up benchmark: 50 concurrent, signed-in clients volunteer for (and
cancel) the seats of one joint session, against gunicorn on PostgreSQL.

    python -m bench.run_all signup     # writes bench/results/signup.json
    make bench-signup                  # the same

What it does, in about a minute and a half:

1. A fresh database (``BENCH_SIGNUP_DATABASE_URL``, by default
   ``jianglian_bench_signup`` on the local server; dropped and created
   anew), migrated; a session of K seats over
   three skills and one eligible craftsman per client (each in a studio of
   the organising alliance).
2. gunicorn (``config.wsgi``, the dev settings with DEBUG off, sync workers
   as deployed) on a free loopback port.
3. Each client (a thread with its own ``requests.Session``) signs in through
   the login form and opens the session page; then all at once, in rounds,
   it signs up for its skill and — in all rounds but the last — cancels (the
   POSTs are measured; their redirects are not followed). A cancel
   offers the freed seat to the first waiting; a client that is offered a seat
   confirms it at the end (after a barrier, so no offer is still on its way).
4. Checked from the database afterwards: confirmed == K exactly, each skill
   quota exact, no one registered twice.

Recorded: sign-ups per second (sign-up requests over the wall time of the
sign-up rounds), p50/p95/max latency of sign-up and cancel requests, the
answers by status (only 2xx/3xx pass; a 409 — a refusal — is counted apart
and none is expected here), the load average before and after (the machine is
shared) and the commit.
"""

import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from bench.processes import run_python, stop

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = (
    "postgres://jianglian:jianglian@127.0.0.1:5432/jianglian_bench_signup"
)
SKILLS = (("电气自动化", 8), ("机器视觉", 6), ("液压维修", 6))  # K = 20
CLIENTS = 50
ROUNDS = 4  # sign up (and cancel, but in the last round) this many times
WORKERS = 2 * (os.cpu_count() or 1) + 1  # gunicorn's own advice
TIMEOUT = 60


def _env(database_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "0",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
    }


def _python(args, env):
    done = run_python(args, env)
    if done.returncode:
        raise RuntimeError(f"{args} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def fresh_database(database_url, env):
    """The benchmark's own database, made anew from a migrated template
    (``<name>_template``, migrated here too: a no-op when it is current), so
    a run does not wait for every migration again."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    template = f"{name}_template"
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{template}"')
    template_url = urlunsplit(parts._replace(path=f"/{template}"))
    _python(
        ["manage.py", "migrate", "--no-input", "-v", "0"],
        {**env, "DATABASE_URL": template_url},
    )
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


# ---------------------------------------------------------------------------
# In a Django process on the benchmark database (python -m bench.signup ...)
# ---------------------------------------------------------------------------


def seed(clients):
    """The session and one eligible craftsman per client; prints JSON."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Person, Role
    from joint_sessions import services
    from problems.models import Confidentiality
    from tests.factories import ProblemFactory, StudioFactory, alliance

    group = alliance("基准测试联盟")
    studios = [StudioFactory(slug=f"bench-signup-{i}") for i in range(10)]
    for studio in studios:
        studio.alliances.add(group)
        studio.save()
    problem = ProblemFactory(state="published", confidentiality=Confidentiality.PUBLIC)
    users = get_user_model().objects
    password = os.environ["BENCH_SIGNUP_PASSWORD"]  # made up by run()
    staff = users.create_user(username="bench-staff", password=password)
    Person.objects.create(user=staff, role=Role.STAFF, approved_at=timezone.now())
    hashed = make_password(password)  # hashed once: seeding stays fast
    crafts = users.bulk_create(
        [
            get_user_model()(username=f"bench-craftsman-{i}", password=hashed)
            for i in range(clients)
        ]
    )
    now = timezone.now()
    Person.objects.bulk_create(
        [
            Person(
                user=u,
                role=Role.CRAFTSMAN,
                studio=studios[i % len(studios)],
                approved_at=now,
                email_verified_at=now,
            )
            for i, u in enumerate(crafts)
        ]
    )
    start = now + datetime.timedelta(days=7)
    session = services.create_session(
        user=staff,
        plan=services.Plan.starting(
            start,
            title="签到基准：第一次技术协作攻关",
            alliance=group,
            problems=[problem],
            total_seats=sum(seats for __, seats in SKILLS),
            quotas=list(SKILLS),
            address="宝鸡啤酒厂包装车间",
        ),
    )
    services.open_session(session=session, user=staff)
    quotas = list(session.quotas.order_by("pk").values_list("pk", flat=True))
    print(
        json.dumps(
            {
                "session": session.pk,
                "seats": session.total_seats,
                "users": [
                    {"username": u.username, "quota": quotas[i % len(quotas)]}
                    for i, u in enumerate(crafts)
                ],
            }
        )
    )


def check(session_pk):
    """What the database holds afterwards; prints JSON."""
    from django.db.models import Count

    from joint_sessions.models import Registration, RegistrationState, Session

    session = Session.objects.get(pk=session_pk)
    registrations = Registration.objects.filter(session=session)
    confirmed = registrations.filter(state=RegistrationState.CONFIRMED)
    per_skill = dict(
        confirmed.values("quota__skill")
        .annotate(n=Count("pk"))
        .values_list("quota__skill", "n")
    )
    print(
        json.dumps(
            {
                "seats": session.total_seats,
                "confirmed": confirmed.count(),
                "confirmed_per_skill": per_skill,
                "seats_per_skill": dict(session.quotas.values_list("skill", "seats")),
                "offered": registrations.filter(
                    state=RegistrationState.OFFERED
                ).count(),
                "waitlisted": registrations.filter(
                    state=RegistrationState.WAITLISTED
                ).count(),
                "registrations": registrations.count(),
                "people": registrations.values("user").distinct().count(),
            },
            ensure_ascii=False,
        )
    )


# ---------------------------------------------------------------------------
# The clients
# ---------------------------------------------------------------------------


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = {"sign_up": [], "cancel": [], "accept": []}
        self.statuses = {}
        self.unexpected = []

    def record(self, kind, response, seconds):
        with self.lock:
            self.latency.setdefault(kind, []).append(seconds)
            key = f"{kind} {response.status_code}"
            self.statuses[key] = self.statuses.get(key, 0) + 1
            if response.status_code >= 400 and response.status_code != 409:
                self.unexpected.append(f"{key} {response.url}")


def _csrf(client, url):
    page = client.get(url, timeout=TIMEOUT)
    page.raise_for_status()
    return page, client.cookies.get("csrftoken")


def _post(client, tally, kind, url, data):
    started = time.perf_counter()
    response = client.post(url, data=data, timeout=TIMEOUT, allow_redirects=False)
    tally.record(kind, response, time.perf_counter() - started)
    return response


def log_in(base, username, password):
    client = requests.Session()
    __, token = _csrf(client, f"{base}/accounts/login/")
    response = client.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"{username} could not sign in ({response.status_code})")
    return client


def drive(base, seeded, rounds, password):
    session_url = f"{base}/sessions/{seeded['session']}/"
    people = seeded["users"]
    tally = Tally()
    clients = [None] * len(people)
    tokens = [None] * len(people)
    login_errors = []

    def sign_in(i):
        try:
            clients[i] = log_in(base, people[i]["username"], password)
            __, tokens[i] = _csrf(clients[i], session_url)  # the page, opened
        except Exception as exc:  # reported, and the run fails
            login_errors.append(repr(exc))

    threads = [threading.Thread(target=sign_in, args=(i,)) for i in range(len(people))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if login_errors:
        raise RuntimeError(f"sign-in failed: {login_errors[:3]}")

    start_line = threading.Barrier(len(people) + 1)
    signed_up = threading.Barrier(len(people) + 1)
    failures = []

    def work(i):
        client, quota = clients[i], people[i]["quota"]

        def act(action, token, **data):  # POST /sessions/<id>/<action>/
            data["csrfmiddlewaretoken"] = token
            url = f"{session_url}{action.replace('_', '-')}/"
            return _post(client, tally, action, url, data)

        token = tokens[i]
        try:
            start_line.wait()
            for round_ in range(rounds):
                act("sign_up", token, quota=quota)
                if round_ < rounds - 1:
                    act("cancel", token)
        except Exception as exc:
            failures.append(repr(exc))
        finally:
            signed_up.wait()
        try:  # every offer is made by now: confirm it, as a person would
            page, token = _csrf(client, session_url)
            if f"{session_url}accept/".replace(base, "") in page.text:
                act("accept", token)
        except Exception as exc:
            failures.append(repr(exc))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(people))]
    for t in threads:
        t.start()
    start_line.wait()
    began = time.perf_counter()
    signed_up.wait()
    sign_up_seconds = time.perf_counter() - began
    for t in threads:
        t.join()
    return tally, sign_up_seconds, failures


def _percentiles(samples):
    if not samples:
        return None
    ordered = sorted(samples)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "n": len(ordered),
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped at start-up")
        try:
            if requests.get(f"{base}/accounts/login/", timeout=30).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still loading
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def _commit():
    done = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or None


def run(clients=CLIENTS, rounds=ROUNDS):
    database_url = os.environ.get("BENCH_SIGNUP_DATABASE_URL", DEFAULT_DATABASE)
    env = _env(database_url)
    password = env["BENCH_SIGNUP_PASSWORD"] = secrets.token_urlsafe(16)
    load_before = os.getloadavg()
    began = time.perf_counter()
    fresh_database(database_url, env)
    seeded = json.loads(_python(["-m", "bench.signup", "seed", str(clients)], env))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            str(TIMEOUT),
            "--graceful-timeout",
            "5",
            "--preload",  # the app is loaded once, before the workers fork
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(base, server)
        prepared = time.perf_counter() - began
        tally, seconds, failures = drive(base, seeded, rounds, password)
    finally:
        stop(server, timeout=30)
    state = json.loads(
        _python(["-m", "bench.signup", "check", str(seeded["session"])], env)
    )
    sign_ups = len(tally.latency["sign_up"])
    exact = state["confirmed"] == state["seats"] and all(
        state["confirmed_per_skill"].get(skill, 0) == seats
        for skill, seats in state["seats_per_skill"].items()
    )
    return {
        "commit": _commit(),
        "database": "postgresql",
        "server": f"gunicorn {WORKERS} sync workers, config.settings.dev, DEBUG off",
        "clients": clients,
        "rounds": rounds,
        "seats": state["seats"],
        "skills": dict(SKILLS),
        "sign_ups": sign_ups,
        "prepare_s": round(prepared, 1),
        "sign_up_phase_s": round(seconds, 2),
        "sign_ups_per_s": round(sign_ups / seconds, 1),
        "latency": {kind: _percentiles(v) for kind, v in tally.latency.items()},
        "answers": dict(sorted(tally.statuses.items())),
        "refused_409": sum(
            n for key, n in tally.statuses.items() if key.endswith(" 409")
        ),
        "errors": len(tally.unexpected) + len(failures),
        "error_samples": (tally.unexpected + failures)[:5],
        "final": state,
        "exact": exact,
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }


if __name__ == "__main__":
    command, argument = sys.argv[1], int(sys.argv[2])
    import django

    django.setup()
    {"seed": seed, "check": check}[command](argument)
