from django.core.management.base import BaseCommand

from core.progress import progress_bar
from search import indexing
from studios.models import Studio


class Command(BaseCommand):
    help = "Compute the sentence vectors that studios still lack (cached by text)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--batch", type=int, default=200)

    def handle(self, *args, no_progress, batch, **options):
        ids = list(
            Studio.objects.filter(live=True).order_by("pk").values_list("pk", flat=True)
        )
        with progress_bar(self, len(ids), "studio", "encoding", no_progress) as bar:
            for start in range(0, len(ids), batch):
                chunk = ids[start : start + batch]
                indexing.encode_studios(studio_ids=chunk)
                bar.update(len(chunk))
        self.stdout.write(f"{len(ids)} studios have their sentence vectors")
