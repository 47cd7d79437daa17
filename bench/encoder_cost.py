"""What one encoder costs on this CPU: load time, milliseconds per studio text
and per problem text, peak memory.

    SEARCH_ENCODER=bench.encoder_candidates.M3ESmallEncoder \\
        python -m bench.encoder_cost [studio-texts] [problems]

Texts are dev-hard's (studio evidence pieces, as the index encodes them, and
the problems' query texts, as the matcher encodes them). Prints one JSON line
with the commit and the load average: the machine is shared.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HARD = ROOT / "demo" / "dev-hard"


def main(n_studio=120, n_problem=40):
    from django.conf import settings

    from bench.matching_cv import commit
    from problems.interchange import PROBLEM
    from search.encoders import get_encoder
    from search.files import document_from_record, problem_from_record, read_valid
    from search.matching import query_text
    from studios.services.studio_format import STUDIO

    studios = read_valid(HARD / "studios.jsonl", STUDIO)
    evidence = [
        item["text"] for r in studios for item in document_from_record(r)["evidence"]
    ][:n_studio]
    problems = [
        query_text(problem_from_record(r))
        for r in read_valid(HARD / "problems.jsonl", PROBLEM)
    ][:n_problem]

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    encoder = get_encoder()  # as the site loads it, BLAS threads limited
    loaded = time.perf_counter() - start
    encoder.passages(evidence[:2])  # warm up
    start = time.perf_counter()
    encoder.passages(evidence)
    per_studio = (time.perf_counter() - start) / len(evidence)
    start = time.perf_counter()
    for text in problems:
        encoder.query(text)
    per_problem = (time.perf_counter() - start) / len(problems)
    report = {
        "encoder": settings.SEARCH_ENCODER,
        "name": encoder.name,
        "dim": encoder.dim,
        "load_s": round(loaded, 2),
        "ms_per_studio_text": round(1000 * per_studio, 1),
        "ms_per_problem_text": round(1000 * per_problem, 1),
        "studio_texts": len(evidence),
        "mean_studio_chars": round(sum(map(len, evidence)) / len(evidence)),
        "problem_texts": len(problems),
        "mean_problem_chars": round(sum(map(len, problems)) / len(problems)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_before_load_mb": round(rss_before / 1024),
        "load_average": os.getloadavg(),
        "commit": commit(),
    }
    print(json.dumps(report))
    return report


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    main(*(int(a) for a in sys.argv[1:3]))
