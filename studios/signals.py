"""Signals studios send for apps above them to act on (studios import none)."""

from django.dispatch import Signal

# Sent inside a studio import's transaction, with ``studio_ids``: the studios
# it created or changed (bulk writes send no post_save). Receivers record
# their work in that transaction (core.outbox), so it commits with the rows.
studios_imported = Signal()
