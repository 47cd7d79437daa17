"""A leak test no new route can escape.

The permission matrix (test_permission_matrix.py) checks status codes of
detail routes; it cannot see what a list, a side panel, a filter, a search
result, a feed or an achievement card *contains*. This test can.

How it works
------------
1. One world is built through the real services (submit, review, return,
   publish, invite, propose, accept, record/confirm/verify an outcome, merge),
   so everything derived from problems exists: matches, notifications,
   events, achievements, the search index. Every problem carries *markers*:
   distinct lowercase ASCII tokens ``zqx`` + level code + state code + field
   code (e.g. ``zqxaxti`` = alliance level, solved, title) planted in every
   confidential place — each text field, a tag, the public summary, its own
   industry chain, the attachment's file name and body, each proposal's text,
   file name and body, the return reason, the outcome's solution — and each
   verified outcome has a distinctive benefit figure.
2. Every route the URL resolver knows is requested, as each of eleven roles,
   with the URL(s) its entry in ``LEAK_POLICY`` produces (one per problem,
   attachment, studio, achievement… where the route takes an argument).
3. Every response body (and its headers) is scanned for markers. ``may_see``
   — an explicit table written here, deliberately NOT problems.policies — says
   which markers each role may read. Any other marker is a leak; so is a
   benefit figure (or a sum containing one) of an outcome the role may not
   see in full.
4. Filters and search echo the query, so for ``?q=<marker>``/``?tag=<marker>``
   of a marker the reader may not see, the test compares with the same
   request for a word that exists nowhere: the problems and achievements
   linked must be the same, and the marker must occur no more often than the
   meaningless word does. Otherwise the filter is an oracle.

Adding a route
--------------
``test_every_route_has_a_leak_policy`` fails for a route without an entry in
``LEAK_POLICY`` (or in ``EXEMPT``, with the reason). An entry maps the route
name to a function ``world -> [Req(...), ...]`` giving the requests to make:
one per object the route shows (use ``world.problems``, ``world.attachments``,
``world.studios``, ``world.achievements`` …), GET unless ``method`` says
otherwise. If the route takes a free-text query, add it to ``ORACLES`` and a
case it must find to ``CONTROLS``. A field the route may show to anyone goes
in ``ALLOWED_ON`` with the reason. Nothing else is needed: every request is
made as every role and scanned for every marker. (tests/README.md says more.)

Run time: about 6,000 requests; two to three minutes on a busy machine.
"""

import contextlib
import datetime
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, TestCase, override_settings
from django.utils import timezone

from accounts.models import Person
from core.snippets import IndustryChain
from joint_sessions import services as joint
from joint_sessions.models import (
    Registration,
    RegistrationState,
    Session,
    SessionStatus,
)
from problems import services
from problems.attachments import store
from problems.models import (
    TEXT_FIELDS,
    Attachment,
    Confidentiality,
    Outcome,
    Problem,
    Proposal,
    Status,
)
from studios.models import Achievement, StudioMember
from tests.factories import (
    CraftsmanFactory,
    EnterpriseFactory,
    StudioFactory,
    alliance,
    pass_second_factor,
    person,
)
from tests.support import routes_without

# ---------------------------------------------------------------------------
# Roles, levels, states, fields
# ---------------------------------------------------------------------------

ROLES = (
    "anonymous",
    "noone",  # signed in, no role on the platform
    "staff",  # union staff
    "owner",  # approved member of the posting enterprise
    "owner_unapproved",  # registered with the posting enterprise, not approved
    "outsider",  # approved enterprise outside the alliance (owns merge targets)
    "insider",  # approved enterprise hosting a live studio of the alliance
    "invited",  # craftsman of the invited studio
    "invited_unapproved",  # unapproved craftsman of the invited studio
    "other",  # craftsman of a studio neither invited nor in the alliance
    "ally",  # craftsman of an alliance studio that is not invited
)

LEVELS = {"public": "p", "alliance": "a", "invited": "i"}
STATES = {
    "draft": "d",
    "submitted": "s",
    "in_review": "r",
    "returned": "t",
    "published": "u",  # published (matched), no studio invited
    "invited": "v",  # studios invited
    "proposals": "o",  # two invited studios sent proposals
    "solved": "x",  # solved, outcome verified, achievement made
    "reclassified": "c",  # solved as a public problem, then made confidential
    "merged": "m",  # published, then merged into another enterprise's problem
}
# (level, state) pairs in the world: a public problem cannot be reclassified
# into public.
CASES = [
    (level, state)
    for level in LEVELS
    for state in STATES
    if not (level == "public" and state == "reclassified")
]
PUBLISHED = {"published", "invited", "proposals", "solved", "reclassified"}
INVITED = {"invited", "proposals", "solved", "reclassified"}
WITH_PROPOSALS = {"proposals", "solved", "reclassified"}
WITH_OUTCOME = {"solved", "reclassified"}

FIELDS = {  # field -> its two-letter code in the marker
    "title": "ti",
    "description": "de",
    "production_line": "pl",
    "symptoms": "sy",
    "tried": "tr",
    "expected_outcome": "eo",
    "tag": "tg",
    "summary": "su",  # public_summary
    "chain": "ch",  # the problem's own industry chain
    "file_name": "fn",  # the problem's attachment
    "file_body": "fb",
    "return_reason": "rn",
    "proposal": "pr",  # the invited studio's proposal
    "proposal_file_name": "pn",
    "proposal_file_body": "pb",
    "rival_proposal": "wr",  # the other invited studio's proposal
    "rival_file_name": "wn",
    "rival_file_body": "wb",
    "solution": "so",  # the verified outcome
}
assert set(TEXT_FIELDS) <= FIELDS.keys()
assert len(set(FIELDS.values())) == len(FIELDS)

# Verified outcomes' actual benefit (10,000 yuan): distinctive figures whose
# subset sums are all distinct and end in 1..5 (never rounded away), so a
# total that includes a hidden one shows.
BENEFITS = {
    ("public", "solved"): "3517.11",
    ("alliance", "solved"): "4321.81",
    ("invited", "solved"): "6143.21",
    ("alliance", "reclassified"): "7269.41",
    ("invited", "reclassified"): "8952.71",
}

NOWHERE = "zqxnone"  # shaped like a marker, planted nowhere


def marker(level, state, field_name):
    return f"zqx{LEVELS[level]}{STATES[state]}{FIELDS[field_name]}"


def fields_of(state):
    """The marked fields a problem in ``state`` has."""
    names = [*TEXT_FIELDS, "tag", "summary", "chain", "file_name", "file_body"]
    if state == "returned":
        names.append("return_reason")
    if state in WITH_PROPOSALS:
        names += [
            "proposal",
            "proposal_file_name",
            "proposal_file_body",
            "rival_proposal",
            "rival_file_name",
            "rival_file_body",
        ]
    if state in WITH_OUTCOME:
        names.append("solution")
    return names


MARKERS = {  # marker -> (level, state, field)
    marker(level, state, f): (level, state, f)
    for level, state in CASES
    for f in fields_of(state)
}


# ---------------------------------------------------------------------------
# Who may read what: the expectation, written out (not problems.policies)
# ---------------------------------------------------------------------------


def full_view(role, level, state):
    """May ``role`` read the problem in full (text, tags, outcome)?"""
    if role in ("staff", "owner"):
        return True  # union staff; the posting enterprise's approved member
    if state not in PUBLISHED:
        return False  # draft … returned, merged: staff and owner only
    if role == "invited" and state in INVITED:
        return True  # any level, once its studio is invited
    if level == "public":
        return True
    if level == "alliance":
        return role in ("insider", "ally")
    return False  # invited-only: nobody else


def may_see(role, level, state, field_name):
    if role in ("staff", "owner"):
        return True
    published = state in PUBLISHED
    if field_name in ("file_name", "file_body"):
        return role == "invited" and published and state in INVITED
    if field_name.startswith("proposal"):
        return role == "invited" and published and state in INVITED
    if field_name.startswith("rival") or field_name == "return_reason":
        return False  # another studio's proposal; a draft's review note
    if field_name in ("summary", "chain"):
        # an invited-only problem is listed for its redacted summary (with
        # its industry chain and status) once published
        return full_view(role, level, state) or (published and level == "invited")
    return full_view(role, level, state)  # text, tags, solution, benefit


def benefit_visible(role, case):
    return full_view(role, *case)


# ---------------------------------------------------------------------------
# Routes: each one's requests
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Req:
    url: str
    method: str = "get"
    data: dict = field(default_factory=dict, hash=False, compare=False)
    relogin: bool = False  # the request signs the user out


def per_problem(template):
    def requests(world):
        return [Req(template.format(id=p.pk)) for p in world.problems]

    return requests


def problem_pages(world):
    # and in English the merge target, whose page has every side panel
    # (history with a merged duplicate, similar solved problems)
    return [*per_problem("/problems/{id}/")(world), Req(f"/en{world.target_url}")]


def each(*urls):
    return lambda world: [Req(u) for u in urls]


def each_post(*urls):
    return lambda world: [Req(u, "post") for u in urls]


def downloads(world):
    return [
        Req(f"/problems/{a.problem_id}/attachments/{a.pk}/") for a in world.attachments
    ]


def studio_pages(world):
    return [Req(f"/studios/{s.slug}/") for s in world.studios]


def achievement_pages(world):
    return [Req(f"/achievements/{a.pk}/") for a in world.achievements]


def craftsman_pages(world):
    return [Req(f"/craftsmen/{pk}/") for pk in world.craftsmen]


def board(world):
    chains = [f"/problems/?chain={pk}" for pk in world.hidden_chains]
    return [
        Req(u)
        for u in (
            "/problems/",
            "/problems/?page=2",
            "/en/problems/",
            f"/problems/?alliance={world.alliance.pk}",
            *[f"/problems/?status={s}" for s in ("draft", "merged", "solved")],
            *chains,
        )
    ]


def api_problems(world):
    return [Req("/api/v1/problems/"), Req("/api/v1/problems/?page=2")]


def acting(template):
    """A POST that every role may send and that changes nothing (an unknown
    proposal): what its answer says — error or page — is scanned."""

    def requests(world):
        return [
            Req(
                template.format(id=p.pk),
                method="post",
                data={"proposal": "0"},
            )
            for p in world.problems
        ]

    return requests


def wagtail_pages(world):
    return [
        Req(u)
        for u in (
            "/",
            "/en/",
            "/alliances/",
            world.alliance.url,
            "/stories/",
            "/session-reports/",
            *[r.url for r in world.reports],  # one per problem's held session
            "/no-such-page/",  # the 404 page
            f"/problems/{world.missing}/",  # a 404 from a view
        )
    ]


def per_session(template, method="get", data=None):
    def requests(world):
        return [
            Req(template.format(id=s.pk), method, dict(data or {}))
            for s in world.sessions
        ]

    return requests


def admin_screens(world):
    urls = ["/admin/", "/admin/problem/", "/admin/proposal/", "/admin/outcome/"]
    for p in world.problems:
        urls.append(f"/admin/problem/inspect/{p.pk}/")  # edit shows the same
    urls += [f"/admin/proposal/inspect/{pk}/" for pk in world.proposals]
    urls += [f"/admin/outcome/inspect/{pk}/" for pk in world.outcomes]
    return [Req(u) for u in urls]


LEAK_POLICY = {
    # lists and side panels
    "problems:board": board,
    "problems:results": each("/problems/results/", "/en/problems/results/"),
    "problems:overdue": each("/problems/overdue/"),
    "studios:index": each("/studios/", "/en/studios/"),
    "studios:detail": studio_pages,
    "studios:craftsman": craftsman_pages,
    "studios:achievements": each("/achievements/", "/en/achievements/"),
    "studios:achievement": achievement_pages,
    "search:search": each("/search/?q=焊枪抖动"),
    "sitemap": each("/sitemap.xml"),
    # the state of the database, broker, search and workers: no content
    "health": each("/health/", "/health/?format=json"),
    "robots_txt": each("/robots.txt"),
    "favicon": each("/favicon.ico"),
    "wagtail_serve": wagtail_pages,
    # problem pages
    "problems:detail": problem_pages,
    "problems:edit": per_problem("/problems/{id}/edit/"),
    "problems:act": acting("/problems/{id}/act/accept_proposal/"),
    # staff queue the matching again; everyone else gets a 403/404/login
    "problems:rematch": acting("/problems/{id}/rematch/"),
    "problems:download": downloads,
    "problems:new": each("/problems/new/"),
    # joint sessions: one per problem a session can be held for
    "joint_sessions:list": lambda w: [
        Req("/sessions/"),
        Req("/en/sessions/"),
        Req(f"/sessions/?alliance={w.alliance.pk}"),
    ],
    "joint_sessions:new": each("/sessions/new/"),
    "joint_sessions:detail": per_session("/sessions/{id}/"),
    "joint_sessions:sign_up": per_session(
        "/sessions/{id}/sign-up/", "post", {"quota": "0"}
    ),
    "joint_sessions:cancel": per_session("/sessions/{id}/cancel/", "post"),
    "joint_sessions:accept_offer": per_session("/sessions/{id}/accept/", "post"),
    "joint_sessions:meeting_link": per_session("/sessions/{id}/meeting-link/"),
    "joint_sessions:organise": per_session("/sessions/{id}/organise/"),
    "joint_sessions:check_in": per_session(
        "/sessions/{id}/check-in/", "post", {"code": "NOSUCHCODE"}
    ),
    "joint_sessions:act": per_session("/sessions/{id}/act/minutes/", "post"),
    # calendars: the ally's private feed (whoever asks gets the token owner's
    # sessions — and no problem is named in it), a wrong token, the
    # alliance's public feed, the reset
    "joint_sessions:private_feed": lambda w: [
        Req(f"/sessions/calendar/{joint.feed_token(user=w.users['ally'])}.ics"),
        Req("/sessions/calendar/no-such-token.ics"),
    ],
    "joint_sessions:alliance_feed": lambda w: [
        Req(f"/sessions/alliance/{w.alliance.pk}.ics")
    ],
    "joint_sessions:reset_feed": each_post("/sessions/calendar/reset/"),
    "joint_sessions:certificate": lambda w: [
        Req(f"/sessions/{r.session_id}/certificates/{r.pk}/") for r in w.attended
    ],
    "joint_sessions:invite": lambda w: [
        *per_session("/sessions/{id}/invite/")(w),
        *per_session("/sessions/{id}/invite/", "post", {"people": "0"})(w),
    ],
    "joint_sessions:volunteer": lambda w: [
        Req(f"/problems/{p.pk}/volunteer/", "post", {"note": ""}) for p in w.problems
    ],
    # API
    "api-root": each("/api/v1/"),
    "schema": each("/api/schema/"),
    "api-docs": each("/api/docs/"),
    None: each("/api/nothing-here/"),
    "api-studio-list": each("/api/v1/studios/"),
    "api-studio-detail": lambda w: [
        Req(f"/api/v1/studios/{s.slug}/") for s in w.studios
    ],
    "api-problem-list": api_problems,
    "api-problem-detail": per_problem("/api/v1/problems/{id}/"),
    "api-problem-matches": per_problem("/api/v1/problems/{id}/matches/"),
    "api-problem-proposals": per_problem("/api/v1/problems/{id}/proposals/"),
    "api-problem-act": acting("/api/v1/problems/{id}/actions/accept_proposal/"),
    "api-session-list": lambda w: [
        Req("/api/v1/sessions/"),
        Req(f"/api/v1/sessions/?alliance={w.alliance.pk}"),
    ],
    "api-session-detail": per_session("/api/v1/sessions/{id}/"),
    "api-session-sign-up": per_session(
        "/api/v1/sessions/{id}/sign-up/", "post", {"quota": 0}
    ),
    "api-session-cancel": per_session("/api/v1/sessions/{id}/cancel/", "post"),
    "api-session-accept-offer": per_session(
        "/api/v1/sessions/{id}/accept-offer/", "post"
    ),
    "api-session-check-in": per_session(
        "/api/v1/sessions/{id}/check-in/", "post", {"code": "NOSUCHCODE"}
    ),
    "api-session-waitlist-position": per_session(
        "/api/v1/sessions/{id}/waitlist-position/"
    ),
    # accounts
    "accounts:home": each("/accounts/", "/en/accounts/"),
    "accounts:pending": each("/accounts/pending/"),
    "accounts:approve": lambda w: [
        Req(f"/accounts/pending/{w.waiting}/approve/", method="post")
    ],
    "accounts:reject": lambda w: [
        Req(f"/accounts/pending/{w.waiting}/reject/", method="post")
    ],
    "accounts:claim_profile": lambda w: [  # claimed already, or not theirs
        Req("/accounts/profile/claim/", "post", {"profile": w.craftsmen[0]}),
        Req("/accounts/profile/claim/", "post"),
    ],
    "accounts:register": each("/accounts/register/"),
    "accounts:register_sent": each("/accounts/register/sent/"),
    "accounts:verify_email": each("/accounts/verify/x/bad-token/"),
    "accounts:resend_verification": lambda w: [
        Req("/accounts/verify/resend/", method="post")
    ],
    "notifications:read": lambda w: [
        Req("/accounts/notifications/read/", method="post", data={"next": "/"})
    ],
    "accounts:two_factor": each("/accounts/two-factor/"),
    "accounts:two_factor_setup": each("/accounts/two-factor/setup/"),
    "accounts:password_change": each("/accounts/password/"),
    "accounts:password_change_done": each("/accounts/password/done/"),
    "accounts:login": each("/accounts/login/"),
    "accounts:logout": lambda w: [Req("/accounts/logout/", "post", relogin=True)],
    "accounts:password_reset": each("/accounts/password-reset/"),
    "accounts:password_reset_done": each("/accounts/password-reset/sent/"),
    "accounts:password_reset_confirm": each("/accounts/password-reset/x/bad-token/"),
    "accounts:password_reset_complete": each("/accounts/password-reset/done/"),
    "set_language": lambda w: [
        Req("/i18n/setlang/", "post", {"language": "zh-hans", "next": "/"})
    ],
    # Wagtail admin screens of the board (outside the route walk: they are
    # requested explicitly, for they show problems of every level)
    "admin:problem-board": admin_screens,
}

# Fields a route may show to anyone, with the reason.
ALLOWED_ON = {
    "problems:new": {
        "chain": "the form offers the whole master list of industry chains, "
        "used or not: it tells nothing about any problem",
    },
}

EXEMPT = {  # route name: why it is not requested
    "wagtailcore_authenticate_with_password": "Wagtail page privacy (Wagtail's own)",
    "wagtailcore_login": "Wagtail page privacy (Wagtail's own)",
}

# Free-text filters: the route, the query template and the fields whose
# markers are tried. For a marker the reader may not see, the answer must
# be the same as for NOWHERE.
# (Every marker is still scanned for in every answer; these are the ones also
# typed into the filters: the fields a filter or an index could read — the
# title, the text the board searches, the tag and, for the search box, the
# solution (a studio's achievements are indexed). All fields x all queries x
# all roles would take minutes.)
ORACLES = {
    "problems:board": [
        ("/problems/?q={}", ["title", "description", "tag"]),
        ("/problems/?tag={}", ["tag"]),
    ],
    "search:search": [("/search/?q={}", ["title", "description", "tag", "solution"])],
}


# The filters do find what the reader may see (else their silence on hidden
# markers would prove nothing): query -> [(role, marker it must find)]
CONTROLS = {
    "/problems/?q={}": [
        ("anonymous", marker("public", "published", "title")),
        ("insider", marker("alliance", "published", "description")),
        ("invited", marker("invited", "invited", "title")),
        ("owner", marker("invited", "draft", "title")),
    ],
    "/problems/?tag={}": [("anonymous", marker("public", "solved", "tag"))],
    "/search/?q={}": [("anonymous", marker("public", "solved", "title"))],
}


def test_every_route_has_a_leak_policy():
    missing = routes_without(LEAK_POLICY, EXEMPT)
    assert not missing, (
        f"routes without a leak policy (add them to LEAK_POLICY in {__file__}): "
        f"{missing}"
    )


# ---------------------------------------------------------------------------
# The world
# ---------------------------------------------------------------------------


@dataclass
class World:
    users: dict
    alliance: object
    problems: list = field(default_factory=list)
    cases: dict = field(default_factory=dict)  # problem pk -> (level, state)
    attachments: list = field(default_factory=list)
    studios: list = field(default_factory=list)
    achievements: list = field(default_factory=list)
    craftsmen: list = field(default_factory=list)
    chains: list = field(default_factory=list)
    hidden_chains: list = field(default_factory=list)  # tried in ?chain=
    proposals: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    reports: list = field(default_factory=list)  # report pages of held sessions
    attended: list = field(default_factory=list)  # registrations checked in
    waiting: int = 0
    target_url: str = ""  # the problem duplicates are merged into
    missing: int = 0


def committed():
    """Run, when the block ends, what it left for after the commit (indexing,
    matching), as the end of a real request would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def settle(fn, *args, **kwargs):
    with committed():
        return fn(*args, **kwargs)


def pdf(text):
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


def build_world():
    with committed():  # the studios indexed, as after their import
        group = alliance("泄漏测试联盟")
        home, outside, inside = (
            EnterpriseFactory(name=n) for n in ("发布企业", "联盟外企业", "联盟内企业")
        )
        invited_studio = StudioFactory(slug="s-leak-invited")
        rival_studio = StudioFactory(slug="s-leak-rival")
        other_studio = StudioFactory(slug="s-leak-other")
        ally_studio = StudioFactory(slug="s-leak-ally", enterprise=inside)
        ally_studio.alliances.add(group)
        ally_studio.save()
        studios = [invited_studio, rival_studio, other_studio, ally_studio]
        craftsmen = [
            StudioMember.objects.create(
                studio=s, craftsman=CraftsmanFactory()
            ).craftsman_id
            for s in studios
        ]
        users = {
            "noone": get_user_model().objects.create_user("noone", password="pw"),
            "staff": person("staff"),
            "owner": person("enterprise", enterprise=home),
            "owner_unapproved": person("enterprise", enterprise=home, approved=False),
            "outsider": person("enterprise", enterprise=outside),
            "insider": person("enterprise", enterprise=inside),
            "invited": person("craftsman", studio=invited_studio),
            "invited_unapproved": person(
                "craftsman", studio=invited_studio, approved=False
            ),
            "other": person("craftsman", studio=other_studio),
            "ally": person("craftsman", studio=ally_studio),
        }
        rival = person("craftsman", studio=rival_studio)
        # the invited craftsman (whose proposals are adopted at every level)
        # and the ally (who attends the held sessions) claimed their public
        # profiles: those pages show their record
        for role, profile in (("invited", craftsmen[0]), ("ally", craftsmen[3])):
            Person.objects.filter(user=users[role]).update(profile_id=profile)
        staff, owner = users["staff"], users["owner"]
        world = World(users=users, alliance=group, studios=studios, craftsmen=craftsmen)
        world.waiting = person(
            "enterprise", enterprise=EnterpriseFactory(name="待审企业"), approved=False
        ).person.pk

    # the problem duplicates are merged into: another enterprise's
    target = settle(
        Problem.objects.create,
        enterprise=outside,
        created_by=users["outsider"],
        title="焊枪抖动难题（联盟外企业）",
        description="焊接机器人焊枪抖动，焊缝开裂。",
        confidentiality=Confidentiality.PUBLIC,
    )
    settle(services.submit_problem, problem=target, user=users["outsider"])
    settle(services.start_review, problem=target, user=staff)
    settle(services.publish_problem, problem=target, user=staff)
    world.problems.append(target)
    world.target_url = target.get_absolute_url()

    for level, state in CASES:
        m = {f: marker(level, state, f) for f in fields_of(state)}
        with committed():
            chain = IndustryChain.objects.create(name=m["chain"])
            world.chains.append(chain.pk)
            if state in ("draft", "merged", "invited"):  # a sample
                world.hidden_chains.append(chain.pk)
            problem = Problem.objects.create(
                enterprise=home,
                created_by=owner,
                **{f: f"焊接机器人焊枪抖动 {m[f]}" for f in TEXT_FIELDS},
                industry_chain=chain,
                public_summary=f"某企业焊接质量问题 {m['summary']}",
                confidentiality=(
                    Confidentiality.PUBLIC if state == "reclassified" else level
                ),
            )
            problem.alliances.add(group)
            problem.tags.add(m["tag"])
            problem.save()
            world.attachments += store(
                problem,
                [(f"{m['file_name']}.pdf", "application/pdf", pdf(m["file_body"]))],
                owner,
            )
        world.problems.append(problem)
        world.cases[problem.pk] = (level, state)
        if state == "draft":
            continue
        settle(services.submit_problem, problem=problem, user=owner)
        if state == "submitted":
            continue
        settle(services.start_review, problem=problem, user=staff)
        if state == "in_review":
            continue
        if state == "returned":
            settle(
                services.return_problem,
                problem=problem,
                user=staff,
                reason=f"请补充数据 {m['return_reason']}",
            )
            continue
        settle(services.publish_problem, problem=problem, user=staff)
        if state == "merged":
            settle(services.merge_problem, problem=problem, into=target, user=staff)
            continue
        if state == "published":
            continue
        settle(
            services.invite_studios,
            problem=problem,
            user=staff,
            studios=[invited_studio, rival_studio],
        )
        if state == "invited":
            continue
        proposal = settle(
            services.submit_proposal,
            problem=problem,
            user=users["invited"],
            text=f"我们的方案 {m['proposal']}",
            files=[
                (
                    f"{m['proposal_file_name']}.pdf",
                    "application/pdf",
                    pdf(m["proposal_file_body"]),
                )
            ],
        )
        settle(
            services.submit_proposal,
            problem=problem,
            user=rival,
            text=f"另一方案 {m['rival_proposal']}",
            files=[
                (
                    f"{m['rival_file_name']}.pdf",
                    "application/pdf",
                    pdf(m["rival_file_body"]),
                )
            ],
        )
        world.attachments += list(
            Attachment.objects.filter(problem=problem, proposal__isnull=False)
        )
        if state == "proposals":
            continue
        settle(services.accept_proposal, proposal=proposal, user=owner)
        settle(
            services.record_outcome,
            problem=problem,
            user=users["invited"],
            result=Status.SOLVED,
            solution=f"更换减振底座 {m['solution']}",
            actual_benefit_wan_yuan=BENEFITS[(level, state)],
        )
        settle(services.confirm_outcome, problem=problem, user=owner)
        settle(services.verify_outcome, problem=problem, user=staff)
        if state == "reclassified":
            problem.refresh_from_db()
            problem.confidentiality = level
            settle(problem.save)
    world.achievements = list(Achievement.objects.order_by("pk"))
    world.proposals = list(Proposal.objects.values_list("pk", flat=True))
    world.outcomes = list(Outcome.objects.values_list("pk", flat=True))
    world.missing = Problem.objects.order_by("-pk").first().pk + 1000
    # a joint session for each problem one can be held for; the alliance's
    # craftsman volunteers where they may
    start = timezone.now() + datetime.timedelta(days=30)
    for problem in Problem.objects.published().filter(merged_into__isnull=True):
        session_plan = joint.Plan.starting(
            start,
            title=f"联合会诊 {problem.pk}",
            alliance=world.alliance,
            problems=[problem],
            total_seats=1,
            quotas=[("机器视觉", 1)],
            mode="hybrid",
            address="包装车间",
            meeting_link="https://meet.example.org/room",
        )
        session = settle(joint.create_session, user=staff, plan=session_plan)
        settle(joint.open_session, session=session, user=staff)
        with contextlib.suppress(joint.SessionError):  # where the ally may
            settle(
                joint.sign_up,
                session=session,
                user=users["ally"],
                quota=session.quotas.get(),
                acknowledged=True,
            )
        world.sessions.append(session)
        # and one held, its report published: the minutes carry the problem's
        # title marker, so the report may show only where the title may be
        # seen. Held by a write here, not mark_held, which would invite the
        # studios that came and move the problem out of its planted state.
        report_of = settle(
            joint.create_session,
            user=staff,
            plan=replace(session_plan, title=f"联合会诊纪要 {problem.pk}"),
        )
        settle(joint.open_session, session=report_of, user=staff)
        with contextlib.suppress(joint.SessionError):
            registration = settle(
                joint.sign_up,
                session=report_of,
                user=users["ally"],
                quota=report_of.quotas.get(),
                acknowledged=True,
            )
            Registration.objects.filter(pk=registration.pk).update(
                state=RegistrationState.ATTENDED, checked_in_at=start
            )
            world.attended.append(registration)
        case = world.cases.get(problem.pk)
        Session.objects.filter(pk=report_of.pk).update(
            status=SessionStatus.HELD,
            minutes="会诊纪要 " + (marker(*case, "title") if case else ""),
        )
        world.reports.append(
            settle(joint.publish_report, session=report_of, user=staff)
        )
    return world


# ---------------------------------------------------------------------------
# Scanning
# ---------------------------------------------------------------------------

MARKER_RE = re.compile(r"zqx[a-z]{4}", re.IGNORECASE)
DECIMAL_RE = re.compile(r"(?<![\w.,])\d{1,3}(?:,?\d{3})*\.\d\d(?![\d])")
INTEGER_RE = re.compile(r"(?<![\w.,])\d{1,3}(?:,?\d{3})+(?![\w,]|\.\d)")
LINK_RE = re.compile(r"/(?:en/)?(problems|achievements)/(\d+)/")


def forbidden_figures():
    """role -> {figure as shown: what it gives away}: each hidden benefit and
    every total that includes one (exact, and rounded to the yuan-10,000)."""
    from decimal import Decimal

    cases = list(BENEFITS)
    sums = {}
    for n in range(1, len(cases) + 1):
        for subset in itertools.combinations(cases, n):
            total = sum(Decimal(BENEFITS[c]) for c in subset)
            sums[subset] = total
    exact = [f"{t:.2f}" for t in sums.values()]
    rounded = [str(round(t)) for t in sums.values()]
    assert len(set(exact)) == len(exact) and len(set(rounded)) == len(rounded)
    assert all(not s.endswith("0") for s in exact)  # floatformat keeps 2 places
    figures = {}
    for role in ROLES:
        hidden = {}
        for subset, total in sums.items():
            secret = [c for c in subset if not benefit_visible(role, c)]
            if secret:
                what = "benefit of " + ", ".join("/".join(c) for c in secret)
                if len(subset) > 1:
                    what += " (in a total)"
                hidden[f"{total:.2f}"] = what
                hidden[str(round(total))] = what + " (rounded)"
        figures[role] = hidden
    return figures


FIGURES = forbidden_figures()


def body_of(response):
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", "replace")


def headers_of(response):
    """Headers say things too (a download's file name, a redirect's target);
    scanned for markers, not for figures (Content-Length is a number)."""
    return "\n".join(f"{k}: {v}" for k, v in response.headers.items())


def markers_in(text):
    return {m.lower() for m in MARKER_RE.findall(text)} & MARKERS.keys()


def figures_in(text, role):
    found = {n.replace(",", "") for n in DECIMAL_RE.findall(text)}
    found |= {n.replace(",", "") for n in INTEGER_RE.findall(text)}
    found |= set(re.findall(r"(?<![\w.,])\d{4,6}(?![\w,]|\.\d)", text))
    return {n: FIGURES[role][n] for n in found if n in FIGURES[role]}


def links_in(text):
    return {f"{kind}/{pk}" for kind, pk in LINK_RE.findall(text)}


@dataclass(frozen=True)
class Leak:
    route: str
    role: str
    url: str
    what: str  # a marker, or a figure
    means: str  # what it gives away


def describe(m):
    level, state, f = MARKERS[m]
    return f"{level}/{state}: {f}"


@dataclass
class Findings:
    leaks: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (route, role, url, status)
    seen: dict = field(default_factory=lambda: defaultdict(set))  # marker -> roles
    requests: int = 0
    controls: list = field(default_factory=list)  # filters that found nothing


def login(client, world, role):
    client.logout()
    if role != "anonymous":
        client.force_login(world.users[role])
        if role == "staff":  # staff sign in with their second factor
            pass_second_factor(client, world.users[role])


def request(client, req):
    if req.method == "post":
        if req.url.startswith("/api/"):
            import json

            return client.post(
                req.url, json.dumps(req.data), content_type="application/json"
            )
        return client.post(req.url, req.data)
    return client.get(req.url)


def scan(findings, route, role, url, text, headers="", skip=()):
    for m in markers_in(headers + "\n" + text) - set(skip):
        if MARKERS[m][2] in ALLOWED_ON.get(route, {}):
            continue
        if may_see(role, *MARKERS[m]):
            findings.seen[m].add(role)
        else:
            findings.leaks.append(Leak(str(route), role, url, m, describe(m)))
    for figure, means in figures_in(text, role).items():
        findings.leaks.append(Leak(str(route), role, url, figure, means))


def observe(world):
    findings = Findings()
    requests = {route: make(world) for route, make in LEAK_POLICY.items()}
    for role in ROLES:
        client = Client()
        login(client, world, role)
        for route, reqs in requests.items():
            for req in reqs:
                response = request(client, req)
                findings.requests += 1
                if response.status_code >= 500:
                    findings.errors.append(
                        (str(route), role, req.url, response.status_code)
                    )
                scan(
                    findings,
                    route,
                    role,
                    req.url,
                    body_of(response),
                    headers_of(response),
                )
                if req.relogin:
                    login(client, world, role)
        for route, oracles in ORACLES.items():
            for template, field_names in oracles:
                baseline = body_of(client.get(template.format(NOWHERE)))
                echo, listed = baseline.lower().count(NOWHERE), links_in(baseline)
                for m, (level, state, f) in MARKERS.items():
                    if f not in field_names or may_see(role, level, state, f):
                        continue
                    url = template.format(m)
                    response = client.get(url)
                    findings.requests += 1
                    text = body_of(response)
                    if response.status_code >= 500:
                        findings.errors.append((route, role, url, response.status_code))
                    scan(
                        findings,
                        route,
                        role,
                        url,
                        text,
                        headers_of(response),
                        skip=[m],
                    )
                    extra = links_in(text) - listed
                    if extra or text.lower().count(m) > echo:
                        findings.leaks.append(
                            Leak(
                                route,
                                role,
                                url,
                                m,
                                f"{describe(m)} — the filter answers differently "
                                f"than for a word that exists nowhere"
                                + (f" (lists {sorted(extra)})" if extra else ""),
                            )
                        )
                for who, wanted in CONTROLS.get(template, []):
                    if who == role:
                        found = links_in(body_of(client.get(template.format(wanted))))
                        if not found - listed:
                            findings.controls.append(
                                f"{role}: {template.format(wanted)} finds nothing"
                            )
    return findings


@pytest.fixture(scope="module")
def findings(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world is built once for the module, inside a transaction rolled
    back at the end, and every request is made once."""
    from django.db import transaction

    from search.backends import get_backend
    from search.encoders import get_encoder

    with (
        django_db_blocker.unblock(),
        override_settings(
            STORAGES={
                **settings.STORAGES,
                "private": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": tmp_path_factory.mktemp("private")},
                },
            },
            # Sentence vectors only re-order studios that words already found;
            # encoding them would take most of a minute here.
            SEARCH_ENCODER="",
            # The run takes minutes on a busy machine; the world's background
            # jobs are never sent (no broker), so after HEALTH_WORKER_MAX_AGE
            # /health/ would answer 500 for them — a clock, not a leak.
            HEALTH_WORKER_MAX_AGE=24 * 3600,
        ),
        transaction.atomic(),
    ):
        get_backend.cache_clear()  # no index left by another module's world
        get_encoder.cache_clear()
        try:
            world = build_world()
            yield observe(world)
        finally:
            transaction.set_rollback(True)
            get_backend.cache_clear()
            get_encoder.cache_clear()


def report(leaks):
    """Grouped: what leaked, to whom, where."""
    grouped = defaultdict(lambda: (set(), []))
    for leak in leaks:
        roles, urls = grouped[(leak.what, leak.means)]
        roles.add(leak.role)
        if leak.url not in urls:
            urls.append(leak.url)
    lines = []
    for (what, means), (roles, urls) in sorted(grouped.items()):
        shown = ", ".join(urls[:3]) + (f" … +{len(urls) - 3}" if len(urls) > 3 else "")
        who = ", ".join(r for r in ROLES if r in roles)
        lines.append(f"  {what} ({means}) seen by [{who}] at {shown}")
    return "\n".join(lines)


@pytest.mark.django_db
@pytest.mark.parametrize("route", [str(r) for r in LEAK_POLICY])
def test_no_route_shows_a_reader_what_they_may_not_see(findings, route):
    errors = [e for e in findings.errors if e[0] == route]
    leaks = [leak for leak in findings.leaks if leak.route == route]
    assert not errors, f"{route}: server errors {errors}"
    assert not leaks, f"{route} leaks {len(leaks)} time(s):\n{report(leaks)}"


@pytest.mark.django_db
def test_every_marker_is_seen_by_someone_allowed(findings):
    """Guards the guard: markers that nobody ever sees were not planted or
    not rendered, and their absence elsewhere would prove nothing."""
    unseen = sorted(
        f"{m} ({describe(m)})" for m in MARKERS if "staff" not in findings.seen[m]
    )
    assert not unseen, "never shown even to union staff:\n" + "\n".join(unseen)
    assert not findings.controls, "\n".join(findings.controls)
    # and the readers the table allows do see them where they should
    for role, m in [
        ("anonymous", marker("public", "published", "title")),
        ("anonymous", marker("invited", "published", "summary")),
        ("insider", marker("alliance", "published", "title")),
        ("ally", marker("alliance", "invited", "description")),
        ("invited", marker("invited", "invited", "file_name")),
        ("invited", marker("invited", "proposals", "proposal")),
        ("owner", marker("invited", "draft", "title")),
        ("owner", marker("alliance", "proposals", "rival_proposal")),
    ]:
        assert role in findings.seen[m], f"{role} never saw {m} ({describe(m)})"
