"""The union staff group follows migrations and people's roles; union staff
hear of background work that keeps failing."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import outbox
from notifications.messages import register
from notifications.services import MAIL_TASKS, notify, send_email

from .models import Person, Role
from .staff import ensure_staff_group, sync_membership

JOB_FAILING = register(
    "background.failing",
    _(
        "Background job #%(id)s (%(task)s) keeps failing (%(failures)s times): "
        "%(error)s"
    ),
)


@receiver(post_migrate)
def staff_group_after_migrate(app_config, using="default", **kwargs):
    """After the last app's post_migrate: every app's permissions exist then."""
    # post_migrate is sent once per app that has models, in INSTALLED_APPS order
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if app_config is not last or using != "default":
        return
    ensure_staff_group()


@receiver(post_save, sender=Person)
def person_saved(sender, instance, **kwargs):
    sync_membership(instance)


def union_staff():
    """Active union staff (and superusers): who hears of failing work."""
    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(person__role=Role.STAFF), is_active=True
    )


@receiver(outbox.failing)
def tell_staff_of_failing_work(sender, job, **kwargs):
    """Once per job (core.outbox claims the alert): on the site and by email
    to union staff, and by email to ADMINS — on the site only when the job
    that fails delivers mail: an alert mailed through a server that is away
    would fail and raise an alert of its own, and so on without end."""
    error = (job.last_error.strip().splitlines() or [""])[-1][:300]
    params = {
        "id": job.pk,
        "task": job.task,
        "failures": job.failures,
        "error": error,
    }
    url = reverse("background_work:inspect", args=[job.pk])
    by_mail = job.task not in MAIL_TASKS
    notify(
        recipients=union_staff(),
        key=JOB_FAILING,
        params=params,
        url=url,
        email=by_mail,
    )
    if not by_mail:
        return
    body = (
        f"Background job #{job.pk} ({job.task}, arguments {job.args}) has failed "
        f"{job.failures} times; state: {job.state}.\n\nLast error:\n"
        f"{job.last_error[-2000:]}\n\nSee it, and send it again, in the admin: "
        f"{url}"
    )
    for _name, address in settings.ADMINS:
        send_email(
            to=address,
            subject=f"[Jianglian] background job #{job.pk} ({job.task}) keeps failing",
            body=body,
        )
