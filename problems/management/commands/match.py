import json
import time

from django.core.management.base import BaseCommand

from problems.interchange import PROBLEM
from search.backends import get_backend
from search.files import (
    enterprise_alliances,
    problem_from_record,
    read_valid,
    throwaway_backend,
)
from search.matching import match_problem
from studios.models import Studio
from studios.services.studio_format import STUDIO


class Command(BaseCommand):
    help = (
        "Match each problem of a problems.jsonl file to studios and print one "
        "match line per problem (interchange format). Problems are not stored. "
        "Studios come from the platform's index, or from --studios FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--studios", help="studios.jsonl to match against instead")

    def handle(self, *args, file, top, studios, **options):
        problems = read_valid(file, PROBLEM)
        if studios:
            records = read_valid(studios, STUDIO)
            backend, alliances = (
                throwaway_backend(records),
                enterprise_alliances(records),
            )
        else:
            backend, alliances = get_backend(), _platform_alliances()
        for record in problems:
            started = time.perf_counter()
            matches = match_problem(
                problem_from_record(record, alliances), backend=backend, top=top
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


def _platform_alliances():
    alliances = {}
    for enterprise, title in Studio.objects.filter(
        live=True, alliances__live=True
    ).values_list("enterprise__name", "alliances__title"):
        alliances.setdefault(enterprise, set()).add(title)
    return alliances
