"""The problem lifecycle as its people live it, and what each may not do."""

import pytest
from django.core.exceptions import PermissionDenied

from problems import services
from problems.models import Confidentiality, Problem, Proposal, Status
from problems.services import TransitionError
from studios.models import Achievement
from tests.factories import StudioFactory, alliance, draft, published

pytestmark = pytest.mark.django_db


def test_the_whole_story_from_draft_to_a_verified_outcome(
    cast, django_capture_on_commit_callbacks, settings
):
    settings.SEARCH_INLINE_ENCODE_LIMIT = 0
    from search.indexing import index_studios

    index_studios(studio_ids=[s.pk for s in cast["studios"].values()])
    problem = draft(cast)
    services.submit_problem(problem=problem, user=cast["a"])
    services.start_review(problem=problem, user=cast["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_problem(problem=problem, user=cast["staff"])
    problem.refresh_from_db()
    assert problem.status == Status.MATCHED
    ranked = [m.studio.slug for m in problem.matches.all()]
    assert set(ranked[:2]) == {"s-vision", "s-bottling"}  # the unrelated one last
    assert all(m.reasons for m in problem.matches.all())

    services.invite_studios(
        problem=problem, user=cast["staff"], studios=list(cast["studios"].values())
    )
    assert cast["vision"].notifications.count() == 1
    proposal = services.submit_proposal(
        problem=problem,
        user=cast["vision"],
        text="加装视觉检测与剔除。",
        estimated_days=30,
    )
    (arrived,) = cast["a"].notifications.all()
    assert arrived.text == f"难题“{problem.title}”收到了新方案。"
    services.accept_proposal(proposal=proposal, user=cast["a"])
    services.record_outcome(
        problem=problem,
        user=cast["vision"],
        result=Status.SOLVED,
        solution="线阵相机加剔除机构。",
        actual_benefit_wan_yuan=80,
    )
    with pytest.raises(TransitionError, match="企业尚未确认该成果"):
        services.verify_outcome(problem=problem, user=cast["staff"])
    services.confirm_outcome(problem=problem, user=cast["a"])
    outcome = services.verify_outcome(problem=problem, user=cast["staff"])
    problem.refresh_from_db()
    assert problem.status == Status.SOLVED
    achievement = Achievement.objects.get(pk=outcome.achievement_id)
    assert (
        achievement.studio.slug == "s-vision" and outcome.actual_benefit_wan_yuan == 80
    )
    # the problem was confidential: neither its words nor its benefit go public
    assert "瓶盖" not in achievement.title and achievement.benefit_wan_yuan is None
    assert [e.action for e in problem.events.all()] == [
        "submit",
        "start_review",
        "publish",
        "record_matches",
        "invite",
        "propose",
        "accept_proposal",
        "record_outcome",
        "confirm_outcome",
        "verify_outcome",
    ]


def test_an_illegal_transition_is_refused_with_a_clear_message(cast):
    problem = draft(cast)
    with pytest.raises(TransitionError, match="状态的难题不能发布"):
        services.publish_problem(problem=problem, user=cast["staff"])
    assert problem.events.count() == 0
    problem.refresh_from_db()
    assert problem.status == Status.DRAFT


def test_returning_needs_a_reason_and_the_enterprise_can_resubmit(cast):
    problem = draft(cast)
    services.submit_problem(problem=problem, user=cast["a"])
    with pytest.raises(Exception, match="请说明退回原因"):
        services.return_problem(problem=problem, user=cast["staff"], reason=" ")
    services.return_problem(problem=problem, user=cast["staff"], reason="缺少产量数据")
    assert problem.events.last().note == "缺少产量数据"
    assert cast["a"].notifications.get().text.endswith("缺少产量数据")
    services.submit_problem(problem=problem, user=cast["a"])
    assert problem.status == Status.SUBMITTED


def test_others_cannot_act_and_a_hidden_problem_stays_hidden(cast):
    problem = draft(cast)
    with pytest.raises(Problem.DoesNotExist):  # B may not even know it exists
        services.submit_problem(problem=problem, user=cast["b"])
    services.submit_problem(problem=problem, user=cast["a"])
    with pytest.raises(PermissionDenied):  # A sees it, but reviewing is staff's
        services.start_review(problem=problem, user=cast["a"])
    public = published(cast, confidentiality=Confidentiality.PUBLIC)
    with pytest.raises(PermissionDenied):  # visible, but not invited
        services.submit_proposal(problem=public, user=cast["other"], text="方案")
    secret = published(cast)
    with pytest.raises(Problem.DoesNotExist):
        services.submit_proposal(problem=secret, user=cast["other"], text="方案")


def test_a_proposal_is_answered_once_and_declines_need_a_reason(cast):
    problem = published(cast)
    services.invite_studios(
        problem=problem, user=cast["a"], studios=[cast["studios"]["vision"]]
    )
    proposal = services.submit_proposal(
        problem=problem, user=cast["vision"], text="方案"
    )
    with pytest.raises(Exception, match="请选择拒绝原因"):
        services.decline_proposal(proposal=proposal, user=cast["a"], reason="nope")
    services.decline_proposal(proposal=proposal, user=cast["a"], reason="cost")
    assert proposal.state == Proposal.State.DECLINED
    with pytest.raises(TransitionError, match="该方案已答复"):
        services.accept_proposal(proposal=proposal, user=cast["a"])


# --- who sees what on the board ------------------------------------------------

ROLES = ["anonymous", "a", "b", "vision", "other", "staff"]
# A confidential problem: its enterprise, the studio of its alliance (here
# also the invited one) and union staff read it; nobody else learns it exists.
CONFIDENTIAL = {
    "anonymous": 404,
    "a": 200,
    "b": 404,
    "vision": 200,
    "other": 404,
    "staff": 200,
}
EXPECTED = {  # role -> detail page answer, per confidentiality of a published problem
    Confidentiality.PUBLIC: dict.fromkeys(ROLES, 200),
    Confidentiality.ALLIANCE: CONFIDENTIAL,
    Confidentiality.INVITED: CONFIDENTIAL,
}


@pytest.mark.parametrize("confidentiality", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_detail_page_visibility(client, cast, confidentiality, role):
    group = alliance("宝鸡烟酒食品工业跨区域创新工作室联盟")
    cast["studios"]["vision"].alliances.add(group)
    cast["studios"]["vision"].save()  # parental many-to-many is saved with its studio
    problem = published(cast, confidentiality=confidentiality)
    problem.alliances.add(group)
    if confidentiality == Confidentiality.INVITED:
        services.invite_studios(
            problem=problem, user=cast["staff"], studios=[cast["studios"]["vision"]]
        )
    if role != "anonymous":
        client.force_login(cast[role])
    response = client.get(problem.get_absolute_url())
    assert response.status_code == EXPECTED[confidentiality][role]
    listed = problem.title in client.get("/problems/").content.decode()
    assert listed == (response.status_code == 200)


def test_invited_only_problem_shows_only_its_redacted_summary(client, cast):
    problem = published(cast, public_summary="某啤酒企业包装线质量检测难题")
    response = client.get(problem.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "某啤酒企业包装线质量检测难题" in page and "瓶盖歪斜" not in page
    assert "青岛啤酒" not in page


def test_drafts_are_seen_only_by_their_enterprise_and_staff(client, cast):
    problem = draft(cast, confidentiality=Confidentiality.PUBLIC)
    assert client.get(problem.get_absolute_url()).status_code == 404
    client.force_login(cast["b"])
    assert client.get(problem.get_absolute_url()).status_code == 404
    client.force_login(cast["a"])
    assert client.get(problem.get_absolute_url()).status_code == 200


def test_the_board_lists_an_alliance_problem_only_where_its_page_opens(client, cast):
    group = alliance("甲联盟")
    hidden = StudioFactory(
        slug="s-b-hidden", enterprise=cast["b"].person.enterprise, live=False
    )
    hidden.alliances.add(group)
    hidden.save()
    problem = published(cast, confidentiality=Confidentiality.ALLIANCE)
    problem.alliances.add(group)
    client.force_login(cast["b"])  # B's only studio in the alliance is unpublished
    assert client.get(problem.get_absolute_url()).status_code == 404
    assert problem.title not in client.get("/problems/").content.decode()
