from django.core.management.base import BaseCommand

from core.progress import progress_bar
from search import indexing
from search.backends import get_backend
from search.documents import problem_source
from studios.models import Studio


class Command(BaseCommand):
    help = "Rebuild the search index from the database (Elasticsearch: new index, "
    "then the alias is swapped, so searches never see a half-built index)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, no_progress, **options):
        backend = get_backend()
        studios = Studio.objects.filter(live=True).count()
        problems = len(problem_source().searchable())
        doing = f"indexing ({backend.name})"
        total = studios + problems
        with progress_bar(self, total, "document", doing, no_progress) as bar:
            indexing.rebuild(backend=backend, progress=bar.update)
        self.stdout.write(
            f"indexed {studios} studios and {problems} public problems ({backend.name})"
        )
