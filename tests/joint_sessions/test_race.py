"""No overselling, proven the way pretix proves it: many sign-ups at once,
through real HTTP requests to a real server (``manage.py runserver``) on
PostgreSQL.

First the lock is switched off (the test-only setting JOINT_SESSIONS_LOCK=0 in
the server's environment) and the same race must oversell — so we know the
harness can see a race at all. Then, with the lock, 200 craftsmen sign up at
once for a session with K seats across three skills, five times over: exactly
K confirmed, no skill over its quota, everyone else waitlisted exactly as if
they had come one by one in their arrival order, nobody twice, no 5xx. Last,
confirmed attendees cancel at once (each twice): every freed seat goes to
exactly one person, the next in line.

The client threads are released together; at most CONCURRENCY requests are
in flight at a time (a shared connection pool), so the server's threads stay
within PostgreSQL's connection limit that other test runs share.
"""

import datetime
import statistics
import time

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from joint_sessions import services
from joint_sessions.models import HOLDS_SEAT, Registration, Session
from problems.models import Confidentiality
from tests import livesite
from tests.factories import EnterpriseFactory, StudioFactory, alliance, person
from tests.joint_sessions.support import publish

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite has no row locks — "
        "select_for_update is a no-op and the file lock serialises every write — "
        "so neither the race nor the lock that stops it can be shown there",
    ),
]

PEOPLE = 200
REPEATS = 5
CONCURRENCY = 20
QUOTAS = [("电气自动化", 4), ("机器视觉", 3), ("焊接", 5)]  # 12 seats of skills
TOTAL = 10  # ... but 10 in all: a sign-up must fit both
CSRF = "r" * 32  # an unmasked CSRF secret, sent as cookie and field


@pytest.fixture
def world(migration_content, settings):
    settings.SEARCH_ENCODER = ""  # matching's sentence vectors: not measured here
    group = alliance("并发联盟")
    enterprise = EnterpriseFactory(name="并发企业")
    staff = person("staff", username="race-staff")
    owner = person("enterprise", enterprise=enterprise, username="race-owner")
    problem = publish(owner, staff, enterprise, "并发会诊难题", Confidentiality.PUBLIC)
    studios = [StudioFactory(slug=f"s-race-{i}") for i in range(20)]
    for studio in studios:
        studio.alliances.add(group)
        studio.save()
    people = [
        person("craftsman", studio=studios[i % 20], username=f"race-{i}")
        for i in range(PEOPLE)
    ]
    cookies = {}
    for user in people:
        client = Client()
        client.force_login(user)
        cookies[user.pk] = client.cookies["sessionid"].value
    return {
        "alliance": group,
        "problem": problem,
        "staff": staff,
        "people": people,
        "cookies": cookies,
    }


def new_session(world, title, quotas=QUOTAS, total=TOTAL):
    start = timezone.now() + datetime.timedelta(days=7)
    session = services.create_session(
        user=world["staff"],
        plan=services.Plan(
            title=title,
            alliance=world["alliance"],
            problems=[world["problem"]],
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            signup_deadline=start - datetime.timedelta(days=1),
            cancellation_cutoff=start - datetime.timedelta(days=1),
            total_seats=total,
            quotas=quotas,
            address="车间",
        ),
    )
    return services.open_session(session=session, user=world["staff"])


@pytest.fixture
def server_env(tmp_path):
    db = settings.DATABASES["default"]
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
        f"/{db['NAME']}"
    )
    env = livesite.environment(url, tmp_path)
    env["SECRET_KEY"] = settings.SECRET_KEY  # the sessions signed in here
    return env


def browsers(world):
    """One HTTP session per person, all sharing one bounded connection pool."""
    pool = requests.adapters.HTTPAdapter(
        pool_connections=1, pool_maxsize=CONCURRENCY, pool_block=True
    )
    result = {}
    for user in world["people"]:
        http = requests.Session()
        http.mount("http://", pool)
        http.cookies.set("sessionid", world["cookies"][user.pk], domain="127.0.0.1")
        http.cookies.set("csrftoken", CSRF, domain="127.0.0.1")
        result[user.pk] = http
    return result


def post(http, url, data=None):
    def send():
        started = time.monotonic()
        response = http.post(
            url,
            {"csrfmiddlewaretoken": CSRF, **(data or {})},
            allow_redirects=False,
            timeout=300,
        )
        response.seconds = time.monotonic() - started
        return response

    return send


def sign_up_everyone(server, world, http, session):
    quotas = list(session.quotas.order_by("pk"))
    jobs = [
        post(
            http[user.pk],
            f"{server.url}/sessions/{session.pk}/sign-up/",
            {"quota": quotas[i % len(quotas)].pk, "acknowledged": "on"},
        )
        for i, user in enumerate(world["people"])
    ]
    responses = livesite.at_once(jobs, timeout=600)
    failures = [r for r in responses if isinstance(r, Exception)]
    assert not failures, (
        f"{len(failures)} failed: {failures[:2]}\n"
        + livesite.server_log(server)[-3000:]
    )
    errors = [r.status_code for r in responses if r.status_code >= 500]
    assert not errors, f"{len(errors)} × 5xx\n" + livesite.server_log(server)[-3000:]
    # every sign-up was heard (back to the session's page), none refused
    places = {(r.status_code, r.headers.get("Location")) for r in responses}
    assert places == {(302, f"/sessions/{session.pk}/")}, places
    return responses


def replayed(session):
    """The states the registrations would have had, had everyone come one by
    one in their recorded arrival order."""
    seats = {q.pk: q.seats for q in session.quotas.all()}
    taken, total, expected = dict.fromkeys(seats, 0), 0, {}
    for reg in session.registrations.order_by("arrival"):
        if total < session.total_seats and taken[reg.quota_id] < seats[reg.quota_id]:
            expected[reg.pk] = "confirmed"
            taken[reg.quota_id] += 1
            total += 1
        else:
            expected[reg.pk] = "waitlisted"
    return expected


def oversold(session):
    held = Registration.objects.filter(session=session, state__in=HOLDS_SEAT)
    over_total = held.count() > session.total_seats
    over_skill = any(
        held.filter(quota=q).count() > q.seats for q in session.quotas.all()
    )
    return over_total or over_skill


def test_two_hundred_sign_ups_at_once_never_oversell(world, server_env, capsys):
    http = browsers(world)
    # 1. Without the lock, the harness must see overselling (up to 3 tries).
    unlocked = {**server_env, "JOINT_SESSIONS_LOCK": "0"}
    with livesite.running_server(unlocked) as server:
        tries = []
        for attempt in range(3):
            session = new_session(world, f"无锁 {attempt}")
            sign_up_everyone(server, world, http, session)
            held = Registration.objects.filter(session=session, state__in=HOLDS_SEAT)
            tries.append(held.count())
            if oversold(session):
                break
        assert oversold(session), (
            f"the race was not seen without the lock ({tries} seats held of "
            f"{TOTAL}): this harness could not prove the lock either"
        )
    # 2. With the lock: exact, five times over.
    timings = []
    with livesite.running_server(server_env) as server:
        for repeat in range(REPEATS):
            session = new_session(world, f"有锁 {repeat}")
            responses = sign_up_everyone(server, world, http, session)
            timings += [r.seconds for r in responses]
            regs = list(session.registrations.all())
            assert len(regs) == PEOPLE == len({r.user_id for r in regs})
            assert sorted(r.arrival for r in regs) == list(range(1, PEOPLE + 1))
            states = {r.pk: r.state for r in regs}
            assert list(states.values()).count("confirmed") == TOTAL
            assert not oversold(session)
            assert states == replayed(session), f"repeat {repeat}"
            session.refresh_from_db()
            assert session.status == "full"
    with capsys.disabled():
        print(
            f"\nunlocked: seats held {tries} of {TOTAL}; locked: {REPEATS} × "
            f"{PEOPLE} sign-ups, median {statistics.median(timings):.2f} s, "
            f"p95 {statistics.quantiles(timings, n=20)[18]:.2f} s per request "
            "(with the wait for one of the pooled connections)"
        )


def test_concurrent_cancellations_each_free_seat_goes_to_exactly_one(world, server_env):
    http = browsers(world)
    people = world["people"][:30]
    session = new_session(world, "同时退出", quotas=[("机器视觉", 10)], total=10)
    quota = session.quotas.get()
    for user in people:  # ten seats, twenty waiting
        services.sign_up(session=session, user=user, quota=quota, acknowledged=True)
    confirmed = list(
        session.registrations.filter(state="confirmed").order_by("arrival")
    )
    waiting = list(session.registrations.filter(state="waitlisted").order_by("arrival"))
    leaving = confirmed[:5]
    with livesite.running_server(server_env) as server:
        url = f"{server.url}/sessions/{session.pk}/cancel/"
        # each leaver cancels twice at once (a double click)
        jobs = [post(http[r.user_id], url) for r in leaving for __ in range(2)]
        responses = livesite.at_once(jobs, timeout=600)
    assert not [r for r in responses if isinstance(r, Exception)]
    assert sorted(r.status_code for r in responses) == [302] * 5 + [409] * 5
    after = {r.pk: r.state for r in session.registrations.all()}
    assert all(after[r.pk] == "cancelled" for r in leaving)
    # the five freed seats went to the first five waiting, one each
    assert [r.pk for r in waiting if after[r.pk] == "offered"] == [
        r.pk for r in waiting[:5]
    ]
    assert all(after[r.pk] == "waitlisted" for r in waiting[5:])
    assert list(after.values()).count("offered") == 5
    held = Registration.objects.filter(session=session, state__in=HOLDS_SEAT)
    assert held.count() == 10
    assert Session.objects.get(pk=session.pk).status == "full"
