"""What is derived from a problem follows it once a change commits: the
achievement of its verified outcome (title, solution and benefit are public
only while the problem is)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Outcome, Problem
from .services import refresh_achievement


@receiver(post_save, sender=Problem)
def problem_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    problem_id = instance.pk
    transaction.on_commit(lambda: refresh_achievement(problem_id=problem_id))


@receiver(post_save, sender=Outcome)
def outcome_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.achievement_id is None:
        return
    problem_id = instance.problem_id
    transaction.on_commit(lambda: refresh_achievement(problem_id=problem_id))
