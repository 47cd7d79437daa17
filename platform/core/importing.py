"""What every import command of the interchange format shares: the report, the
progress bar, the error listing and the --atomic policy."""

from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError

from .interchange import split_records
from .progress import progress_bar


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    ids: list = field(default_factory=list)  # of the rows written

    @property
    def rejected(self):
        return len({e.line for e in self.errors})


def checked_records(path, schema):
    """Every line of the file checked before anything is written: the valid
    records, and a report holding the errors of the others."""
    report = ImportReport()
    records, report.errors = split_records(path, schema)
    return records, report


def count_lines(path):
    try:
        with open(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}") from exc


class ImportCommand(BaseCommand):
    """Subclasses name the ``unit`` and give ``run_import(path, atomic, progress)``."""

    unit = "record"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--atomic", action="store_true", help="import nothing if any line is bad"
        )
        parser.add_argument("--no-progress", action="store_true")

    def run_import(self, *, path, atomic, progress):
        raise NotImplementedError

    def handle(self, *args, file, atomic, no_progress, **options):
        lines = count_lines(file)
        with progress_bar(self, lines, self.unit, "importing", no_progress) as bar:
            report = self.run_import(path=file, atomic=atomic, progress=bar.update)
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
