"""A craftsman's public profile (/craftsmen/<pk>/) shows the record of the
account that claimed it: sessions attended and proposals adopted. The counts
are totals; the lists name only what the reader may see, so a confidential
problem (or its session) is never named to someone who may not read it."""

import re

import pytest
from django.test import TestCase

from accounts import services as accounts
from joint_sessions import services
from problems import services as board
from studios.models import StudioMember
from tests.factories import CraftsmanFactory
from tests.joint_sessions.support import held, open_session

pytestmark = pytest.mark.django_db

SECRET_SESSION = "机密灌装阀会诊"


def claim(user, name="寇卫东"):
    """``user`` claims a new public profile of their studio."""
    profile = StudioMember.objects.create(
        studio=user.person.studio, craftsman=CraftsmanFactory(name=name)
    ).craftsman
    accounts.claim_profile(person=user.person, profile=profile, by=user)
    return profile


def page(client, profile, user=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(profile.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def counts(html):
    return {
        key: int(value)
        for key, value in re.findall(
            r'data-testid="(sessions-attended|proposals-adopted)">(\d+)<', html
        )
    }


def adopt(w, user, problem):
    proposal = problem.proposals.get(author=user)
    board.accept_proposal(proposal=proposal, user=w.owner, note="采纳")


@pytest.fixture
def record(w):
    """Craftsman ``a`` attended the world's (public) session and had a
    proposal adopted there; ``c`` attended too, not adopted."""
    a, __, c, __ = w.crafts
    held(
        w,
        [(a, w.vision), (c, w.electric)],
        proposals=[(0, "加装歪盖传感器"), (1, "按品种做标记")],
    )
    adopt(w, a, w.problem)
    return a


def test_the_public_page_shows_sessions_attended_and_proposals_adopted(
    client, w, record
):
    profile = claim(record)
    report = services.publish_report(session=w.session, user=w.staff)
    html = page(client, profile)
    assert counts(html) == {"sessions-attended": 1, "proposals-adopted": 1}
    assert w.session.title in html and w.session.get_absolute_url() in html
    assert report.url in html
    assert w.problem.title in html and f"/problems/{w.problem.pk}/" in html
    assert 'data-testid="sessions-hidden"' not in html
    # c attended, nothing adopted; a colleague who never came has no panel
    c_profile = claim(w.crafts[2], name="李师傅")
    assert counts(page(client, c_profile)) == {
        "sessions-attended": 1,
        "proposals-adopted": 0,
    }
    b_profile = claim(w.crafts[1], name="王师傅")
    assert 'data-testid="craftsman-record"' not in page(client, b_profile)


def test_an_unclaimed_profile_or_a_stale_link_shows_no_record(client, w, record):
    profile = StudioMember.objects.create(
        studio=record.person.studio, craftsman=CraftsmanFactory()
    ).craftsman
    assert 'data-testid="craftsman-record"' not in page(client, profile)
    accounts.claim_profile(person=record.person, profile=profile, by=record)
    assert 'data-testid="craftsman-record"' in page(client, profile)
    # staff moved the person to another studio: the link no longer holds
    record.person.studio = w.inside[3]
    record.person.save()
    assert 'data-testid="craftsman-record"' not in page(client, profile)


def confidential_record(w, a):
    """``a``'s studio invited to the invited-only problem; a session on it
    held with ``a`` checked in, and ``a``'s proposal there adopted."""
    board.invite_studios(problem=w.secret, user=w.staff, studios=[a.person.studio])
    secret_session = open_session(w, title=SECRET_SESSION, problems=[w.secret])
    held(
        w,
        [(a, secret_session.quotas.get(skill="机器视觉"))],
        session=secret_session,
        proposals=[(0, "更换阀座密封")],
    )
    adopt(w, a, w.secret)
    return secret_session


def test_a_confidential_problem_is_not_named_to_a_reader_who_may_not_see_it(
    client, w, record
):
    profile = claim(record)
    confidential_record(w, record)
    for reader in (None, w.stranger, w.crafts[1]):  # anonymous, outsiders
        html = page(client, profile, reader)
        assert w.secret.title not in html
        assert f"/problems/{w.secret.pk}/" not in html
        assert SECRET_SESSION not in html
        # the totals count it, and say that not all is listed
        assert counts(html) == {"sessions-attended": 2, "proposals-adopted": 2}
        assert 'data-testid="sessions-hidden"' in html
        assert 'data-testid="adopted-hidden"' in html
        assert w.problem.title in html  # the public one is named
    # who may read it sees it named: the craftsman, the enterprise, staff
    for reader in (record, w.owner, w.staff):
        html = page(client, profile, reader)
        assert w.secret.title in html and SECRET_SESSION in html
        assert 'data-testid="adopted-hidden"' not in html


def test_the_anonymous_page_cache_forgets_on_a_claim_and_is_not_for_the_signed_in(
    client, w, record, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    profile = StudioMember.objects.create(
        studio=record.person.studio, craftsman=CraftsmanFactory()
    ).craftsman
    confidential_record(w, record)
    assert 'data-testid="craftsman-record"' not in page(client, profile)
    with TestCase.captureOnCommitCallbacks(execute=True):
        accounts.claim_profile(person=record.person, profile=profile, by=record)
    html = page(client, profile)
    assert 'data-testid="craftsman-record"' in html  # not the cached page
    # a reader who may see more does not put their page in the cache
    assert w.secret.title in page(client, profile, w.staff)
    assert w.secret.title not in page(client, profile)
