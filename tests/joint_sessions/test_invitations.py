"""Staff invite craftsmen of matched, invited or volunteering studios (揭榜)
to a skill seat; the invited take it through the ordinary sign-up, with its
quotas. Anyone else is refused by name and nothing changes."""

import pytest
from django.utils import translation

from joint_sessions import services
from joint_sessions.models import Registration, RegistrationState, SeatInvitation
from notifications.models import Notification
from problems import services as board
from problems.models import MatchSuggestion
from tests.factories import StudioFactory, person
from tests.joint_sessions.support import open_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def pool(w):
    """Outside the alliance: a matched studio (w.outside, craftsman
    w.stranger, plus an unapproved one), a studio invited to the problem,
    a volunteering studio, and a studio with nothing to do with it."""
    MatchSuggestion.objects.create(
        problem=w.problem, studio=w.outside, rank=1, score=0.9
    )
    invited_studio = StudioFactory(slug="s-invited")
    board.invite_studios(problem=w.problem, studios=[invited_studio], user=w.staff)
    helper_studio = StudioFactory(slug="s-helper")
    helper = person("craftsman", studio=helper_studio)
    services.volunteer(problem=w.problem, user=helper, note="我们做过视觉检测")
    return {
        "matched": w.stranger,
        "invited": person("craftsman", studio=invited_studio),
        "volunteer": helper,
        "unapproved": person("craftsman", studio=w.outside, approved=False),
        "unrelated": person("craftsman", studio=StudioFactory(slug="s-far")),
    }


def url(session):
    return f"/en/sessions/{session.pk}/invite/"


def invitations_and_notices():
    return (
        list(SeatInvitation.objects.values_list("session", "user", "quota")),
        Notification.objects.filter(key="joint_session.invited_person").count(),
    )


def test_staff_see_matched_invited_and_volunteering_craftsmen(client, w, pool):
    client.force_login(w.staff)
    page = client.get(url(w.session)).content.decode()
    for role in ("matched", "invited", "volunteer"):
        assert f'value="{pool[role].pk}"' in page, role
    assert "我们做过视觉检测" in page  # the volunteer's note
    assert "volunteered" in page and "matched" in page
    for role in ("unapproved", "unrelated"):
        assert f'value="{pool[role].pk}"' not in page, role
    assert f'value="{w.crafts[0].pk}"' not in page  # alliance: may volunteer anyway


def test_an_invited_craftsman_signs_up_from_the_invitation(client, w, pool):
    stranger = pool["matched"]
    with pytest.raises(services.SessionError):  # not in the alliance, not invited
        services.sign_up(
            session=w.session, user=stranger, quota=w.vision, acknowledged=True
        )
    client.force_login(w.staff)
    response = client.post(
        url(w.session),
        {"people": [stranger.pk, pool["volunteer"].pk], "quota": w.vision.pk},
    )
    assert response.status_code == 302
    notice = Notification.objects.get(user=stranger, key="joint_session.invited_person")
    assert notice.url.endswith(f"/sessions/{w.session.pk}/?skill={w.vision.pk}#sign-up")
    client.force_login(stranger)
    page = client.get(notice.url).content.decode()
    assert 'data-testid="invitation"' in page
    assert f'<option value="{w.vision.pk}" selected>' in page
    response = client.post(
        f"/sessions/{w.session.pk}/sign-up/",
        {"quota": w.vision.pk, "acknowledged": "on"},
    )
    assert response.status_code == 302
    assert Registration.objects.get(user=stranger).state == RegistrationState.CONFIRMED
    # the quota still holds: the second invitee waits for the one 机器视觉 seat
    second = services.sign_up(
        session=w.session, user=pool["volunteer"], quota=w.vision, acknowledged=True
    )
    assert second.state == RegistrationState.WAITLISTED
    # and a signed-up person is no longer offered for invitation
    client.force_login(w.staff)
    page = client.get(url(w.session)).content.decode()
    assert f'value="{stranger.pk}"' not in page


@pytest.mark.parametrize(
    "who", ["unapproved", "unrelated", "alliance", "staff", "twice"]
)
def test_inviting_someone_who_cannot_be_invited_is_refused_by_name(
    client, w, pool, who
):
    client.force_login(w.staff)
    target = {"alliance": w.crafts[0], "staff": w.staff}.get(who) or pool.get(who)
    if who == "twice":
        target = pool["invited"]
        services.invite_craftsmen(
            session=w.session, user=w.staff, invitees=[target], quota=w.electric
        )
    before = invitations_and_notices()
    response = client.post(
        url(w.session),
        {"people": [pool["matched"].pk, target.pk], "quota": w.vision.pk},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-testid="error"' in body and target.get_username() in body
    assert invitations_and_notices() == before  # not even the eligible one


@pytest.mark.parametrize(
    "data",
    [
        {"people": ["abc"], "quota": "1"},
        {"people": ["9" * 30]},
        {"people": ["999999"], "quota": "QUOTA"},
        {"quota": "QUOTA"},
        {"people": ["PERSON"], "quota": "999999"},
        {"people": ["PERSON"], "quota": "OTHER"},
    ],
)
def test_bad_input_is_refused_with_a_message(client, w, pool, data):
    other = open_session(w, title="另一场")
    values = {"PERSON": str(pool["matched"].pk), "QUOTA": str(w.vision.pk)}
    values["OTHER"] = str(other.quotas.first().pk)
    data = {
        k: [values.get(x, x) for x in v] if isinstance(v, list) else values.get(v, v)
        for k, v in data.items()
    }
    client.force_login(w.staff)
    before = invitations_and_notices()
    response = client.post(url(w.session), data)
    assert response.status_code == 409
    assert 'data-testid="error"' in response.content.decode()
    assert invitations_and_notices() == before


def test_a_confidential_session_lists_only_those_who_may_see_the_problem(w, pool):
    secret = open_session(w, title="保密会诊", problems=[w.secret])
    MatchSuggestion.objects.create(problem=w.secret, studio=w.outside, rank=1, score=1)
    helper_studio = StudioFactory(slug="s-secret-invited")
    board.invite_studios(problem=w.secret, studios=[helper_studio], user=w.staff)
    invited = person("craftsman", studio=helper_studio)
    candidates = services.policies.invitable(secret)
    assert invited.pk in candidates
    assert pool["matched"].pk not in candidates  # matched, but may not see it
    with (
        translation.override("en"),
        pytest.raises(services.SessionError, match="cannot be invited"),
    ):
        services.invite_craftsmen(
            session=secret,
            user=w.staff,
            invitees=[pool["matched"]],
            quota=secret.quotas.first(),
        )
    assert not SeatInvitation.objects.exists()


def test_a_cancelled_session_takes_no_invitations(w, pool):
    services.cancel_session(session=w.session, user=w.staff, reason="停电")
    with pytest.raises(services.SessionError):
        services.invite_craftsmen(
            session=w.session, user=w.staff, invitees=[pool["matched"]], quota=w.vision
        )
    assert not SeatInvitation.objects.exists()


def test_only_staff_open_or_post_the_invitation_page(client, w, pool):
    for user in (pool["matched"], w.crafts[0], w.owner):
        client.force_login(user)
        assert client.get(url(w.session)).status_code == 403
        response = client.post(
            url(w.session), {"people": [user.pk], "quota": w.vision.pk}
        )
        assert response.status_code == 403
    assert not SeatInvitation.objects.exists()
