"""Run the benchmarks and write bench/results/latest.json.

python -m bench.run_all            # everything
python -m bench.run_all showcase   # one group
python -m bench.run_all signup     # sign-ups on PostgreSQL (only when named)
python -m bench.run_all load       # the load test (bench/load.py: gunicorn,
                                   # PostgreSQL, Redis; not part of "everything")
"""

import json
import os
import platform
import sys
import time
from pathlib import Path

from .load import git_commit

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
RESULTS = Path(__file__).resolve().parent / "results"


def main(groups):
    if groups == ["load"]:
        # Its own server processes and database: no Django here.
        from . import load

        return _write(groups, {**_header(), "load": load.run()})
    import django
    from django.core.management import call_command

    django.setup()
    if set(groups) != {"signup"}:  # signup brings its own PostgreSQL database
        call_command("migrate", verbosity=0)
    from . import showcase

    benches = {
        "showcase": lambda: {
            "import": showcase.import_throughput(),
            "pages": showcase.page_throughput(),
        },
    }
    if "signup" in groups:  # on PostgreSQL and gunicorn: only when asked for
        from . import signup

        benches["signup"] = signup.run
    try:
        from . import matching

        benches["matching"] = matching.run
    except ImportError:
        pass
    report = _header()
    for name, bench in benches.items():
        if groups and name not in groups:
            continue
        print(f"running {name} …", file=sys.stderr)
        report[name] = bench()
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    _write(groups, report)


def _header():
    return {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        **git_commit(),
    }


def _write(groups, report):
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / ("latest.json" if not groups else f"{'-'.join(groups)}.json")
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
