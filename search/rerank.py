"""Second stage: the first stage's best candidates re-ranked sentence by sentence.

The first stage (words and one vector for the whole posting, fused by RRF)
finds candidates quickly but reads a posting as one block: an aside that names
a neighbouring shop ("the kiln crew say the kiln runs steady") pulls that
shop's studio up as much as the symptom does. Here each sentence of the posting
(title, description sentences, tags) is compared with each piece of a
candidate's evidence; a studio is scored by how well its evidence answers the
posting's sentences (the mean of the sentence max-sims), so one sentence cannot
carry a studio, and that score is fused with the first stage's signals by rank.
Sentences that only report what a neighbouring shop checked are left out. It
runs in Python above the backend interface, so both backends rank alike.
"""

import re
from dataclasses import dataclass

import numpy as np

DEPTH = 30  # candidates re-ranked
# A studio scores the mean, over the posting's sentences, of how well its best
# piece answers each; mean over all (99) beat the best 1, 2, 3 or 5 (README).
TOP_SENTENCES = 99
RRF_K = 60
# Fusion weights of the second stage; chosen by cross-validation across the
# two public sets (README, ablation).
WEIGHTS = {"sentences": 2.0, "semantic": 0.75, "lexical": 1.0}
FOCUS = True  # leave context sentences out of the query
MIN_SENTENCE = 4  # characters; shorter fragments say nothing on their own
_SPLIT = re.compile(r"(?<=[。！？；!?;\n])")


@dataclass
class SentenceEvidence:
    """The sentence of the posting a piece of evidence answers best."""

    sentence: str
    evidence: object  # EvidenceHit
    similarity: float


# A sentence that reports what another shop checked and found normal or ruled
# out ("煅烧操作组说窑况稳定", "牵引电气专业查过……没有异常") is context, not the
# problem: its words name the neighbour's skill, the studio the posting does
# NOT need. Such sentences are left out of the query (words and sentences).
_CONTEXT = re.compile(
    r"(说|称|认为|表示|查过|检查过|排查过|测过|看过|确认|检测过)"
    r"[^。！？；]{0,30}"
    r"(正常|稳定|没有异常|无异常|没发现|未发现|没问题|没有问题|合格|排除|不是)"
)


def is_context(sentence):
    return bool(_CONTEXT.search(sentence))


def focused_description(problem):
    """The description without its context sentences (see ``is_context``)."""
    return "".join(
        s for s in _SPLIT.split(problem.description or "") if not is_context(s)
    )


def sentences(problem):
    """The posting's sentences: its title, each sentence of its description,
    symptoms and expected outcome that is not context (what was tried is left
    out) and its tags as one line."""
    parts = [problem.title]
    text = "\n".join(
        part
        for part in (problem.description, problem.symptoms, problem.expected_outcome)
        if part
    )
    for sentence in _SPLIT.split(text):
        sentence = sentence.strip()
        if FOCUS and is_context(sentence):
            continue
        if len(sentence) >= MIN_SENTENCE and sentence not in parts:
            parts.append(sentence)
    if problem.tags:
        parts.append("、".join(problem.tags))
    return [p for p in parts if p.strip()]


def sentence_scores(query_vectors, pieces, top):
    """(score, best answer) of one studio: ``pieces`` is [(EvidenceHit, vector)].

    score: mean over the ``top`` posting sentences best answered by any piece of
    the max-sim; best answer: (sentence index, piece, similarity)."""
    if not pieces:
        return None, None
    matrix = query_vectors @ np.stack([v for _, v in pieces]).T
    best_per_sentence = matrix.max(axis=1)
    k = min(top, len(best_per_sentence))
    score = float(np.sort(best_per_sentence)[::-1][:k].mean())
    i, j = np.unravel_index(int(matrix.argmax()), matrix.shape)
    return score, (int(i), pieces[j][0], float(matrix[i, j]))


def rerank(matches, problem, *, backend, encoder, depth=None):
    """``matches`` (first stage, best first) with the first ``depth`` re-ranked.

    Sets ``match.sentence_score`` and ``match.answers`` (a SentenceEvidence)."""
    depth = depth or DEPTH
    head, tail = matches[:depth], matches[depth:]
    if not head or encoder is None:
        return matches
    texts = sentences(problem)
    query_vectors = np.asarray(encoder.queries(texts), dtype=np.float32).reshape(
        len(texts), -1
    )
    pieces = backend.evidence_vectors([m.studio_id for m in head])
    scored = []
    for match in head:
        score, best = sentence_scores(
            query_vectors, pieces.get(match.studio_id, []), TOP_SENTENCES
        )
        match.sentence_score = score
        if best:
            i, piece, similarity = best
            match.answers = SentenceEvidence(texts[i], piece, similarity)
        if score is not None:
            scored.append(match)
    sentence_rank = _ranks(scored, lambda m: m.sentence_score)
    semantic_rank = _ranks(
        [m for m in head if m.semantic_similarity is not None],
        lambda m: m.semantic_similarity,
    )
    lexical_rank = _ranks(
        [m for m in head if m.lexical_rank is not None], lambda m: -m.lexical_rank
    )
    for match in head:
        match.score = sum(
            WEIGHTS[signal] / (RRF_K + ranks[match.studio_id])
            for signal, ranks in (
                ("sentences", sentence_rank),
                ("semantic", semantic_rank),
                ("lexical", lexical_rank),
            )
            if match.studio_id in ranks
        )
    head.sort(key=lambda m: (-m.score, m.slug))
    # Keep the re-ranked candidates above the rest whatever their scale.
    floor = head[-1].score if head else 0.0
    for match in tail:
        match.score = min(match.score, floor) * 0.999
    return head + tail


def _ranks(matches, key):
    ordered = sorted(matches, key=lambda m: -key(m))
    return {m.studio_id: rank for rank, m in enumerate(ordered, 1)}
