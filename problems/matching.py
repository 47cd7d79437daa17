"""A stored problem through the matching engine; its vector is cached."""

import numpy as np

from search import learning
from search.backends import get_backend
from search.embeddings import stored_vectors
from search.encoders import content_hash, get_encoder
from search.matching import Problem as Query
from search.matching import match_problem, query_text
from search.models import Embedding
from search.thesaurus import groups

from .feedback import judgments
from .models import Problem
from .services import record_matches

TOP = 10
# The engine reads the first characters of a problem's text (the title, then
# the description): the words that tell are there, the sentence encoder reads
# no further anyway, and publishing stays quick whatever the length.
MATCH_CHARS = 2000


def query_for(problem):
    alliances = set(
        problem.enterprise.studios.filter(live=True, alliances__live=True).values_list(
            "alliances__title", flat=True
        )
    )
    return Query(
        title=problem.title,
        description="\n".join(
            part for part in (problem.description, problem.production_line) if part
        )[:MATCH_CHARS],
        symptoms=problem.symptoms[:MATCH_CHARS],
        tried=problem.tried[:MATCH_CHARS],
        expected_outcome=problem.expected_outcome[:MATCH_CHARS],
        tags=[t.name for t in problem.tags.all()],
        industry_chain=problem.industry_chain.name if problem.industry_chain else "",
        enterprise=problem.enterprise.name,
        alliances=sorted(alliances),
    )


def query_vector(text):
    """The problem's sentence vector, encoded once per text."""
    encoder = get_encoder()
    if encoder is None:
        return None
    key = content_hash("query: " + text)
    found = stored_vectors([key], encoder).get(key)
    if found is None:
        found = encoder.query(text)
        Embedding.objects.get_or_create(
            content_hash=key,
            encoder=encoder.name,
            defaults={"vector": np.asarray(found, dtype=np.float32).tobytes()},
        )
    return found


def match_stored_problem(problem_id):
    problem = Problem.objects.select_related("enterprise", "industry_chain").get(
        pk=problem_id
    )
    query = query_for(problem)
    matches = match_problem(
        query,
        backend=get_backend(),
        top=TOP,
        query_vector=query_vector(query_text(query)),
        fusion=learning.current_fusion(),
    )
    record_matches(problem=problem, matches=matches)
    return len(matches)


def refit_matching(*, min_problems=learning.MIN_PROBLEMS):
    """Refit the fusion weights from every decision taken on matches
    (problems.feedback's judgments); returns the stored LearnedFusion."""
    by_problem = {}
    for (problem, slug), grade in judgments().items():
        by_problem.setdefault(problem.pk, {})[slug] = grade
    examples = []
    for problem in Problem.objects.filter(pk__in=by_problem).select_related(
        "enterprise", "industry_chain"
    ):
        query = query_for(problem)
        examples.append(
            learning.Example(
                query, by_problem[problem.pk], query_vector(query_text(query))
            )
        )
    return learning.refit(
        examples=examples,
        backend=get_backend(),
        thesaurus=groups(),
        min_problems=min_problems,
    )
