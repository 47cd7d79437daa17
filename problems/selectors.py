import math

from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from accounts.people import enterprise_of, is_staff, studio_of
from core.snippets import IndustryChain
from search.text import tokens

from .models import Invitation, Outcome, Problem, Proposal, Status


def containing(words):
    """A rule (Q) for problems whose title or description contains one of
    ``words``, or that carry one of them as a tag: words a reader may only
    look for in problems they may read in full."""
    rule = Q(pk__in=[])
    for word in words:
        rule |= Q(title__icontains=word) | Q(description__icontains=word)
        rule |= Q(pk__in=Problem.objects.filter(tags__name__iexact=word).values("pk"))
    return rule


def listed_problems(user):
    """What the board and the API list for ``user``: problems they may read in
    full (``full_view``) and invited-only ones known by their summary only."""
    return Problem.objects.listed_for(user).select_related(
        "enterprise", "industry_chain"
    )


def waiting_work(user):
    """What waits for this person (the account page): the union's review
    queue, the enterprise's problems, the studio's invitations."""
    if is_staff(user):
        return {
            "to_review": Problem.objects.filter(status__in=Status.AWAITING_REVIEW)
            .select_related("enterprise")
            .order_by("created_at")[:50]
        }
    if enterprise := enterprise_of(user):
        return {
            "my_problems": Problem.objects.filter(enterprise=enterprise)
            .prefetch_related(
                Prefetch(
                    "invitations",
                    queryset=Invitation.objects.filter(declined_at__isnull=False)
                    .select_related("studio")
                    .order_by("declined_at"),
                    to_attr="declined_invitations",
                )
            )
            .order_by("-updated_at")[:50]
        }
    if studio := studio_of(user):
        return {
            "invitations": Invitation.objects.filter(
                studio=studio, problem__in=Problem.objects.visible_to(user)
            )
            .select_related("problem", "problem__enterprise")
            .order_by("-created_at")[:50]
        }
    return {}


def board_chains(user):
    """Industry chains of the problems this reader's board can list."""
    return IndustryChain.objects.filter(
        pk__in=listed_problems(user).values("industry_chain")
    ).order_by("name")


def overdue_proposals(today=None):
    return (
        Proposal.objects.filter(
            state=Proposal.State.SUBMITTED, respond_by__lt=today or timezone.localdate()
        )
        .select_related("problem", "problem__enterprise", "studio")
        .order_by("respond_by")
    )


def similar_solved(problem, user, limit=5):
    """Solved problems the user may see that share the most telling words."""
    candidates = (
        Problem.objects.visible_to(user)
        .filter(status__in=Status.SOLVED_RESULTS)
        .exclude(pk=problem.pk)
        .order_by("-updated_at")[:300]
    )
    return _most_similar(problem, list(candidates), limit)


def likely_duplicates(problem, limit=5):
    """For union staff reviewing ``problem``: other live problems (same
    enterprise first) that share the most telling words — merge candidates."""
    candidates = (
        Problem.objects.exclude(pk=problem.pk)
        .exclude(status__in=[Status.DRAFT, Status.MERGED])
        .filter(merged_into__isnull=True)
        .select_related("enterprise")
        .order_by("-created_at")[:300]
    )
    ranked = _most_similar(problem, list(candidates), limit * 2)
    ranked.sort(key=lambda c: c.enterprise_id != problem.enterprise_id)  # stable
    return ranked[:limit]


# Characters of each problem's text that similar problems and duplicates are
# found by: the title and the start of the description carry the words that
# tell; tokenising all of 300 long texts on each page view would not do.
SIMILARITY_CHARS = 2000


TOKENS_CACHE_SECONDS = 7 * 24 * 3600


def _token_sets(problems):
    """{pk: the words of the start of its text}, cached per version of each
    problem: a page view tokenises only what changed since the last one."""
    keys = {p.pk: f"problem-tokens:{p.pk}:{p.version}" for p in problems}
    found = cache.get_many(list(keys.values()))
    sets, new = {}, {}
    for p in problems:
        sets[p.pk] = found.get(keys[p.pk])
        if sets[p.pk] is None:
            sets[p.pk] = new[keys[p.pk]] = frozenset(tokens(p.text[:SIMILARITY_CHARS]))
    if new:
        cache.set_many(new, TOKENS_CACHE_SECONDS)
    return sets


def _most_similar(problem, candidates, limit):
    if not candidates:
        return []
    documents = _token_sets([problem, *candidates])
    words = documents.pop(problem.pk)
    frequency = {}
    for terms in documents.values():
        for term in terms:
            frequency[term] = frequency.get(term, 0) + 1
    n = len(candidates)

    def score(candidate):
        shared = words & documents[candidate.pk]
        return sum(math.log(1 + n / frequency[t]) for t in shared)

    ranked = sorted(candidates, key=score, reverse=True)
    return [c for c in ranked[:limit] if score(c) > 0]


def board_results():
    """The figures unions report, from outcomes union staff verified:
    problems solved, economic benefit, patents and five-smalls — in total,
    by year of verification and by industry chain (bars for the charts).

    A public page: only outcomes of problems everyone may read count (the
    benefit of a confidential outcome is the enterprise's business)."""
    verified = Outcome.objects.filter(
        verified_at__isnull=False, problem__in=Problem.objects.public().values("pk")
    )
    solved = Count("pk", filter=Q(result__in=Status.SOLVED_RESULTS))
    benefit = Sum("actual_benefit_wan_yuan")
    totals = verified.aggregate(
        solved=solved,
        benefit=benefit,
        patents=Sum("patents"),
        five_smalls=Sum("five_smalls"),
    )
    totals["published"] = Problem.objects.public().count()
    by_year = list(
        verified.annotate(year=ExtractYear("verified_at"))
        .values("year")
        .annotate(solved=solved, benefit=benefit)
        .order_by("year")
    )
    by_chain = list(
        verified.values(chain=F("problem__industry_chain__name"))
        .annotate(solved=solved, benefit=benefit)
        .order_by("-benefit", "chain")
    )
    return {
        "totals": totals,
        "solved_by_year": _bars(by_year, "year", "solved"),
        "benefit_by_year": _bars(by_year, "year", "benefit"),
        "benefit_by_chain": _bars(by_chain, "chain", "benefit"),
    }


def _bars(rows, label, value):
    """[{label, value, percent}] with the largest value at 100 %."""
    top = max((row[value] or 0 for row in rows), default=0)
    return [
        {
            "label": row[label] if row[label] is not None else "—",
            "value": row[value] or 0,
            "percent": round(100 * (row[value] or 0) / top) if top else 0,
        }
        for row in rows
    ]
