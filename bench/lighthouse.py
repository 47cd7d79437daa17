"""Lighthouse on the five pages a newcomer opens first, desktop and mobile.

    python -m bench.lighthouse                      # against a running `make run`
    python -m bench.lighthouse --serve              # start the demo site itself
    python -m bench.lighthouse --base http://127.0.0.1:8000 --check

Runs Lighthouse 12 (npm; `make lighthouse` installs it into var/lighthouse)
with headless Chromium on the home page, a studio page, the problem board, a
problem page and a search result page, each with the desktop preset and the
default (mobile: Moto G power, slow 4G and a 4x slower CPU, all simulated), and
writes bench/results/lighthouse.json. --check exits 1 when a score is below
the issue's thresholds (accessibility, best practices, SEO >= 0.95;
performance >= 0.90).
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "lighthouse.json"
LIGHTHOUSE = ROOT / "var" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
THRESHOLDS = {
    "performance": 0.90,
    "accessibility": 0.95,
    "best-practices": 0.95,
    "seo": 0.95,
}
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
SEARCH_QUERY = "/search/?q=%E7%93%B6%E7%9B%96%E6%AD%AA%E4%BA%86"  # 瓶盖歪了


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (ours)
        return response.read().decode()


def first_link(base, path, pattern):
    """The first link on ``path`` whose address matches ``pattern``."""
    match = re.search(rf'href="({pattern})"', fetch(base + path))
    if not match:
        raise SystemExit(f"no link matching {pattern} on {path}")
    return match.group(1)


def pages(base):
    return {
        "home": "/",
        "studio": first_link(base, "/studios/", r"/studios/[\w-]+/"),
        "board": "/problems/",
        "problem": first_link(base, "/problems/", r"/problems/\d+/"),
        "search": SEARCH_QUERY,
    }


def audit(url, form_factor):
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ]
        if form_factor == "desktop":
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "")}
        if not env["CHROME_PATH"]:
            env["CHROME_PATH"] = shutil.which("chromium") or "/usr/bin/chromium"
        subprocess.run(command, check=True, env=env)  # noqa: S603 (our command)
        report = json.loads(out.read_text())
    scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
    failing = sorted(
        audit_id
        for category in CATEGORIES
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"]
        and (audit_id := ref["id"])
        and report["audits"][audit_id]["score"] is not None
        and report["audits"][audit_id]["score"] < 0.9
    )
    metrics = {
        key: round(report["audits"][key]["numericValue"])
        for key in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "speed-index",
            "total-blocking-time",
        )
    }
    metrics["cumulative-layout-shift"] = round(
        report["audits"]["cumulative-layout-shift"]["numericValue"], 3
    )
    return {"scores": scores, "metrics_ms": metrics, "flagged": failing}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve():
    """`make run`'s server (DEBUG off, WhiteNoise), on a free port."""
    port = free_port()
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            fetch(base + "/robots.txt")
            return server, base
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not answer")


def table(results):
    lines = [
        "| page | form | performance | accessibility | best practices | SEO |",
        "|---|---|---|---|---|---|",
    ]
    for row in results:
        s = row["scores"]
        lines.append(
            f"| {row['page']} | {row['form_factor']} | "
            + " | ".join(f"{round(s[c] * 100)}" for c in CATEGORIES)
            + " |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--only", help="one page name (home, studio, …)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} missing: run `make lighthouse`")
    server, base = serve() if args.serve else (None, args.base.rstrip("/"))
    try:
        fetch(base + "/")  # warm the page cache as a reader's visit would
        results = []
        for name, path in pages(base).items():
            if args.only and name != args.only:
                continue
            fetch(base + path)
            for form_factor in ("desktop", "mobile"):
                print(f"lighthouse {form_factor} {path}", file=sys.stderr)
                row = {"page": name, "path": path, "form_factor": form_factor}
                row.update(audit(base + path, form_factor))
                results.append(row)
    finally:
        if server:
            server.terminate()
            server.wait()
    below = [
        f"{row['page']} {row['form_factor']} {c} {row['scores'][c]}"
        for row in results
        for c in CATEGORIES
        if row["scores"][c] < THRESHOLDS[c]
    ]
    if not args.only:
        report = {
            "lighthouse": subprocess.run(  # noqa: S603
                [str(LIGHTHOUSE), "--version"], capture_output=True, text=True
            ).stdout.strip(),
            "measured": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": {"cpus": os.cpu_count()},
            "thresholds": THRESHOLDS,
            "results": results,
            "below_threshold": below,
        }
        RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    for row in results:
        if row["flagged"]:
            print(f"{row['page']} {row['form_factor']}: {', '.join(row['flagged'])}")
    if below:
        print("below threshold:\n  " + "\n  ".join(below), file=sys.stderr)
        if args.check:
            sys.exit(1)


if __name__ == "__main__":
    main()
