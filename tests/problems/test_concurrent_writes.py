"""Many people writing at the same moment, over HTTP, against a real server
(`manage.py runserver`, as `make run` serves) on a real database: a SQLite
file in the first pass of `make test`, PostgreSQL in the second.

Every answer must tell the truth: a 2xx/3xx means it was saved, anything else
means nothing was saved, no answer is a 5xx, and a retried post (the same
form sent twice) never makes a second problem.
"""

import re

import pytest
from django.conf import settings
from django.db import connection

from problems.status import Status
from tests import livesite
from tests.livesite import at_once, form_fields, helper

pytestmark = [
    # On PostgreSQL the server uses this test database, emptied after each test.
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


@pytest.fixture
def site(request, tmp_path, tmp_path_factory):
    if connection.vendor == "postgresql":
        request.getfixturevalue("migration_content")
        db = settings.DATABASES["default"]
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
            f"/{db['NAME']}"
        )
    else:
        template_dir = tmp_path_factory.getbasetemp() / "livesite-template"
        template_dir.mkdir(exist_ok=True)
        url = livesite.sqlite_database(tmp_path, template_dir)
    env = livesite.environment(url, tmp_path)
    seeded = helper(env, "seed")
    with livesite.running_server(env) as server:
        server.seeded = seeded
        server.report = lambda: livesite.report(url)
        yield server


def problem_in(location):
    match = re.fullmatch(r"(?:/en)?/problems/(\d+)/", location or "")
    return int(match.group(1)) if match else None


def no_server_errors(server, responses):
    failures = [r for r in responses if isinstance(r, Exception)]
    assert not failures, failures
    errors = [r.status_code for r in responses if r.status_code >= 500]
    assert not errors, f"{len(errors)} × 5xx\n" + livesite.server_log(server)[-4000:]


def test_twenty_posts_at_once_and_a_retry_each_answer_truthfully(site):
    owner = livesite.session(site.url, site.seeded["owner"])
    forms = []
    for i in range(20):
        page = owner.get(f"{site.url}/problems/new/", timeout=60)
        assert page.status_code == 200
        forms.append(
            {
                **form_fields(page.text),
                "title": f"并发发布的难题 {i}",
                "description": "高速线上瓶盖歪斜，人工抽检漏检。",
                "confidentiality": "invited",
            }
        )
    assert forms[0].get("submission"), "the form carries a one-time token"
    assert len({f["submission"] for f in forms}) == 20

    def post(data):
        return lambda: owner.post(
            f"{site.url}/problems/new/", data, allow_redirects=False, timeout=120
        )

    # twenty people post at once, and one of them double-clicks
    responses = at_once([post(f) for f in forms] + [post(forms[0])])
    no_server_errors(site, responses)
    # a user who saw no answer posts the same form again later
    retried = post(forms[1])()
    no_server_errors(site, [retried])

    saved = {p["title"]: p["pk"] for p in site.report()["problems"]}
    titles = [f["title"] for f in forms] + [forms[0]["title"]]
    for title, response in zip(titles, responses, strict=True):
        if response.status_code in (301, 302, 303):
            assert problem_in(response.headers["Location"]) == saved[title]
        else:
            assert title not in saved, (response.status_code, response.text[:300])
    assert retried.status_code == 302
    assert problem_in(retried.headers["Location"]) == saved[forms[1]["title"]]
    rows = [p["title"] for p in site.report()["problems"]]
    assert all(rows.count(t) == 1 for t in set(titles) & set(rows)), "no duplicate"
    # nothing refused for want of a lock: everyone who posted got their problem
    assert sum(r.status_code == 302 for r in responses) == 21


def test_twenty_submits_at_once_each_answer_truthfully(site):
    owner = livesite.session(site.url, site.seeded["owner"])
    staff = livesite.session(
        site.url, site.seeded["staff"], f"/problems/{site.seeded['in_review']}/"
    )
    token = owner.cookies["csrftoken"]

    def act(http, pk, action, **data):
        csrf = http.cookies["csrftoken"]
        return lambda: http.post(
            f"{site.url}/problems/{pk}/act/{action}/",
            {"csrfmiddlewaretoken": csrf, **data},
            allow_redirects=False,
            timeout=120,
        )

    assert token
    drafts, single = site.seeded["drafts"], site.seeded["single"]

    # 20 problems submitted at once: each one that answers 302 is submitted
    responses = at_once([act(owner, pk, "submit") for pk in drafts])
    no_server_errors(site, responses)
    report = site.report()
    status = {p["pk"]: p["status"] for p in report["problems"]}
    submits = [e["problem"] for e in report["events"] if e["action"] == "submit"]
    for pk, response in zip(drafts, responses, strict=True):
        if response.status_code == 302:
            assert status[pk] == Status.SUBMITTED and submits.count(pk) == 1
        else:
            assert status[pk] == Status.DRAFT and pk not in submits
    assert all(r.status_code == 302 for r in responses), [
        r.status_code for r in responses
    ]

    # one problem submitted 20 times at once: one wins, the others hear 409
    responses = at_once([act(owner, single, "submit") for _ in range(20)])
    no_server_errors(site, responses)
    codes = sorted(r.status_code for r in responses)
    assert codes == [302] + [409] * 19
    assert (
        'data-testid="error"' in next(r for r in responses if r.status_code == 409).text
    )
    report = site.report()
    assert [e["problem"] for e in report["events"]].count(single) == 1

    # a double publish, invite, accept and verify: one wins, the other hears 409
    accept_pk, proposal = site.seeded["to_accept"]
    for http, pk, action, data in (
        (staff, site.seeded["in_review"], "publish", {}),
        (staff, site.seeded["published"], "invite", {"studio": site.seeded["studio"]}),
        (owner, accept_pk, "accept_proposal", {"proposal": proposal}),
        (staff, site.seeded["to_verify"], "verify_outcome", {}),
    ):
        before = len(site.report()["events"])
        responses = at_once([act(http, pk, action, **data) for _ in range(2)])
        no_server_errors(site, responses)
        assert sorted(r.status_code for r in responses) == [302, 409], action
        events = site.report()["events"][before:]
        assert [e["action"] for e in events if e["problem"] == pk][:1] == [action]
        assert [e["action"] for e in events].count(action) == 1
    invited = [pk for pk, studio in site.report()["invitations"]]
    assert invited.count(site.seeded["published"]) == 1
