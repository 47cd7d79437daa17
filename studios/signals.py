"""Signals studios send for apps above them to act on (studios import none)."""

from django.dispatch import Signal

# Sent once a studio import has committed, with ``studio_ids``: the studios it
# created or changed (bulk writes send no post_save).
studios_imported = Signal()
