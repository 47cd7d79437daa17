from core.importing import ImportCommand
from problems.importing import import_problems


class Command(ImportCommand):
    help = (
        "Import problems from a problems.jsonl file (interchange format), idempotent "
        "by id. A bad line is rejected and reported while the good lines are "
        "imported; with --atomic any bad line rejects the whole file."
    )
    unit = "problem"

    def run_import(self, **kwargs):
        return import_problems(**kwargs)
