"""Every change that alters what a studio's index entry says schedules it.
(Problems schedule their own entries: problems/search.py.)"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from core.snippets import District, IndustryChain
from organisations.models import Enterprise
from studios.models import (
    Achievement,
    AlliancePage,
    Craftsman,
    Studio,
    StudioMember,
    StudioTag,
)
from studios.signals import studios_imported

from .tasks import enqueue_index_studios, schedule_index


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


@receiver(post_save, sender=IndustryChain)
@receiver(post_save, sender=District)
@receiver(post_save, sender=Enterprise)
def name_changed(sender, instance, **kwargs):
    schedule_index(instance.studios.values_list("pk", flat=True))


@receiver(studios_imported)
def studios_imported_indexed(sender, studio_ids, **kwargs):
    enqueue_index_studios(studio_ids)
