"""Posting twice makes one thing: see models.SubmissionKey."""

from django.db import IntegrityError, transaction

from .models import SubmissionKey

MAX_KEY_LENGTH = 64


def claim(user, scope, key):
    """Claim ``key`` inside the caller's transaction.

    Returns ``(claimed, earlier)``: the new SubmissionKey to record the result
    on, or — when this key was already used — None and the earlier result.
    A concurrent first sending holds the key until its transaction ends (the
    unique index makes this one wait for it), so the answer is never a guess.
    """
    try:
        with transaction.atomic():
            return SubmissionKey.objects.create(user=user, scope=scope, key=key), None
    except IntegrityError:
        earlier = SubmissionKey.objects.get(user=user, scope=scope, key=key)
        return None, earlier.result


def record(claimed, result):
    claimed.result = str(result)
    claimed.save(update_fields=["result"])
