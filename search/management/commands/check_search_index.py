from django.core.management.base import BaseCommand, CommandError

from core.progress import progress_bar
from search import indexing
from search.backends import get_backend
from search.documents import problem_source
from studios.models import Studio


class Command(BaseCommand):
    help = "Report drift between the database and the search index; --repair fixes it."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, repair, no_progress, **options):
        backend = get_backend()
        total = Studio.objects.filter(live=True).count() + len(
            problem_source().searchable()
        )
        with progress_bar(self, total, "document", "checking", no_progress) as bar:
            studios, problems = indexing.check(
                backend=backend, repair=repair, progress=bar.update
            )
        for label, drift in (("studios", studios), ("public problems", problems)):
            self.stdout.write(
                f"{label}: missing {len(drift.missing)}, stale {len(drift.stale)}, "
                f"extra {len(drift.extra)}"
                + (" — repaired" if repair and drift.total else "")
            )
        if (studios.total or problems.total) and not repair:
            raise CommandError("the index has drifted: run with --repair")
        if repair and (studios.total or problems.total):
            studios, problems = indexing.check(backend=backend)
            self.stdout.write(
                f"after repair: {studios.total + problems.total} documents drift"
            )
