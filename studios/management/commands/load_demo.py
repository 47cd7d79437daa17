from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Load the demo data set (idempotent: running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default="demo")

    def handle(self, *args, directory, **options):
        studios = Path(directory) / "studios.jsonl"
        if not studios.exists():
            raise CommandError(f"{studios}: no such file")
        call_command("import_studios", str(studios), "--no-progress", "--atomic")
        problems = Path(directory) / "problems.jsonl"
        if problems.exists():  # published on the public board
            call_command("import_problems", str(problems), "--no-progress", "--atomic")
        call_command("encode_vectors", "--no-progress")
