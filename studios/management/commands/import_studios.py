from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from studios.services.importing import import_studios


class Command(BaseCommand):
    help = (
        "Import studios from a studios.jsonl file (interchange format). "
        "Idempotent by id. A bad line is rejected and reported while the good "
        "lines are imported; with --atomic any bad line rejects the whole file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--atomic", action="store_true", help="import nothing if any line is bad"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, atomic, no_progress, **options):
        total = _count_lines(file)
        with tqdm(
            total=total,
            unit="studio",
            desc="importing",
            disable=no_progress,
            file=self.stderr._out,
        ) as bar:
            report = import_studios(path=file, atomic=atomic, progress=bar.update)
        for error in report.errors:
            self.stderr.write(str(error))
        if atomic and report.errors:
            raise CommandError(
                f"{report.rejected} bad line(s) in {file}; nothing was imported "
                "(--atomic)."
            )
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, rejected {report.rejected}"
        )
        if report.errors:
            raise CommandError(f"{report.rejected} line(s) of {file} were rejected.")


def _count_lines(path):
    try:
        with open(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}") from exc
