"""Ranking quality against graded judgments (qrels.tsv of the interchange format).

nDCG@5 uses the grade as gain and a log2 discount (as trec_eval does);
Recall@10 counts studios of grade ≥ 1; MRR is of the first grade-3 studio.
"""

import math
from pathlib import Path

from core.interchange import LineError


def read_qrels(path):
    qrels, errors = {}, []
    path = Path(path)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[2].strip().isdigit():
            errors.append(
                LineError(
                    str(path), number, "", "expected problem_id<TAB>studio_id<TAB>grade"
                )
            )
            continue
        qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return qrels, errors


def ndcg(ranking, grades, k=5):
    dcg = sum(grades.get(s, 0) / math.log2(i + 2) for i, s in enumerate(ranking[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranking, grades, k=10):
    relevant = {s for s, g in grades.items() if g > 0}
    return len(relevant & set(ranking[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranking, grades, grade=3):
    for i, studio in enumerate(ranking, 1):
        if grades.get(studio, 0) >= grade:
            return 1.0 / i
    return 0.0


def evaluate(rankings, qrels):
    """Mean metrics over the judged problems; rankings: {problem: [studio ids]}."""
    judged = [p for p in rankings if p in qrels]
    if not judged:
        return {"problems": 0, "ndcg@5": 0.0, "recall@10": 0.0, "mrr": 0.0}
    n = len(judged)
    return {
        "problems": n,
        "ndcg@5": sum(ndcg(rankings[p], qrels[p]) for p in judged) / n,
        "recall@10": sum(recall(rankings[p], qrels[p]) for p in judged) / n,
        "mrr": sum(reciprocal_rank(rankings[p], qrels[p]) for p in judged) / n,
    }
