"""Child processes, shared by the benchmarks and the tests: Python run from
the project root, and a server stopped politely, then firmly."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_python(args, env, *, timeout=None):
    """``python ARGS`` from the project root with ``env``, its output captured
    as text; the finished process (its return code is the caller's to judge)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def stop(process, *, timeout):
    """Terminate ``process``; kill it if it has not ended ``timeout`` seconds
    later."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)
