from celery import shared_task

from . import services


@shared_task(name="joint_sessions.run_due")
def run_due():
    """Beat, every ten minutes: lapse expired seat offers (each seat passes to
    the next person), send the 24 h / 2 h reminders, remind organisers of
    unpublished reports. Safe to run twice at once."""
    return services.run_due()
