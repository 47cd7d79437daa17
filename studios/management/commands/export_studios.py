from django.core.management.base import BaseCommand, CommandError

from core.progress import progress_bar
from studios.models import Studio
from studios.services.exporting import export_studios


class Command(BaseCommand):
    help = "Export every studio to a studios.jsonl file (interchange format)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="output path, or - for standard output")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, no_progress, **options):
        total = Studio.objects.count()
        with progress_bar(self, total, "studio", "exporting", no_progress) as bar:
            if file == "-":
                count = export_studios(handle=self.stdout._out, progress=bar.update)
            else:
                try:
                    with open(file, "w", encoding="utf-8") as handle:
                        count = export_studios(handle=handle, progress=bar.update)
                except OSError as exc:
                    raise CommandError(f"{file}: {exc.strerror}") from exc
        if file != "-":
            self.stdout.write(f"exported {count} studios to {file}")
