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

from .tasks import enqueue_index_studios, m2m_changed_ids, schedule_index

# the field of each model that names the studio it is part of
STUDIO_OF = {
    Studio: "pk",
    Achievement: "studio_id",
    StudioMember: "studio_id",
    StudioTag: "content_object_id",
}


@receiver([post_save, post_delete], sender=Studio)
@receiver([post_save, post_delete], sender=Achievement)
@receiver([post_save, post_delete], sender=StudioMember)
@receiver([post_save, post_delete], sender=StudioTag)
def studio_part_changed(sender, instance, **kwargs):
    schedule_index([getattr(instance, STUDIO_OF[sender])])


@receiver(m2m_changed, sender=Studio.alliances.through)
def alliances_changed(sender, instance, action, pk_set, **kwargs):
    schedule_index(m2m_changed_ids(Studio, instance, action, pk_set))


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
