"""Every route, every role, every confidentiality level: who may see, edit,
download and act. A route without a declared policy fails this test; a denied
request for something whose existence is confidential answers 404, not 403."""

import pytest

from accounts.models import Person
from joint_sessions import services as joint
from joint_sessions.models import (
    Registration,
    RegistrationState,
    Session,
    SessionStatus,
)
from problems import services
from problems.models import Attachment, Confidentiality, Problem, Status
from studios.models import StudioMember
from tests.factories import (
    AchievementFactory,
    CraftsmanFactory,
    EnterpriseFactory,
    SessionFactory,
    StudioFactory,
    alliance,
    person,
)
from tests.support import routes_without

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "a", "b", "invited", "other", "staff")
EXEMPT = {  # route name: why it is not in the matrix
    "wagtail_serve": "Wagtail pages: public CMS pages, Wagtail's own privacy rules",
    "wagtailcore_authenticate_with_password": "Wagtail page privacy (Wagtail's own)",
    "wagtailcore_login": "Wagtail page privacy (Wagtail's own)",
}


def everyone(code):
    return dict.fromkeys(ROLES, code)


def visible(level, yes, no=404, **overrides):
    """Seen by the owner, the invited studio and staff; by everyone if public."""
    seen = {"a", "invited", "staff"} | (set(ROLES) if level == "public" else set())
    return {role: overrides.get(role, yes if role in seen else no) for role in ROLES}


def logged_in(codes):
    return {**codes, "anonymous": 302}


# route name -> (method, path template, expected(level) -> {role: status})
POLICY = {
    "sitemap": ("get", "/sitemap.xml", lambda lv: everyone(200)),
    "health": ("get", "/health/", lambda lv: everyone(200)),
    "robots_txt": ("get", "/robots.txt", lambda lv: everyone(200)),
    "favicon": ("get", "/favicon.ico", lambda lv: everyone(200)),
    "set_language": ("post", "/i18n/setlang/", lambda lv: everyone(302)),
    "schema": ("get", "/api/schema/", lambda lv: everyone(200)),
    "api-docs": ("get", "/api/docs/", lambda lv: everyone(200)),
    "api-root": ("get", "/api/v1/", lambda lv: everyone(200)),
    None: ("get", "/api/nothing-here/", lambda lv: everyone(404)),
    "api-studio-list": ("get", "/api/v1/studios/", lambda lv: everyone(200)),
    "api-studio-detail": ("get", "/api/v1/studios/{studio}/", lambda lv: everyone(200)),
    "api-problem-list": ("get", "/api/v1/problems/", lambda lv: everyone(200)),
    "api-problem-detail": (
        "get",
        "/api/v1/problems/{problem}/",
        lambda lv: visible(lv, 200),
    ),
    "api-problem-matches": (
        "get",
        "/api/v1/problems/{problem}/matches/",
        lambda lv: {**everyone(404), "a": 200, "staff": 200},
    ),
    "api-problem-proposals": (
        "get",
        "/api/v1/problems/{problem}/proposals/",
        lambda lv: {**everyone(404), "a": 200, "staff": 200, "invited": 200},
    ),
    "api-problem-act": (
        "post",
        "/api/v1/problems/{problem}/actions/start_review/",
        # staff may, but not in this state: a conflict
        lambda lv: visible(lv, 403, staff=409),
    ),
    "studios:index": ("get", "/studios/", lambda lv: everyone(200)),
    "studios:detail": ("get", "/studios/{studio}/", lambda lv: everyone(200)),
    "studios:craftsman": ("get", "/craftsmen/{craftsman}/", lambda lv: everyone(200)),
    "studios:achievements": ("get", "/achievements/", lambda lv: everyone(200)),
    "studios:achievement": (
        "get",
        "/achievements/{achievement}/",
        lambda lv: everyone(200),
    ),
    "search:search": ("get", "/search/?q=焊接", lambda lv: everyone(200)),
    "problems:board": ("get", "/problems/", lambda lv: everyone(200)),
    "problems:results": ("get", "/problems/results/", lambda lv: everyone(200)),
    "problems:new": (
        "get",
        "/problems/new/",
        lambda lv: logged_in({**everyone(403), "a": 200, "b": 200}),
    ),
    "problems:overdue": (
        "get",
        "/problems/overdue/",
        lambda lv: logged_in({**everyone(403), "staff": 200}),
    ),
    "problems:detail": ("get", "/problems/{problem}/", lambda lv: visible(lv, 200)),
    "problems:edit": (
        "get",
        "/problems/{problem}/edit/",
        lambda lv: logged_in(visible(lv, 403, staff=200)),
    ),
    "problems:act": (
        "post",
        "/problems/{problem}/act/start_review/",
        lambda lv: logged_in(visible(lv, 403, staff=409)),
    ),
    # union staff queue the matching again (302 to the page); others may not
    "problems:rematch": (
        "post",
        "/problems/{problem}/rematch/",
        lambda lv: logged_in(visible(lv, 403, staff=302)),
    ),
    "problems:download": (
        "get",
        "/problems/{problem}/attachments/{attachment}/",
        lambda lv: logged_in({**everyone(404), "a": 200, "invited": 200, "staff": 200}),
    ),
    # Wagtail admin screens of the board (outside the route walk above, but
    # they show problems of every level, so they are in the matrix too)
    "admin-problem-index": (
        "get",
        "/admin/problem/",
        lambda lv: {**everyone(302), "staff": 200},
    ),
    "admin-problem-inspect": (
        "get",
        "/admin/problem/inspect/{problem}/",
        lambda lv: {**everyone(302), "staff": 200},
    ),
    "admin-problem-edit": (
        "get",
        "/admin/problem/edit/{problem}/",
        lambda lv: {**everyone(302), "staff": 200},
    ),
    "admin-problem-add": (  # born on the board only: denied even to staff
        "get",
        "/admin/problem/new/",
        lambda lv: everyone(302),
    ),
    "admin-proposals": (
        "get",
        "/admin/proposal/",
        lambda lv: {**everyone(302), "staff": 200},
    ),
    # joint sessions: a session for the problem, seen as the problem is seen
    "joint_sessions:list": ("get", "/sessions/", lambda lv: everyone(200)),
    "joint_sessions:new": (
        "get",
        "/sessions/new/",
        lambda lv: logged_in({**everyone(403), "staff": 200}),
    ),
    "joint_sessions:detail": (
        "get",
        "/sessions/{session}/",
        lambda lv: visible(lv, 200),
    ),
    "joint_sessions:sign_up": (  # no skill chosen: refused with a message
        "post",
        "/sessions/{session}/sign-up/",
        lambda lv: logged_in(visible(lv, 400)),
    ),
    "joint_sessions:cancel": (  # not signed up: a conflict
        "post",
        "/sessions/{session}/cancel/",
        lambda lv: logged_in(visible(lv, 409)),
    ),
    "joint_sessions:accept_offer": (
        "post",
        "/sessions/{session}/accept/",
        lambda lv: logged_in(visible(lv, 409)),
    ),
    "joint_sessions:meeting_link": (  # confirmed attendees and staff only
        "get",
        "/sessions/{session}/meeting-link/",
        lambda lv: logged_in(visible(lv, 403, staff=302)),
    ),
    "joint_sessions:organise": (
        "get",
        "/sessions/{session}/organise/",
        lambda lv: logged_in({**everyone(403), "staff": 200}),
    ),
    "joint_sessions:check_in": (  # a week before: check-in is not open
        "post",
        "/sessions/{session}/check-in/",
        lambda lv: logged_in({**everyone(403), "staff": 409}),
    ),
    "joint_sessions:act": (  # minutes before it is held: a conflict
        "post",
        "/sessions/{session}/act/minutes/",
        lambda lv: logged_in({**everyone(403), "staff": 409}),
    ),
    "joint_sessions:invite": (  # staff invite craftsmen to a session
        "get",
        "/sessions/{session}/invite/",
        lambda lv: logged_in({**everyone(403), "staff": 200}),
    ),
    "joint_sessions:certificate": (  # the attendee's own, and staff
        "get",
        "/sessions/{held}/certificates/{seat}/",
        lambda lv: logged_in({**everyone(404), "invited": 200, "staff": 200}),
    ),
    "joint_sessions:volunteer": (  # no note: refused with a message
        "post",
        "/problems/{problem}/volunteer/",
        lambda lv: logged_in(visible(lv, 409)),
    ),
    # calendars: a wrong token is 404 for all; the alliance's feed is public
    "joint_sessions:private_feed": (
        "get",
        "/sessions/calendar/no-such-token.ics",
        lambda lv: everyone(404),
    ),
    "joint_sessions:alliance_feed": (
        "get",
        "/sessions/alliance/{alliance}.ics",
        lambda lv: everyone(200),
    ),
    "joint_sessions:reset_feed": (  # signed in: done, back to the account page
        "post",
        "/sessions/calendar/reset/",
        lambda lv: everyone(302),
    ),
    # the sessions API: as the pages, with 403 for a missing sign-in
    "api-session-list": ("get", "/api/v1/sessions/", lambda lv: everyone(200)),
    "api-session-detail": (
        "get",
        "/api/v1/sessions/{session}/",
        lambda lv: visible(lv, 200),
    ),
    "api-session-sign-up": (  # an empty body: no skill
        "post",
        "/api/v1/sessions/{session}/sign-up/",
        lambda lv: {**visible(lv, 400), "anonymous": 403},
    ),
    "api-session-cancel": (  # not signed up: a conflict
        "post",
        "/api/v1/sessions/{session}/cancel/",
        lambda lv: {**visible(lv, 409), "anonymous": 403},
    ),
    "api-session-accept-offer": (
        "post",
        "/api/v1/sessions/{session}/accept-offer/",
        lambda lv: {**visible(lv, 409), "anonymous": 403},
    ),
    "api-session-check-in": (  # staff only; staff's empty body: no code
        "post",
        "/api/v1/sessions/{session}/check-in/",
        lambda lv: {**visible(lv, 403, staff=400), "anonymous": 403},
    ),
    "api-session-waitlist-position": (  # not signed up
        "get",
        "/api/v1/sessions/{session}/waitlist-position/",
        lambda lv: {**everyone(404), "anonymous": 403},
    ),
    "accounts:register": ("get", "/accounts/register/", lambda lv: everyone(200)),
    "accounts:claim_profile": (  # no profile chosen: a craftsman's 400
        "post",
        "/accounts/profile/claim/",
        lambda lv: logged_in({**everyone(403), "invited": 400, "other": 400}),
    ),
    "accounts:login": ("get", "/accounts/login/", lambda lv: everyone(200)),
    "accounts:logout": ("post", "/accounts/logout/", lambda lv: everyone(302)),
    "accounts:home": ("get", "/accounts/", lambda lv: logged_in(everyone(200))),
    "accounts:pending": (
        "get",
        "/accounts/pending/",
        lambda lv: logged_in({**everyone(403), "staff": 200}),
    ),
    "accounts:approve": (
        "post",
        "/accounts/pending/{waiting}/approve/",
        lambda lv: logged_in({**everyone(403), "staff": 302}),
    ),
    "accounts:reject": (  # no reason given: refused with a message
        "post",
        "/accounts/pending/{waiting}/reject/",
        lambda lv: logged_in({**everyone(403), "staff": 400}),
    ),
    "accounts:register_sent": (
        "get",
        "/accounts/register/sent/",
        lambda lv: everyone(200),
    ),
    "accounts:verify_email": (
        "get",
        "/accounts/verify/x/bad-token/",
        lambda lv: everyone(400),
    ),
    "accounts:resend_verification": (
        "post",
        "/accounts/verify/resend/",
        lambda lv: logged_in(everyone(302)),
    ),
    "notifications:read": (
        "post",
        "/accounts/notifications/read/",
        lambda lv: logged_in(everyone(302)),
    ),
    # staff here have passed the second factor (see SignInClient): both pages
    # send them on; nobody else has a second factor to pass
    "accounts:two_factor": (
        "get",
        "/accounts/two-factor/",
        lambda lv: logged_in({**everyone(403), "staff": 302}),
    ),
    "accounts:two_factor_setup": (
        "get",
        "/accounts/two-factor/setup/",
        lambda lv: logged_in({**everyone(403), "staff": 302}),
    ),
    "accounts:password_change": (
        "get",
        "/accounts/password/",
        lambda lv: logged_in(everyone(200)),
    ),
    "accounts:password_change_done": (
        "get",
        "/accounts/password/done/",
        lambda lv: logged_in(everyone(200)),
    ),
    "accounts:password_reset": (
        "get",
        "/accounts/password-reset/",
        lambda lv: everyone(200),
    ),
    "accounts:password_reset_done": (
        "get",
        "/accounts/password-reset/sent/",
        lambda lv: everyone(200),
    ),
    "accounts:password_reset_confirm": (
        "get",
        "/accounts/password-reset/x/bad-token/",
        lambda lv: everyone(200),
    ),
    "accounts:password_reset_complete": (
        "get",
        "/accounts/password-reset/done/",
        lambda lv: everyone(200),
    ),
}


def test_every_route_has_a_declared_policy():
    missing = routes_without(POLICY, EXEMPT)
    assert not missing, f"routes without a policy: {missing}"


@pytest.fixture
def world():
    a = EnterpriseFactory(name="甲企业")
    vision, other = StudioFactory(slug="s-vision"), StudioFactory(slug="s-other")
    group = alliance("甲联盟")
    vision.alliances.add(group)
    vision.save()
    users = {
        "a": person("enterprise", enterprise=a),
        "b": person("enterprise", enterprise=EnterpriseFactory(name="乙企业")),
        "invited": person("craftsman", studio=vision),
        "other": person("craftsman", studio=other),
        "staff": person("staff"),
    }
    achievement = AchievementFactory(studio=vision)
    member = StudioMember.objects.create(studio=vision, craftsman=CraftsmanFactory())
    return {
        "users": users,
        "enterprise": a,
        "alliance": group,
        "vision": vision,
        "studio": vision.slug,
        "craftsman": member.craftsman_id,
        "achievement": achievement.pk,
    }


def build_problem(world, level, tmp_path):
    users = world["users"]
    problem = Problem.objects.create(
        enterprise=world["enterprise"],
        title="焊接难题",
        description="焊枪抖动。",
        confidentiality=level,
    )
    problem.alliances.add(world["alliance"])
    services.submit_problem(problem=problem, user=users["a"])
    services.start_review(problem=problem, user=users["staff"])
    services.publish_problem(problem=problem, user=users["staff"])
    services.invite_studios(
        problem=problem, user=users["staff"], studios=[world["vision"]]
    )
    from django.core.files.base import ContentFile

    from problems.attachments import private_storage

    name = private_storage.save(
        f"problems/{problem.pk}/a.pdf", ContentFile(b"%PDF-1.4")
    )
    attachment = Attachment.objects.create(
        problem=problem, file=name, name="a.pdf", content_type="application/pdf", size=8
    )
    problem.refresh_from_db()
    assert problem.status == Status.INVITED
    return problem, attachment


@pytest.mark.parametrize("level", [c.value for c in Confidentiality])
def test_the_matrix(client, world, level, private_folder, tmp_path):
    problem, attachment = build_problem(world, level, tmp_path)
    session = SessionFactory(
        title="焊接会诊",
        alliance=world["alliance"],
        problems=[problem],
        staff=world["users"]["staff"],
        total_seats=2,
        quotas=[("焊接", 2)],
        mode="hybrid",
        address="车间",
        meeting_link="https://meet.example.org/room",
    )
    staff = world["users"]["staff"]
    # and one held where the invited craftsman was checked in: their
    # certificate (set up by a write: holding would move the problem on)
    held = SessionFactory(
        title="已举行的会诊",
        alliance=world["alliance"],
        problems=[problem],
        staff=staff,
        total_seats=2,
        quotas=[("焊接", 2)],
    )
    seat = joint.sign_up(
        session=held,
        user=world["users"]["invited"],
        quota=held.quotas.get(),
        acknowledged=True,
    )
    Registration.objects.filter(pk=seat.pk).update(state=RegistrationState.ATTENDED)
    Session.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)
    mismatches = []
    for role in ROLES:
        waiting = Person.objects.get(
            pk=person(
                "enterprise", enterprise=EnterpriseFactory(), approved=False
            ).person.pk
        )
        values = {
            **{k: world[k] for k in ("studio", "craftsman", "achievement")},
            "problem": problem.pk,
            "attachment": attachment.pk,
            "waiting": waiting.pk,
            "session": session.pk,
            "alliance": world["alliance"].pk,
            "held": held.pk,
            "seat": seat.pk,
        }
        for name, (method, template, expected) in POLICY.items():
            client.logout()
            if role != "anonymous":
                client.force_login(world["users"][role])
            url = template.format(**values)
            extra = (
                {"data": "{}", "content_type": "application/json"}
                if method == "post" and url.startswith("/api/")
                else {}
            )
            response = getattr(client, method)(url, **extra)
            want = expected(level)[role]
            if response.status_code != want:
                mismatches.append(
                    f"{level} {role} {name}: {response.status_code} (expected {want})"
                )
    assert not mismatches, "\n".join(mismatches)
