import itertools
import json
from contextlib import nullcontext
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.progress import progress_bar
from problems.interchange import PROBLEM
from search.evaluation import evaluate, read_qrels
from search.files import (
    enterprise_alliances,
    problem_from_record,
    read_valid,
    throwaway_backend,
    throwaway_elastic,
)
from search.matching import Signals, match_problem
from search.models import ThesaurusEntry
from search.thesaurus import groups
from studios.services.studio_format import STUDIO


class Command(BaseCommand):
    help = (
        "Print nDCG@5, Recall@10 and MRR (first grade-3 studio) for a folder holding "
        "studios.jsonl, problems.jsonl and qrels.tsv, on a throw-away index."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument(
            "--ablation",
            action="store_true",
            help="also score every combination of signals",
        )
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--backend",
            choices=["embedded", "elasticsearch"],
            default="embedded",
            help="elasticsearch: a throw-away index on ELASTICSEARCH_URL",
        )

    def handle(self, *args, directory, ablation, no_progress, backend, **options):
        folder = Path(directory)
        for name in ("studios.jsonl", "problems.jsonl", "qrels.tsv"):
            if not (folder / name).is_file():
                raise CommandError(f"{folder / name}: no such file")
        studios = read_valid(folder / "studios.jsonl", STUDIO)
        problems = read_valid(folder / "problems.jsonl", PROBLEM)
        qrels, errors = read_qrels(folder / "qrels.tsv")
        if errors:
            raise CommandError("\n".join(str(e) for e in errors))
        texts = sum(
            1 + bool(r.get("tags")) + len(r.get("achievements") or []) for r in studios
        )
        doing = "encoding evidence"
        with progress_bar(self, texts, "text", doing, no_progress) as bar:
            embedded = throwaway_backend(studios, progress=bar.update)
        chosen = (
            throwaway_elastic(studios)
            if backend == "elasticsearch"
            else nullcontext(embedded)
        )
        with chosen as searched:
            results = score(searched, studios, problems, qrels, ablation)
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False))
            return
        for scores in results:
            self.stdout.write(
                f"{scores['signals']:<32} nDCG@5 {scores['ndcg@5']:.4f}  "
                f"Recall@10 {scores['recall@10']:.4f}  MRR {scores['mrr']:.4f}  "
                f"({scores['problems']} problems, "
                f"{scores['matches_without_reason']} matches without a reason)"
            )


def score(backend, studios, problems, qrels, ablation):
    alliances = enterprise_alliances(studios)
    thesaurus = groups() if ThesaurusEntry.objects.exists() else []
    combos = [Signals()]
    if ablation:
        combos = [
            Signals(*flags)
            for flags in itertools.product([True, False], repeat=3)
            if flags[0] or flags[1]
        ]
        combos.insert(1, Signals(rerank=True))
    results = []
    for signals in combos:
        rankings, reasonless = {}, 0
        for record in problems:
            matches = match_problem(
                problem_from_record(record, alliances),
                backend=backend,
                top=100,
                signals=signals,
                thesaurus=thesaurus,
            )
            rankings[record["id"]] = [m.slug for m in matches]
            reasonless += sum(1 for m in matches[:10] if not m.reasons)
        scores = evaluate(rankings, qrels)
        scores.update(signals=_label(signals), matches_without_reason=reasonless)
        results.append(scores)
    return results


def _label(signals):
    names = ["lexical", "semantic", "thesaurus"]
    if signals.semantic:
        names.append("rerank")
    return "+".join(n for n in names if getattr(signals, n))
