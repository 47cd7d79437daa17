"""The public search box: studios, achievements, craftsmen and public
problems for a query.

Words (with thesaurus synonyms) find the results; sentence similarity only
re-orders studios, so a query that shares no word finds nothing and gets
"did you mean" suggestions and studios related in meaning instead — only
those closer than the matcher's similarity floor: a query close to nothing
(gibberish) gets "no convincing match".

When the search engine does not answer, the page is built from a plain
database query over the same rules (live studios; public problems, as the
app that owns them says) and says it is degraded: the results are found by
the query's words but not ranked by relevance.
"""

import difflib
import logging
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from core.cache import cached_for_content
from studios.models import Achievement, Craftsman, Studio, StudioTag

from .backends import get_backend
from .backends.base import SearchUnavailable
from .documents import problem_source
from .encoders import get_encoder
from .matching import RRF_K, SIMILARITY_FLOOR
from .thesaurus import groups, weighted_terms

TYPES = ("studio", "achievement", "craftsman", "problem")
# A result must score at least this share of the best one: synonyms and long
# queries otherwise pull in every studio that shares one common word.
RELATIVE_CUTOFF = 0.25
FACETS = ("type", "industry_chain", "district", "alliance", "level", "year")
# At most so many of each type when the page falls back to the database.
DATABASE_LIMIT = 50

log = logging.getLogger(__name__)


@dataclass
class Result:
    type: str
    title: str
    url: str
    snippet: str
    terms: list
    industry_chain: str = ""
    district: str = ""
    level: str = ""
    alliances: list = field(default_factory=list)
    year: int | None = None
    subtitle: str = ""

    def facet_values(self, name):
        if name == "alliance":
            return self.alliances
        value = getattr(self, name)
        return [value] if value not in ("", None) else []


@dataclass
class SearchPage:
    query: str
    results: list
    facets: dict
    suggestions: list = field(default_factory=list)
    related: list = field(default_factory=list)  # studios related in meaning
    degraded: bool = False  # the engine did not answer: found in the database
    # Nothing shares a word and nothing is close enough in meaning (the
    # matcher's similarity floor): "no convincing match", not a list.
    unconvincing: bool = False


def search(query, filters):
    query = query.strip()[:200]
    try:
        page = _ranked(query, filters)
    except SearchUnavailable as exc:
        log.warning("Public search falls back to the database: %s", exc)
        page = _from_database(query, filters)
    if query not in vocabulary():
        page.suggestions = did_you_mean(query)
    return page


def _page(query, results, filters, **extra):
    page = SearchPage(query, [], _facets(results), **extra)
    page.results = [r for r in results if _passes(r, filters)]
    return page


def _ranked(query, filters):
    """The engine's page: found by words, ranked by BM25 and meaning."""
    backend = get_backend()
    terms = weighted_terms(query)
    studios = backend.lexical(terms, limit=200) if terms else []
    if studios:
        studios = [h for h in studios if h.score >= RELATIVE_CUTOFF * studios[0].score]
    encoder = get_encoder()
    vector = encoder.query(query) if encoder and query else None
    if vector is not None and studios:
        studios = _rerank(studios, backend.semantic(vector, limit=200))
    results = [_studio_result(hit) for hit in studios]
    results += _achievement_results(studios)
    results += _craftsman_results(query)
    results += _problem_results(backend, terms)
    page = _page(query, results, filters)
    if not results and query and vector is not None:
        page.related = [
            _studio_result(h)
            for h in backend.semantic(vector, limit=5)
            if h.score >= SIMILARITY_FLOOR
        ]
        page.unconvincing = not page.related
    return page


def _from_database(query, filters):
    """The degraded page: what contains the query's words, from the database
    (no ranking by relevance, at most DATABASE_LIMIT of each type)."""
    words = [w for w, weight in weighted_terms(query, thesaurus=[]).items()]
    words = sorted({query, *words} - {""}, key=len, reverse=True)[:10]
    results = []
    if words:
        results += _studio_rows(words)
        results += _achievement_rows(words)
    results += _craftsman_results(query)
    if words:
        source = problem_source()
        found = source.with_words(words, limit=DATABASE_LIMIT)
        results += [
            _problem_result(
                document["problem_id"],
                document,
                document["evidence"][0]["text"],
                [w for w in words if w in document["evidence"][0]["text"]],
                source,
            )
            for document in source.documents(found)
        ]
    return _page(query, results, filters, degraded=True)


def _containing(words, *fields):
    return reduce(or_, (Q(**{f"{f}__icontains": w}) for w in words for f in fields))


def _studio_rows(words):
    tagged = StudioTag.objects.filter(tag__name__in=words).values("content_object_id")
    studios = (
        Studio.objects.filter(live=True)
        .filter(_containing(words, "name", "expertise") | Q(pk__in=tagged))
        .select_related("enterprise", "industry_chain", "district")
        .prefetch_related("alliances")
        .order_by("name")[:DATABASE_LIMIT]
    )
    return [
        Result(
            "studio",
            studio.name,
            f"/studios/{studio.slug}/",
            studio.expertise,
            [w for w in words if w in studio.name or w in studio.expertise],
            studio.industry_chain.name if studio.industry_chain else "",
            studio.district.name if studio.district else "",
            studio.level,
            sorted(a.title for a in studio.alliances.all() if a.live),
            subtitle=studio.enterprise.name,
        )
        for studio in studios
    ]


def _achievement_rows(words):
    achievements = (
        Achievement.objects.filter(studio__live=True)
        .filter(_containing(words, "title", "summary"))
        .select_related("studio__industry_chain", "studio__district")
        .order_by("-year", "pk")[:DATABASE_LIMIT]
    )
    return [
        Result(
            "achievement",
            a.title,
            f"/achievements/{a.pk}/",
            a.summary,
            [w for w in words if w in a.title or w in a.summary],
            a.studio.industry_chain.name if a.studio.industry_chain else "",
            a.studio.district.name if a.studio.district else "",
            a.studio.level,
            year=a.year,
            subtitle=a.studio.name,
        )
        for a in achievements
    ]


def _rerank(lexical, semantic):
    score = {h.studio_id: 1 / (RRF_K + r) for r, h in enumerate(lexical, 1)}
    for rank, hit in enumerate(semantic, 1):
        if hit.studio_id in score:
            score[hit.studio_id] += 1 / (RRF_K + rank)
    return sorted(lexical, key=lambda h: -score[h.studio_id])


def _studio_result(hit):
    meta = hit.document
    best = hit.evidence[0] if hit.evidence else None
    return Result(
        "studio",
        meta["name"],
        f"/studios/{meta['slug']}/",
        best.text if best else "",
        sorted({t for e in hit.evidence for t in e.terms}),
        meta.get("industry_chain", ""),
        meta.get("district", ""),
        meta.get("level", ""),
        meta.get("alliances") or [],
        subtitle=meta.get("enterprise", ""),
    )


def _achievement_results(studio_hits):
    pieces = [
        (hit, e) for hit in studio_hits for e in hit.evidence if e.kind == "achievement"
    ]
    live = set(
        Achievement.objects.filter(
            pk__in=[e.ref for _, e in pieces], studio__live=True
        ).values_list("pk", flat=True)
    )
    pieces.sort(key=lambda p: -p[1].score)
    return [
        Result(
            "achievement",
            e.label,
            f"/achievements/{e.ref}/",
            e.text,
            e.terms,
            hit.document.get("industry_chain", ""),
            hit.document.get("district", ""),
            hit.document.get("level", ""),
            hit.document.get("alliances") or [],
            year=e.year,
            subtitle=hit.document["name"],
        )
        for hit, e in pieces
        if e.ref in live
    ]


def _craftsman_results(query):
    if len(query) < 2:
        return []
    craftsmen = (
        Craftsman.objects.filter(
            Q(name__icontains=query)
            | Q(titles__icontains=query)
            | Q(skills__icontains=query),
            memberships__studio__live=True,
        )
        .distinct()
        .prefetch_related("memberships__studio")[:50]
    )
    results = []
    for craftsman in craftsmen:
        studio = craftsman.memberships.all()[0].studio
        results.append(
            Result(
                "craftsman",
                craftsman.name,
                craftsman.get_absolute_url(),
                f"{craftsman.titles} {craftsman.skills}".strip(),
                [query],
                subtitle=studio.name,
            )
        )
    return results


def _problem_results(backend, terms):
    source = problem_source()
    hits = backend.search_problems(terms, limit=100) if terms else []
    if hits:
        hits = [h for h in hits if h.score >= RELATIVE_CUTOFF * hits[0].score]
    # The index holds public problems only; the database has the last word
    # (a problem made confidential a moment ago is not shown).
    still = set(source.searchable([h.problem_id for h in hits]))
    return [
        _problem_result(hit.problem_id, hit.document, hit.text, hit.terms, source)
        for hit in hits
        if hit.problem_id in still
    ]


def _problem_result(problem_id, document, text, terms, source):
    return Result(
        "problem",
        document["title"],
        f"/problems/{problem_id}/",
        text,
        terms,
        document.get("industry_chain") or "",
        document.get("district") or "",
        "",
        document.get("alliances") or [],
        year=document.get("year"),
        subtitle=f"{document['enterprise']} · "
        f"{source.status_label(document['status'])}",
    )


def _passes(result, filters):
    for name, wanted in filters.items():
        if name == "type":
            if result.type != wanted:
                return False
        elif str(wanted) not in [str(v) for v in result.facet_values(name)]:
            return False
    return True


def _facets(results):
    facets = {name: {} for name in FACETS}
    for result in results:
        facets["type"][result.type] = facets["type"].get(result.type, 0) + 1
        for name in FACETS[1:]:
            for value in result.facet_values(name):
                facets[name][value] = facets[name].get(value, 0) + 1
    return {
        name: sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        for name, counts in facets.items()
    }


def vocabulary():
    def build():
        words = set(StudioTag.objects.values_list("tag__name", flat=True))
        words.update(Studio.objects.filter(live=True).values_list("name", flat=True))
        words.update(term for group in groups() for term in group)
        return sorted(words)

    return cached_for_content("search-vocabulary", build)


def did_you_mean(query, limit=3):
    return difflib.get_close_matches(query, vocabulary(), n=limit, cutoff=0.7)
