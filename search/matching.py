"""match_problem: a problem's text → studios ranked with reasons a person can check.

Signals: BM25 over jieba tokens of each piece of a studio's evidence (with
thesaurus synonyms at a lower weight), and sentence-vector similarity of the
problem to each piece. They are fused in Python by reciprocal rank fusion —
the same code whichever backend retrieved them.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .encoders import get_encoder
from .thesaurus import expansions, weighted_terms

CANDIDATES = 200
RRF_K = 60
# The encoder copes with plant-floor wording far better than shared words do;
# on the sample set any semantic weight from 1.5 to 2 (k 10 or 60) scores
# within noise of each other and above equal weights (README, ablation).
WEIGHTS = {"lexical": 1.0, "semantic": 1.5}


@dataclass
class Problem:
    title: str
    description: str
    tags: list = field(default_factory=list)
    industry_chain: str = ""
    enterprise: str = ""
    alliances: list = field(default_factory=list)  # of the posting enterprise

    @property
    def text(self):
        # The summary first: title and tags, then the full description.
        return "\n".join([self.title, "、".join(self.tags), self.description])


@dataclass
class Match:
    studio_id: object
    slug: str
    name: str
    score: float
    reasons: list  # of str
    lexical_rank: int | None = None
    semantic_rank: int | None = None
    semantic_similarity: float | None = None
    matched_terms: list = field(default_factory=list)
    lexical_evidence: list = field(default_factory=list)  # EvidenceHit, best first
    semantic_evidence: list = field(default_factory=list)
    document: dict = field(default_factory=dict)


@dataclass
class Signals:
    """Which signals to use; the ablation in README switches them."""

    lexical: bool = True
    semantic: bool = True
    thesaurus: bool = True


def match_problem(
    problem, *, backend, top=10, signals=None, thesaurus=None, query_vector=None
):
    """Studios for ``problem``, best first. ``query_vector`` is the problem's
    stored sentence vector, if it has one; otherwise the text is encoded."""
    signals = signals or Signals()
    groups = thesaurus if signals.thesaurus else []
    terms = weighted_terms(problem.text, groups)
    lexical = backend.lexical(terms, limit=CANDIDATES) if signals.lexical else []
    encoder = get_encoder() if signals.semantic else None
    semantic = []
    if encoder:
        # Encoding in a thread beside the search measured no faster: the
        # encoder's threads already hold both cores.
        if query_vector is None:
            query_vector = encoder.query(problem.text)
        semantic = backend.semantic(query_vector, limit=CANDIDATES)
    fused = _fuse(lexical, semantic)
    ranked = sorted(fused.values(), key=lambda m: (-m.score, m.slug))[:top]
    pending = (
        backend.vector_pending([m.studio_id for m in ranked]) if encoder else set()
    )
    found = expansions(problem.text, groups)
    for match in ranked:
        match.reasons = _reasons(
            match, problem, found, match.studio_id in pending, encoder is not None
        )
    return ranked


def _fuse(lexical, semantic):
    matches = {}
    for signal, hits in (("lexical", lexical), ("semantic", semantic)):
        for rank, hit in enumerate(hits, 1):
            match = matches.get(hit.studio_id)
            if match is None:
                match = matches[hit.studio_id] = Match(
                    hit.studio_id,
                    hit.document["slug"],
                    hit.document["name"],
                    0.0,
                    [],
                    document=hit.document,
                )
            match.score += WEIGHTS[signal] / (RRF_K + rank)
            if signal == "lexical":
                match.lexical_rank = rank
                match.matched_terms = _terms(hit.evidence)
                match.lexical_evidence = hit.evidence
            else:
                match.semantic_rank = rank
                match.semantic_similarity = hit.score
                match.semantic_evidence = hit.evidence
    return matches


def _terms(evidence):
    """Matched words worth showing: no single characters, no parts of longer ones."""
    terms = []
    for item in evidence:
        for term in item.terms:
            if (
                len(term) > 1
                and term not in terms
                and not any(term in t for t in terms)
            ):
                terms.append(term)
    return terms


def _reasons(match, problem, found, vector_pending, semantic_on):
    reasons = _evidence_reasons(match, found)
    if semantic_on and vector_pending:
        reasons.append(
            _("Matched on words only: its sentence vectors are not ready yet")
        )
    reasons += _relation_reasons(match.document, problem)
    if not reasons and match.lexical_evidence:
        words = sorted({t for e in match.lexical_evidence for t in e.terms})
        reasons.append(_("Shared words: %(terms)s") % {"terms": "、".join(words)})
    return reasons


def _evidence_reasons(match, found):
    reasons = []
    if match.matched_terms:
        best = next(e for e in match.lexical_evidence if e.terms)
        terms = "、".join(match.matched_terms[:6])
        reasons.append(
            _("Shared terms: %(terms)s (in %(where)s)")
            % {"terms": terms, "where": _where(best)}
        )
    # A thesaurus pair is a reason only if the studio's own text has the synonym.
    texts = [e.text for e in match.lexical_evidence]
    synonyms = [e for e in found if any(e.synonym in text for text in texts)]
    if synonyms:
        pairs = "；".join(f"{e.found} ≈ {e.synonym}" for e in synonyms[:3])
        reasons.append(_("Thesaurus: %(pairs)s") % {"pairs": pairs})
    closest = match.semantic_evidence[0] if match.semantic_evidence else None
    if closest:
        reasons.append(
            _("Semantic similarity %(score).2f, closest: %(where)s")
            % {"score": match.semantic_similarity, "where": _where(closest)}
        )
    pieces = match.lexical_evidence + match.semantic_evidence
    for kind, text in (
        ("achievement", _("Most similar achievement: %(title)s")),
        ("solved_problem", _("Most similar problem it solved: %(title)s")),
    ):
        piece = next((e for e in pieces if e.kind == kind), None)
        if piece and (
            closest is None or (closest.kind, closest.ref) != (piece.kind, piece.ref)
        ):
            reasons.append(text % {"title": piece.label})
    return reasons


def _relation_reasons(document, problem):
    reasons = []
    chain = document.get("industry_chain")
    if problem.industry_chain and chain == problem.industry_chain:
        reasons.append(_("Same industry chain: %(chain)s") % {"chain": chain})
    elif problem.industry_chain and chain:
        reasons.append(
            _("Transfers experience from another industry chain: %(chain)s")
            % {"chain": chain}
        )
    shared = sorted(set(problem.alliances) & set(document.get("alliances") or []))
    if shared:
        reasons.append(
            _("Same alliance as the enterprise: %(names)s")
            % {"names": "、".join(shared)}
        )
    return reasons


def _where(evidence):
    if evidence.kind == "achievement":
        return _("achievement “%(title)s”") % {"title": evidence.label}
    if evidence.kind == "solved_problem":
        return _("solved problem “%(title)s”") % {"title": evidence.label}
    if evidence.kind == "member":
        return _("skills of %(name)s") % {"name": evidence.label}
    if evidence.kind == "tags":
        return _("expertise tags")
    return _("expertise")
