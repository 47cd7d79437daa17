from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from wagtail import hooks

from core.hooks import DEMO_LOADERS
from core.sites import point_default_site_at_site_url
from problems.demo import load_workflow
from studios.demo import load_showcase


class Command(BaseCommand):
    help = (
        "Load the demo (idempotent: running it again changes nothing): studios, "
        "their photos, contacts, equipment and honours, alliance chairs, stories, "
        "problems in several states driven through the real services, and demo "
        "people to sign in with. Points the Wagtail Site at SITE_URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default="demo")
        parser.add_argument(
            "--no-vectors",
            action="store_true",
            help="Skip encoding the studios' sentence vectors (tests).",
        )

    def handle(self, *args, directory, no_vectors=False, **options):
        directory = Path(directory)
        studios = directory / "studios.jsonl"
        if not studios.exists():
            raise CommandError(f"{studios}: no such file")
        if point_default_site_at_site_url():
            self.stdout.write(f"Wagtail site: {settings.SITE_URL}")
        call_command("import_studios", str(studios), "--no-progress", "--atomic")
        say = self.stdout.write
        if (directory / "showcase.json").exists():
            load_showcase(directory / "showcase.json", log=say)
        problems = directory / "problems.jsonl"
        if problems.exists():  # published on the public board
            call_command("import_problems", str(problems), "--no-progress", "--atomic")
        people = []
        if (directory / "workflow.json").exists():
            people = load_workflow(directory / "workflow.json", log=say)
        for load in hooks.get_hooks(DEMO_LOADERS):  # joint sessions…
            load(directory, log=say)
        if not no_vectors:
            call_command("encode_vectors", "--no-progress")
        if people:
            say(f"\nDemo people (sign in at {settings.SITE_URL}/accounts/login/):")
            for person in people:
                name, password = person["username"], person["password"]
                say(f"  {name:<16} {password:<20} {person['what']}")
