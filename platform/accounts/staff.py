"""Union staff administer everything: a person with the staff role is in the
"Union staff" group, which may use the Wagtail admin, edit the showcase
(studios, craftsmen, pages, images, documents, snippets, thesaurus), manage
people, and review problems there. The group is kept up to date after every
migrate; membership follows the person's role."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .models import Role

GROUP_NAME = "Union staff"

# app label -> model names whose add/change/delete/view (and publish) it gets;
# "view+change" models are read and corrected, not created or deleted here.
FULL = {
    "studios": [
        "studio",
        "craftsman",
        "achievement",
        "studiomember",
        "studiophoto",
        "studiotag",
        "alliancepage",
        "alliancechair",
        "allianceindexpage",
        "storypage",
        "storyindexpage",
    ],
    "core": ["industrychain", "district", "honour", "homepage"],
    "organisations": ["enterprise"],
    "search": ["thesaurusentry"],
    "accounts": ["person"],
}
VIEW_CHANGE = {
    "problems": ["problem", "proposal", "outcome"],
    "core": ["backgroundjob"],  # background work: seen, and sent again
}
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}


def _permissions():
    rule = Q(content_type__app_label="wagtailadmin", codename="access_admin")
    for app, models in FULL.items():
        for model in models:
            rule |= Q(content_type__app_label=app, content_type__model=model)
    for app, models in VIEW_CHANGE.items():
        for model in models:
            rule |= Q(
                content_type__app_label=app,
                codename__in=[f"view_{model}", f"change_{model}"],
            )
    for app, codenames in COLLECTION_PERMISSIONS.items():
        rule |= Q(content_type__app_label=app, codename__in=codenames)
    return Permission.objects.filter(rule)


def ensure_staff_group():
    """Create or complete the group (idempotent; run after every migrate)."""
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
    )

    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*_permissions())
    root = Page.get_first_root_node()
    if root is not None:
        for codename in PAGE_PERMISSIONS:
            permission = Permission.objects.filter(
                content_type__app_label="wagtailcore", codename=codename
            ).first()
            if permission:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root, permission=permission
                )
    collection = Collection.get_first_root_node()
    if collection is not None:
        for app, codenames in COLLECTION_PERMISSIONS.items():
            for permission in Permission.objects.filter(
                content_type__app_label=app, codename__in=codenames
            ):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )
    return group


def sync_membership(person):
    """A union staff person is in the group; anyone else is not."""
    group = Group.objects.filter(name=GROUP_NAME).first() or ensure_staff_group()
    if person.role == Role.STAFF:
        person.user.groups.add(group)
    else:
        person.user.groups.remove(group)
