"""Charts for README from bench/results/*.json: python -m bench.charts"""

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def _save(fig, ax, out, *, legend_at="best"):
    """A one-chart figure, its legend added, written to ``out``."""
    ax.legend(fontsize=7, loc=legend_at)
    fig.tight_layout()
    fig.savefig(out)


def matching_latency(report, out):
    sizes = report["matching"]["sizes"]
    studios = [s["studios"] for s in sizes]
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for key, label in [
        ("match_stored_problem", "stored problem"),
        ("match_new_problem_with_encoding", "new problem (encoding)"),
    ]:
        ax.plot(
            studios,
            [s[key]["p95_ms"] for s in sizes],
            marker="o",
            label=f"{label}, p95",
        )
        ax.plot(
            studios,
            [s[key]["p50_ms"] for s in sizes],
            marker=".",
            ls="--",
            label=f"{label}, p50",
        )
    ax.axhline(30, color="grey", lw=0.8, ls=":")
    ax.axhline(100, color="grey", lw=0.8, ls=":")
    ax.set(
        xscale="log",
        xlabel="studios in the index",
        ylabel="ms per problem",
        title="Matching latency, embedded backend (targets dotted)",
    )
    _save(fig, ax, out)


def ablation(results, out):
    labels = [r["signals"] for r in results]
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    width = 0.27
    for n, metric in enumerate(["ndcg@5", "recall@10", "mrr"]):
        ax.bar(
            [i + (n - 1) * width for i in range(len(results))],
            [r[metric] for r in results],
            width,
            label=metric,
        )
    ax.set_xticks(range(len(results)), labels, rotation=20, ha="right", fontsize=7)
    ax.set(ylim=(0.7, 1.0), title="What each signal adds (sample set, 14 problems)")
    _save(fig, ax, out, legend_at="lower right")


def page_throughput(report, out):
    pages = report["showcase"]["pages"]
    names = ["studio_index", "studio_page"]
    fig, ax = plt.subplots(figsize=(6, 3))
    for n, mode in enumerate(["uncached", "cached"]):
        ax.bar(
            [i + (n - 0.5) * 0.4 for i in range(2)],
            [pages[mode]["ratio_to_bare_view"][k] for k in names],
            0.4,
            label=mode,
        )
    ax.axhline(0.8, color="grey", lw=0.8, ls=":")
    ax.set_xticks(range(2), ["studio index", "studio page"])
    ax.set(
        ylabel="requests/s ÷ bare view",
        title="Page throughput relative to a bare Django view",
    )
    _save(fig, ax, out)


def load(report, out):
    """Requests/s and latency per route of the load test (bench/load.py)."""
    routes = report["load"]["routes"]
    names = [n for n in routes if not n.endswith("(signed in)")]
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.4))
    for n, (suffix, label) in enumerate(
        [("", "anonymous"), (" (signed in)", "signed in")]
    ):
        rows = [routes.get(name + suffix) for name in names]
        at = [i + (n - 0.5) * 0.4 for i in range(len(names))]
        left.bar(
            at, [r["requests_per_second"] if r else 0 for r in rows], 0.4, label=label
        )
        right.bar(
            at, [r["p95_ms"] if r else 0 for r in rows], 0.4, label=f"{label}, p95"
        )
        right.scatter(
            at,
            [r["p50_ms"] if r else 0 for r in rows],
            marker="_",
            s=120,
            color="black",
            label="p50" if n else None,
            zorder=3,
        )
    for ax in (left, right):
        ax.set_xticks(range(len(names)), names, rotation=25, ha="right", fontsize=7)
        ax.legend(fontsize=7)
    left.set_ylabel("requests/s")
    right.set_ylabel("ms")
    run = report["load"]
    fig.suptitle(
        f"Load: {run['users']} users, {run['duration_seconds']} s, "
        f"{run['data']['studios']:,} studios, {run['data']['problems']:,} problems, "
        f"errors {run['errors']}; machine load avg "
        f"{run['load_average']['during_1min_mean']:.0f} on {run['cpus']} cores",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(out)


def main():
    report = json.loads((RESULTS / "latest.json").read_text())
    matching_latency(report, RESULTS / "matching-latency.svg")
    page_throughput(report, RESULTS / "page-throughput.svg")
    ablation(
        json.loads((RESULTS / "ablation.json").read_text()), RESULTS / "ablation.svg"
    )
    if (RESULTS / "load.json").exists():
        load(json.loads((RESULTS / "load.json").read_text()), RESULTS / "load.svg")


if __name__ == "__main__":
    main()
