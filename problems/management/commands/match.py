import json
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from problems.interchange import PROBLEM
from search import indexing
from search.backends import get_backend
from search.encoders import get_encoder
from search.files import (
    enterprise_alliances,
    problem_from_record,
    read_valid,
    throwaway_backend,
)
from search.matching import Signals, match_problem
from studios.models import Studio
from studios.services.studio_format import STUDIO


class Command(BaseCommand):
    help = (
        "Match each problem of a problems.jsonl file to studios and print one "
        "match line per problem (interchange format). Problems are not stored. "
        "Studios come from the platform's index, or from --studios FILE. "
        "Sentence vectors studios still lack are computed first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--studios", help="studios.jsonl to match against instead")
        parser.add_argument(
            "--no-encode",
            action="store_true",
            help="do not compute missing sentence vectors: studios without them "
            "are matched by their words only",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, top, studios, no_encode, no_progress, **options):
        problems = read_valid(file, PROBLEM)
        encode = not no_encode and get_encoder() is not None
        bar = tqdm(
            unit="text" if studios else "studio",
            desc="sentence vectors",
            disable=no_progress or not encode,
            file=self.stderr._out,
        )
        if studios:
            records = read_valid(studios, STUDIO)
            backend = throwaway_backend(records, progress=bar.update, encode=encode)
            alliances = enterprise_alliances(records)
            lacking = 0 if encode else len(records)
        else:
            backend, alliances = get_backend(), _platform_alliances()
            if encode:
                bar.total = indexing.pending_vectors(backend=backend)
                indexing.encode_missing(backend=backend, progress=bar.update)
            lacking = indexing.pending_vectors(backend=backend)
        bar.close()
        self._say_how(encode, no_encode, lacking)
        signals = Signals(semantic=bool(encode or not studios))
        for record in problems:
            started = time.perf_counter()
            matches = match_problem(
                problem_from_record(record, alliances),
                backend=backend,
                top=top,
                signals=signals,
            )
            self.stderr.write(
                f"{record['id']}: {1000 * (time.perf_counter() - started):.0f} ms"
            )
            line = {
                "problem": record["id"],
                "matches": [
                    {"studio": m.slug, "score": round(m.score, 6), "reasons": m.reasons}
                    for m in matches
                ],
            }
            self.stdout.write(json.dumps(line, ensure_ascii=False))

    def _say_how(self, encode, no_encode, lacking):
        """Never words only in silence: stderr says when vectors are missing."""
        if get_encoder() is None:
            self.stderr.write(
                "The sentence encoder is off (SEARCH_ENCODER): matching by words only."
            )
        elif no_encode and lacking:
            self.stderr.write(
                f"--no-encode: {lacking} studios have no sentence vectors and are "
                "matched by their words only."
            )
        elif no_encode:
            self.stderr.write("--no-encode: every studio already has its vectors.")


def _platform_alliances():
    alliances = {}
    for enterprise, title in Studio.objects.filter(
        live=True, alliances__live=True
    ).values_list("enterprise__name", "alliances__title"):
        alliances.setdefault(enterprise, set()).add(title)
    return alliances
