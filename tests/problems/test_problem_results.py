"""The figures unions report, counted from verified outcomes and drawn as bars."""

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from core.snippets import IndustryChain
from problems.models import Outcome, Problem, Status
from tests.factories import EnterpriseFactory, StudioFactory

pytestmark = pytest.mark.django_db


def outcome(studio, chain, *, benefit, result=Status.SOLVED, verified=True, year=2025):
    problem = Problem.objects.create(
        enterprise=EnterpriseFactory(),
        title="难题",
        description="描述",
        industry_chain=chain,
        status=result,
    )
    return Outcome.objects.create(
        problem=problem,
        studio=studio,
        result=result,
        solution="方案",
        actual_benefit_wan_yuan=benefit,
        patents=1,
        five_smalls=2,
        verified_at=timezone.datetime(
            year, 6, 1, tzinfo=timezone.get_current_timezone()
        )
        if verified
        else None,
    )


def bars(soup, testid):
    return [
        (
            row.th.get_text(),
            row.select_one(".value").get_text(),
            row.select_one(".bar rect")["width"],
        )
        for row in soup.select(f"[data-testid={testid}] tr")
    ]


def test_results_count_only_verified_outcomes_and_draw_bars(client):
    studio = StudioFactory()
    food = IndustryChain.objects.create(name="烟酒食品")
    energy = IndustryChain.objects.create(name="能源化工")
    outcome(studio, food, benefit=80, year=2025)
    outcome(studio, energy, benefit=20, year=2026)
    outcome(studio, food, benefit=0, result=Status.NOT_SOLVED, year=2026)
    outcome(studio, food, benefit=999, verified=False)  # not verified: not counted
    response = client.get("/problems/results/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.select_one("[data-testid=solved]").get_text() == "2"
    assert soup.select_one("[data-testid=benefit]").get_text() == "100"
    assert bars(soup, "solved-by-year") == [
        ("2025", "1", "100"),
        ("2026", "1", "100"),
    ]
    assert bars(soup, "benefit-by-chain") == [
        ("烟酒食品", "80", "100"),
        ("能源化工", "20", "25"),
    ]


def test_results_before_anything_is_verified(client):
    soup = BeautifulSoup(
        client.get("/problems/results/").content.decode(), "html.parser"
    )
    assert soup.select_one("[data-testid=solved]").get_text() == "0"
    assert not soup.select("[data-testid=benefit-by-chain] tr")
