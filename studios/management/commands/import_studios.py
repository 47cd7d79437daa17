from core.importing import ImportCommand
from studios.services.importing import import_studios


class Command(ImportCommand):
    help = (
        "Import studios from a studios.jsonl file (interchange format). "
        "Idempotent by id. A bad line is rejected and reported while the good "
        "lines are imported; with --atomic any bad line rejects the whole file."
    )
    unit = "studio"

    def run_import(self, **kwargs):
        return import_studios(**kwargs)
