"""Every change that alters what an index entry says schedules it: studios,
and public problems (also a studio's evidence once it solved them)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from core.snippets import District, IndustryChain
from organisations.models import Enterprise
from problems.models import Outcome, Problem, ProblemTag, Status
from studios.models import (
    Achievement,
    AlliancePage,
    Craftsman,
    Studio,
    StudioMember,
    StudioTag,
)

from .tasks import schedule_index, schedule_problem_index

# statuses a problem can have once its outcome is recorded
WITH_OUTCOME = {
    Status.IMPLEMENTING,
    Status.SOLVED,
    Status.PARTLY_SOLVED,
    Status.NOT_SOLVED,
    Status.CLOSED,
}


@receiver(post_save, sender=Studio)
@receiver(post_delete, sender=Studio)
def studio_changed(sender, instance, **kwargs):
    schedule_index([instance.pk])


@receiver(post_save, sender=Achievement)
@receiver(post_delete, sender=Achievement)
@receiver(post_save, sender=StudioMember)
@receiver(post_delete, sender=StudioMember)
def part_changed(sender, instance, **kwargs):
    schedule_index([instance.studio_id])


@receiver(post_save, sender=StudioTag)
@receiver(post_delete, sender=StudioTag)
def tag_changed(sender, instance, **kwargs):
    schedule_index([instance.content_object_id])


@receiver(m2m_changed, sender=Studio.alliances.through)
def alliances_changed(sender, instance, action, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Studio):
        schedule_index([instance.pk])
    else:
        schedule_index(pk_set or [])


@receiver(post_save, sender=Craftsman)
def craftsman_changed(sender, instance, **kwargs):
    schedule_index(instance.memberships.values_list("studio_id", flat=True))


@receiver(post_save, sender=AlliancePage)
def alliance_changed(sender, instance, **kwargs):
    schedule_index(instance.studios.values_list("pk", flat=True))
    schedule_problem_index(instance.problems.values_list("pk", flat=True))


@receiver(post_save, sender=IndustryChain)
@receiver(post_save, sender=District)
@receiver(post_save, sender=Enterprise)
def name_changed(sender, instance, **kwargs):
    schedule_index(instance.studios.values_list("pk", flat=True))
    field = {
        IndustryChain: "industry_chain",
        District: "enterprise__district",
        Enterprise: "enterprise",
    }[sender]
    problems = Problem.objects.filter(**{field: instance})
    schedule_problem_index(problems.values_list("pk", flat=True))


@receiver(post_save, sender=Problem)
@receiver(post_delete, sender=Problem)
def problem_changed(sender, instance, **kwargs):
    schedule_problem_index([instance.pk])
    if instance.status not in WITH_OUTCOME:
        return  # no outcome yet: no studio's evidence to refresh
    studio_id = (
        Outcome.objects.filter(problem_id=instance.pk)
        .values_list("studio_id", flat=True)
        .first()
    )
    if studio_id:
        schedule_index([studio_id])


@receiver(post_save, sender=ProblemTag)
@receiver(post_delete, sender=ProblemTag)
def problem_tag_changed(sender, instance, **kwargs):
    schedule_problem_index([instance.content_object_id])


@receiver(m2m_changed, sender=Problem.alliances.through)
def problem_alliances_changed(sender, instance, action, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Problem):
        schedule_problem_index([instance.pk])
    else:
        schedule_problem_index(pk_set or [])


@receiver(post_save, sender=Outcome)
@receiver(post_delete, sender=Outcome)
def outcome_changed(sender, instance, **kwargs):
    schedule_index([instance.studio_id])
