"""Public problems in the search index: found in the public search box while
everyone may read them, never otherwise; a solved one becomes evidence of the
studio that solved it."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from problems import services
from problems.models import Confidentiality, Status
from search import indexing
from search.backends import get_backend
from search.matching import Problem as Query
from search.matching import match_problem
from search.models import IndexedProblem
from search.thesaurus import groups
from tests.factories import draft, publish, published

pytestmark = pytest.mark.django_db


def problem_titles(client, query, **filters):
    response = client.get("/search/", {"q": query, **filters})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [h.get_text() for h in soup.select(".result-problem h3")], soup


def test_a_public_problem_is_found_once_published_and_only_while_public(
    client,
    indexed_cast,
    commit,
):
    with commit():
        problem = draft(indexed_cast, confidentiality=Confidentiality.PUBLIC)
    assert problem_titles(client, "瓶盖")[0] == []  # a draft is nobody's business
    with commit():
        publish(indexed_cast, problem)
    # "瓶盖" sits inside the run 压盖后瓶盖歪斜漏检: found only because of jieba
    titles, soup = problem_titles(client, "瓶盖")
    assert titles == ["压盖后瓶盖歪斜漏检"]
    card = soup.select_one(".result-problem")
    assert card.select_one("a")["href"] == f"/problems/{problem.pk}/"
    assert "瓶盖" in [m.get_text() for m in card.select("mark")]
    facet = [a.get_text() for a in soup.select(".facets a")]
    assert "公开难题" in facet
    assert problem_titles(client, "瓶盖", type="studio")[0] == []

    with commit():
        problem.confidentiality = Confidentiality.INVITED
        problem.save()
    assert problem_titles(client, "瓶盖")[0] == []
    assert not IndexedProblem.objects.filter(live=True).exists()


@pytest.mark.parametrize(
    "confidentiality", [Confidentiality.ALLIANCE, Confidentiality.INVITED]
)
def test_a_confidential_problem_never_enters_the_index(
    client,
    indexed_cast,
    commit,
    confidentiality,
):
    with commit():
        published(indexed_cast, confidentiality=confidentiality, public_summary="概要")
    assert not IndexedProblem.objects.filter(live=True).exists()
    assert problem_titles(client, "瓶盖")[0] == []


def test_problem_drift_is_reported_and_repaired(client, indexed_cast, commit):
    with commit():
        problem = published(indexed_cast, confidentiality=Confidentiality.PUBLIC)
    IndexedProblem.objects.all().delete()
    get_backend().problems.sync()  # this process forgets nothing by itself
    studios, problems = indexing.check()
    assert (problems.missing, studios.total) == ([problem.pk], 0)
    out = io.StringIO()
    call_command("check_search_index", "--repair", "--no-progress", stdout=out)
    assert "public problems: missing 1, stale 0, extra 0 — repaired" in out.getvalue()
    assert problem_titles(client, "瓶盖")[0] == ["压盖后瓶盖歪斜漏检"]


def solve(indexed_cast, problem, studio_user):
    services.invite_studios(
        problem=problem,
        user=indexed_cast["staff"],
        studios=list(indexed_cast["studios"].values()),
    )
    proposal = services.submit_proposal(
        problem=problem, user=studio_user, text="加装检测与剔除。", estimated_days=30
    )
    services.accept_proposal(proposal=proposal, user=indexed_cast["a"])
    services.record_outcome(
        problem=problem,
        user=studio_user,
        result=Status.SOLVED,
        solution="压盖机出口加装线阵相机，歪盖瓶由剔除机构推出。",
    )
    services.confirm_outcome(problem=problem, user=indexed_cast["a"])
    services.verify_outcome(problem=problem, user=indexed_cast["staff"])


def matched(description):
    query = Query(title="封口不正", description=description)
    return match_problem(query, backend=get_backend(), thesaurus=groups(), top=5)


def solved_by_bottling(indexed_cast, commit, confidentiality):
    """A problem published at this level and solved by s-bottling (verified)."""
    with commit():
        problem = published(indexed_cast, confidentiality=confidentiality)
        solve(indexed_cast, problem, indexed_cast["bottling"])
    return problem


def test_a_verified_public_solved_problem_becomes_evidence_of_its_studio(
    indexed_cast, commit
):
    problem = solved_by_bottling(indexed_cast, commit, Confidentiality.PUBLIC)
    # Words only the solved problem has (the studio's profile lacks them).
    best = matched("错盖靠人工抽检，漏检。")[0]
    assert best.slug == "s-bottling"
    assert any("压盖后瓶盖歪斜漏检" in reason for reason in best.reasons)
    assert any(
        e.kind == "solved_problem" and e.ref == problem.pk
        for e in best.lexical_evidence
    )


def test_a_confidential_solved_problem_lends_its_studio_no_words(indexed_cast, commit):
    solved_by_bottling(indexed_cast, commit, Confidentiality.INVITED)
    for found in matched("错盖靠人工抽检，漏检。"):
        assert all(e.kind != "solved_problem" for e in found.lexical_evidence)
        assert not any("瓶盖" in reason for reason in found.reasons)
