"""A real server for concurrency tests: `manage.py runserver` (what `make run`
serves) in its own process, on a database shared with this one — a SQLite
file, or the PostgreSQL test database — hit by real threads over HTTP.

Seeding and reading back run in a subprocess too (`python -m tests.livesite
seed|report`), so the same code serves both databases: the test process's own
SQLite database is in memory and cannot be shared.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import closing, contextmanager
from pathlib import Path

import requests

from bench.processes import stop
from tests.support import run_python

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = 20


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url, var_dir):
    unwanted = {"DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_CURRENT_TEST", "DEBUG"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    paths = [str(ROOT), str(ROOT / "platform"), env.get("PYTHONPATH", "")]
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=database_url,
        JIANGLIAN_VAR_DIR=str(var_dir),
        PYTHONPATH=os.pathsep.join(p for p in paths if p),
        REDIS_URL="",  # tasks in-process: the embedded default
        SEARCH_ENCODER="",  # no sentence vectors: not what is measured here
    )
    return env


def manage(env, *args, timeout=300):
    return run_python(env, "manage.py", *args, timeout=timeout).stdout


def helper(env, command, timeout=120):
    done = run_python(env, "-m", "tests.livesite", command, timeout=timeout)
    return json.loads(done.stdout.strip().splitlines()[-1])


_template_lock = threading.Lock()


def sqlite_database(tmp_path, template_dir):
    """A migrated SQLite file of its own (copied from one migrated template)."""
    template = template_dir / "template.sqlite3"
    with _template_lock:
        if not template.exists():
            manage(
                environment(f"sqlite:///{template}", template_dir),
                "migrate",
                "--no-input",
            )
    target = tmp_path / "db.sqlite3"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@contextmanager
def running_server(env):
    port = free_port()
    log = open(Path(env["JIANGLIAN_VAR_DIR"]) / "server.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                requests.get(f"{base}/problems/", timeout=5)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(  # noqa: B904 - not raised from an error
                        "the server did not start:\n" + log.read()
                    )
                time.sleep(0.3)
        server = type("Server", (), {"url": base, "process": process, "log": log})
        yield server
    finally:
        stop(process, timeout=15)
        log.close()


def server_log(server):
    server.log.flush()
    server.log.seek(0)
    return server.log.read()


def session(base, cookie, page="/problems/new/"):
    http = requests.Session()
    http.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=32))
    http.cookies.set("sessionid", cookie, domain="127.0.0.1")
    # a page with a form sets the CSRF cookie
    assert http.get(f"{base}{page}", timeout=60).status_code == 200
    return http


def form_fields(html):
    """The hidden fields of the first form on a page (CSRF and form tokens)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def at_once(jobs, timeout=180):
    """Run the callables in threads released together; return their results
    (or the exception each raised) in order."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=60)
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


# ------------------------------------------------------------------------------
# Run in the server's environment: python -m tests.livesite seed|report
# ------------------------------------------------------------------------------


def _seed():
    from django.test import Client

    from problems import services
    from problems.models import Problem

    from .factories import EnterpriseFactory, StudioFactory, pass_second_factor, person

    enterprise = EnterpriseFactory(name="并发测试企业")
    studio = StudioFactory(slug="s-live", expertise="高速包装线机器视觉检测。")
    owner = person("enterprise", enterprise=enterprise, username="live-owner")
    staff = person("staff", username="live-staff")
    crafts = person("craftsman", studio=studio, username="live-craftsman")

    def draft(title):
        return Problem.objects.create(
            enterprise=enterprise,
            created_by=owner,
            title=title,
            description="瓶盖歪斜和错盖靠人工抽检。",
            confidentiality="invited",
        )

    drafts = [draft(f"待提交难题 {i}") for i in range(DRAFTS)]
    single = draft("同时提交的难题")
    in_review = draft("同时发布的难题")
    services.submit_problem(problem=in_review, user=owner)
    services.start_review(problem=in_review, user=staff)
    published = draft("同时邀请的难题")
    services.submit_problem(problem=published, user=owner)
    services.start_review(problem=published, user=staff)
    services.publish_problem(problem=published, user=staff)

    def proposed(title):
        problem = draft(title)
        services.submit_problem(problem=problem, user=owner)
        services.start_review(problem=problem, user=staff)
        services.publish_problem(problem=problem, user=staff)
        services.invite_studios(problem=problem, user=staff, studios=[studio])
        return services.submit_proposal(problem=problem, user=crafts, text="方案")

    to_accept = proposed("同时接受方案的难题")
    to_verify = proposed("同时核实成果的难题")
    services.accept_proposal(proposal=to_verify, user=owner)
    services.record_outcome(
        problem=to_verify.problem, user=crafts, result="solved", solution="好了"
    )
    services.confirm_outcome(problem=to_verify.problem, user=owner)

    def cookie(user):
        client = Client()
        client.force_login(user)
        if user == staff:  # union staff act only after their second factor
            pass_second_factor(client, user)
        return client.cookies["sessionid"].value

    return {
        "owner": cookie(owner),
        "staff": cookie(staff),
        "craftsman": cookie(crafts),
        "drafts": [p.pk for p in drafts],
        "single": single.pk,
        "in_review": in_review.pk,
        "published": published.pk,
        "studio": studio.pk,
        "to_accept": [to_accept.problem_id, to_accept.pk],
        "to_verify": to_verify.problem_id,
    }


REPORT = {
    "problems": "SELECT id, title, status FROM problems_problem ORDER BY id",
    "events": "SELECT problem_id, action FROM problems_problemevent ORDER BY id",
    "invitations": "SELECT problem_id, studio_id FROM problems_invitation",
}


def report(database_url):
    """What the server saved, read straight from its database (this process's
    own SQLite database is another one, in memory)."""
    if database_url.startswith("sqlite:///"):
        import sqlite3

        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            rows = {name: db.execute(sql).fetchall() for name, sql in REPORT.items()}
    else:
        from django.db import connection

        with connection.cursor() as cursor:
            rows = {}
            for name, sql in REPORT.items():
                cursor.execute(sql)
                rows[name] = cursor.fetchall()
    return {
        "problems": [
            {"pk": pk, "title": title, "status": status}
            for pk, title, status in rows["problems"]
        ],
        "events": [{"problem": pk, "action": action} for pk, action in rows["events"]],
        "invitations": sorted(tuple(row) for row in rows["invitations"]),
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps({"seed": _seed}[sys.argv[1]]()))
