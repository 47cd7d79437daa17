"""Side work that follows a committed write — search indexing, matching, mail —
never turns that write into an error answer.

Once the transaction has committed, the user's change is saved: an answer of
500 would tell them otherwise, and a user who retries would save it twice. So
the work scheduled after the commit (run in-process when tasks are eager) is
guarded: a failure is logged with what failed and how to repair it, and the
response goes out as it should. With a Celery broker the tasks retry by
themselves; in-process, each caller names its repair in the log.
"""

import functools
import logging

from django.db import transaction

log = logging.getLogger("jianglian.aftercommit")


def guarded(func, what, repair=""):
    """``func``, logging its failure instead of raising it."""

    @functools.wraps(func)
    def run(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception:
            log.exception(
                "Work after a committed write failed (%s); the write itself "
                "is saved. %s",
                what,
                repair,
            )
            return None

    return run


def on_commit(func, what, repair=""):
    """Run ``func`` once the current transaction commits (at once outside
    one), guarded."""
    transaction.on_commit(guarded(func, what, repair))
