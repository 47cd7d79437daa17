"""Every action on a problem answers: a message after it succeeded, its
reason beside the form it came from when refused, and each person is offered
exactly the actions the transition table and the policies allow now."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.people import studio_of
from problems import services
from problems.actions import ACTIONS
from problems.models import (
    Confidentiality,
    Invitation,
    MatchSuggestion,
    Outcome,
    Problem,
    Proposal,
    Status,
)
from problems.transitions import TRANSITIONS
from tests.factories import EnterpriseFactory, StudioFactory, alliance, person

pytestmark = pytest.mark.django_db

FORM_ACTION = re.compile(r'action="/problems/\d+/act/(\w+)/#([\w-]+)"')
MESSAGES = re.compile(r'<ul class="messages"[^>]*>(.*?)</ul>', re.S)


@pytest.fixture
def cast(db):
    vision, bottling = (
        StudioFactory(name="视觉工作室"),
        StudioFactory(name="封盖工作室"),
    )
    enterprise = EnterpriseFactory(name="甲企业")
    return {
        "owner": person("enterprise", enterprise=enterprise),
        "other_enterprise": person("enterprise", enterprise=EnterpriseFactory()),
        "staff": person("staff"),
        "vision": person("craftsman", studio=vision),
        "bottling": person("craftsman", studio=bottling),
        "other_studio": person("craftsman", studio=StudioFactory(name="远方工作室")),
        "studios": (vision, bottling),
        "enterprise": enterprise,
    }


def make_problem(cast, **kwargs):
    return Problem.objects.create(
        enterprise=cast["enterprise"],
        created_by=cast["owner"],
        title="压盖后瓶盖歪斜漏检",
        description="瓶盖歪斜靠人工抽检。",
        confidentiality=kwargs.pop("confidentiality", Confidentiality.INVITED),
        **kwargs,
    )


def act(client, user, problem, action, **data):
    """POST an action as ``user``; the message the next page shows."""
    client.force_login(user)
    response = client.post(f"/problems/{problem.pk}/act/{action}/", data)
    assert response.status_code == 302, (action, response.content.decode()[-2000:])
    assert response["Location"] == f"/problems/{problem.pk}/#messages"
    page = client.get(response["Location"]).content.decode()
    shown = MESSAGES.search(page)
    assert shown, f"{action}: no message shown"
    items = re.findall(r"<li[^>]*>(.*?)</li>", shown.group(1), re.S)
    assert len(items) == 1 and items[0].strip(), action
    # the message is read once: it is gone on the next page
    assert not MESSAGES.search(client.get(f"/problems/{problem.pk}/").content.decode())
    return items[0]


def test_every_action_answers_with_a_message(client, cast):
    said, problem, __ = run_every_action(client, cast)
    assert set(said) == set(ACTIONS), set(ACTIONS) - set(said)
    assert said["invite"] == "已邀请 3 个工作室，已通知其成员。"
    assert said["publish"].startswith("已发布")
    assert f"#{problem.pk}" in said["merge"]
    # each message says what happened: no two actions answer alike
    assert len(set(said.values())) == len(said)


def run_every_action(client, cast):
    """Every action of ACTIONS once, through the pages; what each answered."""
    problem = make_problem(cast)
    vision, bottling = cast["studios"]
    owner, staff = cast["owner"], cast["staff"]
    said = {}
    said["submit"] = act(client, owner, problem, "submit")
    said["return"] = act(client, staff, problem, "return", reason="缺少现场照片")
    act(client, owner, problem, "submit")
    said["start_review"] = act(client, staff, problem, "start_review")
    said["publish"] = act(client, staff, problem, "publish")
    match = MatchSuggestion.objects.create(
        problem=problem, studio=vision, rank=1, score=1.0
    )
    said["decide_match"] = act(
        client, owner, problem, "decide_match", match=match.pk, decision="confirmed"
    )
    elsewhere = studio_of(cast["other_studio"])
    said["invite"] = act(
        client, owner, problem, "invite", studio=[vision.pk, bottling.pk, elsewhere.pk]
    )
    said["decline_invitation"] = act(
        client, cast["other_studio"], problem, "decline_invitation", reason="人手不足"
    )
    said["propose"] = act(client, cast["vision"], problem, "propose", text="视觉剔除")
    act(client, cast["bottling"], problem, "propose", text="改压盖头")
    # a joint session is recorded by joint_sessions (tests/joint_sessions/)
    services.record_session(problem=problem, user=staff, held_on=timezone.localdate())
    first, second = problem.proposals.order_by("pk")
    said["decline_proposal"] = act(
        client, owner, problem, "decline_proposal", proposal=second.pk, reason="cost"
    )
    said["accept_proposal"] = act(
        client, owner, problem, "accept_proposal", proposal=first.pk
    )
    said["record_outcome"] = act(
        client,
        cast["vision"],
        problem,
        "record_outcome",
        result=Status.SOLVED,
        solution="加装视觉剔除",
        patents=0,
        five_smalls=0,
    )
    said["confirm_outcome"] = act(client, owner, problem, "confirm_outcome")
    said["verify_outcome"] = act(client, staff, problem, "verify_outcome")
    said["close"] = act(client, staff, problem, "close")
    duplicate = make_problem(cast, status=Status.SUBMITTED)
    said["merge"] = act(client, staff, duplicate, "merge", into=problem.pk)
    return said, problem, duplicate


def test_the_history_reads_as_sentences_with_names(client, cast):
    names = iter(["张三", "李四", "王五", "赵六", "钱七", "孙八"])
    for key in (
        "owner",
        "other_enterprise",
        "staff",
        "vision",
        "bottling",
        "other_studio",
    ):
        cast[key].first_name = next(names)
        cast[key].save()
    owner = cast["owner"]
    other = MatchSuggestion.objects.create(
        problem=make_problem(cast, status=Status.MATCHED),
        studio=cast["studios"][1],
        rank=1,
        score=1,
    )
    act(
        client,
        owner,
        other.problem,
        "decide_match",
        match=other.pk,
        decision="dismissed",
        reason="太远",
    )
    __, problem, duplicate = run_every_action(client, cast)
    client.force_login(owner)
    codes = set(ACTIONS) | {"match_confirmed", "match_dismissed", "merged_from"}
    codes |= {"record_matches", "cost"} | set(Status.values)
    for shown, sentences in (
        (
            problem,
            [
                "张三 提交了难题",
                "张三 确认了与 视觉工作室 的匹配",
                "张三 婉拒了一个方案 · 费用过高",
            ],
        ),
        (other.problem, ["张三 排除了与 封盖工作室 的匹配 · 太远"]),
        (duplicate, [f"合并到难题 #{problem.pk}"]),
    ):
        page = client.get(f"/problems/{shown.pk}/").content.decode()
        history = re.search(r'data-testid="history">(.*?)</ol>', page, re.S).group(1)
        if shown == problem:
            problem_history = history
        words = set(re.findall(r"[a-z_]+", history))
        assert not words & codes, words & codes
        # no bare ids: every number is a date, a time or a problem's #number
        bare = re.sub(r"\d{4}-\d\d-\d\d( \d\d:\d\d)?|#\d+", "", history)
        assert not re.search(r"\d", bare), bare
        for sentence in sentences:
            assert sentence in history, (sentence, history)
    # the invitation names the studios (in whatever order they were sent)
    invited = re.search(r"张三 邀请了 ([^<]*)</li>", problem_history).group(1)
    assert sorted(invited.split("、")) == sorted(
        ["视觉工作室", "封盖工作室", "远方工作室"]
    )


def test_a_refused_action_says_why_beside_its_form_in_words(client, cast):
    problem = make_problem(cast, status=Status.IN_REVIEW)
    client.force_login(cast["staff"])
    response = client.post(f"/problems/{problem.pk}/act/close/", {})
    # close is not offered in review: its reason goes to the top
    assert response.status_code == 409
    response = client.post(
        f"/problems/{problem.pk}/act/return/", {"reason": "太长" * 200}
    )
    assert response.status_code == 409
    page = response.content.decode()
    error = re.search(r'<p class="errors"[^>]*data-testid="error">(.*?)</p>', page)
    assert error, "no error shown"
    # in words: the field's label, never its name
    assert "reason" not in error.group(1) and "原因" in error.group(1)
    # beside the form it came from, which the browser scrolls to
    after = page[error.end() :]
    assert after.lstrip().startswith('<form method="post" id="act-return"')
    assert f'action="/problems/{problem.pk}/act/return/#act-return"' in page
    assert page.count('data-testid="error"') == 1
    # the page names the problem's own address (a script shows it instead)
    assert f'<link rel="canonical" href="/problems/{problem.pk}/">' in page
    problem.refresh_from_db()
    assert problem.status == Status.IN_REVIEW and not problem.events.exists()


def test_a_refused_text_field_is_named_in_words(client, cast):
    problem = make_problem(cast, status=Status.IN_REVIEW)
    client.force_login(cast["staff"])
    response = client.post(
        f"/problems/{problem.pk}/act/return/", {"reason": "长" * 400}
    )
    page = response.content.decode()
    assert response.status_code == 409
    error = re.search(r'data-testid="error">(.*?)</p>', page).group(1)
    assert "reason" not in error and "原因" in error


def test_a_refused_match_decision_stands_beside_that_match(client, cast):
    problem = make_problem(cast, status=Status.MATCHED)
    vision, bottling = cast["studios"]
    first = MatchSuggestion.objects.create(
        problem=problem, studio=vision, rank=1, score=1
    )
    second = MatchSuggestion.objects.create(
        problem=problem, studio=bottling, rank=2, score=0.5
    )
    client.force_login(cast["owner"])
    response = client.post(
        f"/problems/{problem.pk}/act/decide_match/",
        {"match": second.pk, "decision": "dismissed", "reason": ""},
    )
    assert response.status_code == 409
    page = response.content.decode()
    error = re.search(r'data-testid="error">.*?</p>', page)
    assert (
        page[error.end() :]
        .lstrip()
        .startswith(f'<form method="post" id="act-decide_match-{second.pk}"')
    )
    assert f'id="act-decide_match-{first.pk}"' in page[: error.start()]


def actor_of(role):
    """Which transition actors a role is (independent of the policies code)."""
    return {
        "owner": {"owner", "owner_or_staff"},
        "staff": {"staff", "owner_or_staff"},
        "invited": {"invited"},
    }.get(role, set())


def expected(role, status, outcome):
    """The transition table's answer: actions whose sources hold ``status``
    and whose actor the role is, the outcome's steps by the outcome's state,
    match decisions only while studios may still be invited."""
    names = {
        name
        for name, rule in TRANSITIONS.items()
        if status in rule.sources and rule.actor in actor_of(role)
    }
    # a joint session is recorded by the session itself (joint_sessions)
    names.discard("hold_session")
    if "invite" in names:
        names.add("decide_match")
    if outcome != "recorded":
        names.discard("confirm_outcome")
    if outcome != "confirmed":
        names.discard("verify_outcome")
    return names


def offered(client, user, problem):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    response = client.get(f"/problems/{problem.pk}/")
    if response.status_code == 404:
        return set()
    assert response.status_code == 200
    page = response.content.decode()
    pairs = FORM_ACTION.findall(page)
    for action, anchor in pairs:  # every form is where its anchor points
        assert f'id="{anchor}"' in page and anchor.startswith(f"act-{action}")
    return {action for action, __ in pairs}


@pytest.mark.parametrize("outcome", ["none", "recorded", "confirmed"])
def test_offered_actions_follow_the_transition_table(client, cast, outcome):
    vision = cast["studios"][0]
    roles = {
        "owner": cast["owner"],
        "staff": cast["staff"],
        "invited": cast["vision"],
        "other_studio": cast["other_studio"],
        "other_enterprise": cast["other_enterprise"],
        "anonymous": None,
    }
    problem = make_problem(cast, confidentiality=Confidentiality.PUBLIC)
    MatchSuggestion.objects.create(problem=problem, studio=vision, rank=1, score=1)
    Invitation.objects.create(problem=problem, studio=vision, invited_by=cast["owner"])
    Proposal.objects.create(  # answered by the forms the table offers
        problem=problem,
        studio=vision,
        author=cast["vision"],
        text="视觉剔除",
        respond_by=timezone.localdate(),
    )
    if outcome != "none":
        Outcome.objects.create(
            problem=problem,
            studio=vision,
            result=Status.SOLVED,
            solution="加装视觉剔除",
            recorded_by=cast["vision"],
            confirmed_at=timezone.now() if outcome == "confirmed" else None,
        )
    wrong = []
    for status in Status.values:
        Problem.objects.filter(pk=problem.pk).update(status=status)
        for role, user in roles.items():
            got = offered(client, user, problem)
            # one who cannot see the problem (404) is offered nothing, and
            # the table must not expect anything of them either
            want = expected(role, status, outcome)
            if got != want:
                wrong.append((status, role, sorted(got), sorted(want)))
    assert not wrong, "\n".join(map(str, wrong))


def test_match_decisions_fold_away_once_a_proposal_is_accepted(client, cast):
    problem = make_problem(cast, status=Status.IMPLEMENTING)
    match = MatchSuggestion.objects.create(
        problem=problem, studio=cast["studios"][0], rank=1, score=1
    )
    client.force_login(cast["owner"])
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "act/decide_match/" not in page and "视觉工作室" in page
    response = client.post(
        f"/problems/{problem.pk}/act/decide_match/",
        {"match": match.pk, "decision": "confirmed"},
    )
    assert response.status_code == 409
    match.refresh_from_db()
    assert match.decision == "pending" and not problem.events.exists()


def _png():
    out = io.BytesIO()
    Image.new("RGB", (8, 6), "blue").save(out, format="PNG")
    return out.getvalue()


def test_every_field_the_enterprise_entered_is_shown(client, cast, private_folder):
    chosen = alliance("装备制造联盟")
    client.force_login(cast["owner"])
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        "/problems/new/",
        {
            "title": "压盖后瓶盖歪斜",
            "description": "瓶盖歪斜靠人工抽检。",
            "confidentiality": "alliance",
            "alliances": [chosen.pk],
            "deadline": deadline.isoformat(),
            "onsite_visit": "on",
            "tag_names": "瓶盖、剔除",
            "public_summary": "灌装线质量检测难题",
            "files": [SimpleUploadedFile("现场.png", _png(), "image/png")],
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    problem = Problem.objects.get()
    Problem.objects.filter(pk=problem.pk).update(status=Status.PROPOSALS)
    vision = cast["studios"][0]
    Invitation.objects.create(problem=problem, studio=vision, invited_by=cast["owner"])
    Proposal.objects.create(
        problem=problem,
        studio=vision,
        author=cast["vision"],
        text="视觉剔除",
        estimated_cost_wan_yuan=Decimal("12.50"),
        estimated_days=45,
        respond_by=timezone.localdate(),
    )
    photo = problem.attachments.get()
    href = f"/problems/{problem.pk}/attachments/{photo.pk}/"
    for user in (cast["owner"], cast["vision"], cast["staff"]):
        client.force_login(user)
        page = client.get(f"/problems/{problem.pk}/").content.decode()
        assert deadline.isoformat() in page
        assert re.search(r'data-testid="onsite">\s*可以', page)
        assert re.search(r'data-testid="tags">(瓶盖、剔除|剔除、瓶盖)</dd>', page)
        assert "装备制造联盟" in page
        assert f'<img class="thumb" src="{href}"' in page
        assert 'data-testid="cost">预计费用 12.50 万元' in page
        assert 'data-testid="days">45 天' in page
        assert client.get(href).status_code == 200
    # the redacted summary is the enterprise's and the union's to check
    assert "灌装线质量检测难题" in page
    client.force_login(cast["vision"])
    assert (
        "灌装线质量检测难题"
        not in client.get(f"/problems/{problem.pk}/").content.decode()
    )


def test_inviting_a_studio_nobody_can_hear_warns_and_mails_carry_full_links(
    client, cast, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://jianglian.example.org"
    problem = make_problem(cast, status=Status.MATCHED)
    silent = StudioFactory(name="无人工作室")
    vision = cast["studios"][0]
    client.force_login(cast["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/problems/{problem.pk}/act/invite/",
            {"studio": [vision.pk, silent.pk]},
            follow=True,
        )
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert shown[0] == ("success", "已邀请 2 个工作室，已通知其成员。")
    assert shown[1][0] == "warning" and "无人工作室" in shown[1][1]
    assert "视觉工作室" not in shown[1][1]
    (sent,) = mail.outbox
    assert sent.to == [cast["vision"].email]
    assert f"https://jianglian.example.org/problems/{problem.pk}/" in sent.body


def test_a_studio_declines_an_invitation_with_a_reason(client, cast):
    problem = make_problem(cast, status=Status.INVITED)
    vision = cast["studios"][0]
    Invitation.objects.create(problem=problem, studio=vision, invited_by=cast["owner"])
    client.force_login(cast["vision"])
    url = f"/problems/{problem.pk}/act/decline_invitation/"
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 409 and "说明" in refused.content.decode()
    said = act(client, cast["vision"], problem, "decline_invitation", reason="人手不足")
    assert said == "已谢绝邀请，企业会收到您的原因。"
    invitation = Invitation.objects.get()
    assert invitation.declined_at and invitation.decline_reason == "人手不足"
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "act/propose/" not in page and "act/decline_invitation/" not in page
    assert client.post(url, {"reason": "再次"}).status_code == 409
    proposing = client.post(f"/problems/{problem.pk}/act/propose/", {"text": "方案"})
    assert proposing.status_code == 409 and not problem.proposals.exists()
    notice = cast["owner"].notifications.get()
    assert "视觉工作室" in notice.text and "人手不足" in notice.text
    client.force_login(cast["owner"])
    history = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "谢绝了邀请 · 人手不足" in history
