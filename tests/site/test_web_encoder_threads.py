"""The web entry point runs the sentence encoder on one thread per process:
several web processes share the cores (bench/load.py measured 2.6 requests/s
on 3 gunicorn workers with one encoder thread per core in each)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = "import os, config.wsgi; print(os.environ.get('OMP_NUM_THREADS', 'unset'))"


def threads_seen_by_the_web_process(**env):
    base = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        env={
            **base,
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()[-1]


def test_web_processes_encode_on_one_thread_unless_the_operator_says_otherwise():
    assert threads_seen_by_the_web_process() == "1"
    assert threads_seen_by_the_web_process(OMP_NUM_THREADS="4") == "4"
