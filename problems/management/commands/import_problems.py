from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from problems.importing import import_problems
from studios.management.commands.import_studios import _count_lines


class Command(BaseCommand):
    help = (
        "Import problems from a problems.jsonl file (interchange format), idempotent "
        "by id. A bad line is rejected and reported while the good lines are "
        "imported; with --atomic any bad line rejects the whole file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--atomic", action="store_true")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, atomic, no_progress, **options):
        with tqdm(
            total=_count_lines(file),
            unit="problem",
            desc="importing",
            disable=no_progress,
            file=self.stderr._out,
        ) as bar:
            report = import_problems(path=file, atomic=atomic, progress=bar.update)
        for error in report.errors:
            self.stderr.write(str(error))
        if atomic and report.errors:
            raise CommandError(
                f"{report.rejected} bad line(s) in {file}; nothing was "
                "imported (--atomic)."
            )
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, rejected {report.rejected}"
        )
        if report.errors:
            raise CommandError(f"{report.rejected} line(s) of {file} were rejected.")
