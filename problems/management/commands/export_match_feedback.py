from django.core.management.base import BaseCommand, CommandError

from problems.feedback import export_feedback


class Command(BaseCommand):
    help = (
        "Write DIR/studios.jsonl, DIR/problems.jsonl and DIR/qrels.tsv from the "
        "decisions taken on matches (confirmed 2, dismissed 0, accepted or solved 3), "
        "ready for `evaluate_matching DIR`. Problems of every confidentiality are "
        "written unless --public-only: keep the folder where the database is."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--public-only", action="store_true")

    def handle(self, *args, directory, public_only, **options):
        try:
            counts = export_feedback(directory, public_only=public_only)
        except OSError as exc:
            raise CommandError(f"{directory}: {exc.strerror}") from exc
        self.stdout.write(
            f"{counts['problems']} problems, {counts['judgments']} judgments, "
            f"{counts['studios']} studios written to {directory}"
        )
