"""A small world for joint sessions: an alliance with two studios, a studio
outside it, a public and an invited-only problem, union staff, and an open
session (2 × 电气自动化, 1 × 机器视觉, 2 seats in total)."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from problems.models import Confidentiality
from tests.factories import EnterpriseFactory, StudioFactory, alliance, person
from tests.joint_sessions.support import NOW, open_session, publish


@pytest.fixture
def w(db):
    group = alliance("食品产业联盟")
    enterprise = EnterpriseFactory(name="宝鸡啤酒厂")
    inside = [StudioFactory(slug=f"s-in-{i}") for i in range(4)]
    for studio in inside:
        studio.alliances.add(group)
        studio.save()
    outside = StudioFactory(slug="s-outside")
    staff = person("staff")
    owner = person("enterprise", enterprise=enterprise)
    world = SimpleNamespace(
        alliance=group,
        enterprise=enterprise,
        inside=inside,
        outside=outside,
        staff=staff,
        owner=owner,
        crafts=[person("craftsman", studio=s) for s in inside],
        stranger=person("craftsman", studio=outside),
        unapproved=person("craftsman", studio=inside[0], approved=False),
    )
    world.problem = publish(
        owner, staff, enterprise, "压盖后瓶盖歪斜漏检", Confidentiality.PUBLIC
    )
    world.secret = publish(
        owner, staff, enterprise, "机密：灌装阀泄漏", Confidentiality.INVITED
    )
    world.session = open_session(world)
    world.electric, world.vision = world.session.quotas.order_by("pk")
    return world


@pytest.fixture
def clock(monkeypatch):
    """The pages and services run at NOW (a week before the session) unless
    a test moves ``clock["now"]``."""
    state = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])
    return state
