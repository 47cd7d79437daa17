"""import_problems: idempotent import of problems.jsonl (interchange format).

Like import_studios: every line is checked first; a bad line is rejected (or,
with atomic=True, the whole file); writing is one transaction. Imported
problems come from an existing register, so they arrive published and public,
and are matched in the background.
"""

from django.db import transaction

from core import outbox
from core.importing import checked_records
from core.snippets import IndustryChain
from organisations.models import Enterprise

from .interchange import PROBLEM
from .models import Confidentiality, Problem, Status
from .services import save_problem

MATCH_TASK = "problems.match_problem"  # problems.tasks


def import_problems(*, path, atomic=False, progress=None):
    records, report = checked_records(path, PROBLEM)
    if atomic and report.errors:
        return report
    with transaction.atomic():
        existing = Problem.objects.in_bulk(
            [r["id"] for r in records], field_name="external_id"
        )
        for record in records:
            problem = existing.get(record["id"]) or Problem(
                external_id=record["id"],
                status=Status.PUBLISHED,
                confidentiality=Confidentiality.PUBLIC,
            )
            before = (
                _imported_fields(problem),
                sorted(problem.tags.names()) if problem.pk else None,
            )
            fields = {
                "title": record["title"],
                "description": record["description"],
                "enterprise": Enterprise.objects.get_or_create(
                    name=record["enterprise"]
                )[0],
                "industry_chain": (
                    IndustryChain.objects.get_or_create(name=record["industry_chain"])[
                        0
                    ]
                    if record.get("industry_chain")
                    else None
                ),
            }
            tags = sorted(record.get("tags") or [])
            after = Problem(**fields)
            if problem.pk and before == (_imported_fields(after), tags):
                # Nothing to write: the row, its matches and its trail stay as
                # they are (a re-import changes nothing).
                report.unchanged += 1
                if progress:
                    progress(1)
                continue
            report.updated += bool(problem.pk)
            report.created += not problem.pk
            problem = save_problem(user=None, problem=problem, fields=fields, tags=tags)
            report.ids.append(problem.pk)
            if progress:
                progress(1)
        outbox.enqueue_many(MATCH_TASK, [[pk] for pk in report.ids])
    return report


def _imported_fields(problem):
    """What an import writes, to tell whether a line changes anything."""
    return (
        problem.title,
        problem.description,
        problem.enterprise_id,
        problem.industry_chain_id,
    )
