"""Import throughput and public page throughput (issue: foundation and showcase)."""

import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.test import Client

from studios.services.importing import import_studios

from .generate import write_studios


def _timed_import(path):
    """The import's report, wall-clock seconds and this process's CPU seconds
    (SQLite works in this process: the CPU figure is what the import costs,
    whatever else a shared machine runs meanwhile)."""
    started, cpu = time.perf_counter(), time.process_time()
    report = import_studios(path=path)
    return report, time.perf_counter() - started, time.process_time() - cpu


def import_throughput(count=10_000):
    folder = Path(tempfile.mkdtemp())
    first = write_studios(folder / "studios.jsonl", count)
    second = write_studios(folder / "studios-v2.jsonl", count, edition=2)
    report, seconds, cpu = _timed_import(first)
    assert report.created == count, report.errors[:3]
    same, same_seconds, same_cpu = _timed_import(first)
    assert same.unchanged == count
    changed, changed_seconds, changed_cpu = _timed_import(second)
    assert changed.updated == count
    return {
        "studios": count,
        "seconds": round(seconds, 2),
        "studios_per_second": round(count / seconds),
        "reimport_unchanged_studios_per_second": round(count / same_seconds),
        "reimport_all_changed_studios_per_second": round(count / changed_seconds),
        "studios_per_cpu_second": {
            "first_import": round(count / cpu),
            "reimport_unchanged": round(count / same_cpu),
            "reimport_all_changed": round(count / changed_cpu),
        },
        "lexical_indexing_included": True,
        "target_studios_per_second": 500,
    }


def _rps(client, url, requests):
    started = time.perf_counter()
    for _ in range(requests):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return requests / (time.perf_counter() - started)


def page_throughput(rounds=7, requests=150):
    """Requests/s of showcase pages against a bare Django view, in alternating
    rounds through the full middleware stack (in-process WSGI, no network)."""
    from studios.models import Studio

    studio_url = (
        Studio.objects.filter(live=True).order_by("slug").first().get_absolute_url()
    )
    targets = {"studio_index": "/studios/", "studio_page": studio_url}
    results = {}
    for mode, seconds in (("uncached", 0), ("cached", 600)):
        settings.PAGE_CACHE_SECONDS = seconds
        client = Client()
        for url in ["/bench/bare/", *targets.values()]:
            _rps(client, url, 5)  # warm up
        ratios = {name: [] for name in targets}
        rps = {name: [] for name in ["bare", *targets]}
        for _ in range(rounds):
            bare = _rps(client, "/bench/bare/", requests)
            rps["bare"].append(bare)
            for name, url in targets.items():
                value = _rps(client, url, requests)
                rps[name].append(value)
                ratios[name].append(value / bare)
        results[mode] = {
            "requests_per_second": {
                k: round(statistics.median(v)) for k, v in rps.items()
            },
            "ratio_to_bare_view": {
                k: round(statistics.median(v), 3) for k, v in ratios.items()
            },
        }
    results["cached_target_ratio"] = 0.8
    results["rounds"] = rounds
    results["requests_per_round"] = requests
    return results
