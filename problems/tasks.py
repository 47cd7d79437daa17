import logging

from celery import shared_task

from core.tasks import Task

from . import matching, services

log = logging.getLogger(__name__)


@shared_task(
    name="problems.match_problem",
    base=Task,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def match_problem_task(problem_id):
    return matching.match_stored_problem(problem_id)


@shared_task(name="problems.remind_proposal_deadlines", base=Task)
def remind_proposal_deadlines():
    return services.remind_proposal_deadlines()
