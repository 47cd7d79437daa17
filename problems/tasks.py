from celery import shared_task

from search.tasks import SearchTask

from . import matching, services


@shared_task(name="problems.match_problem", base=SearchTask, subject="problem_id")
def match_problem_task(problem_id):
    """Match a stored problem; idempotent (pending suggestions are replaced,
    decided ones kept). Enqueued through core.outbox."""
    return matching.match_stored_problem(problem_id)


@shared_task(name="problems.remind_proposal_deadlines")
def remind_proposal_deadlines():
    return services.remind_proposal_deadlines()


@shared_task(name="problems.refit_matching")
def refit_matching():
    """Weekly (beat): fusion weights refit from staff decisions on matches."""
    return str(matching.refit_matching())
