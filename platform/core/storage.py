"""Public media storage whose uploaded images get names nobody can guess.

Wagtail keeps an uploaded image at ``original_images/<its upload name>`` and
each resized copy at ``images/<that name>.<filter>.<ext>``, served as plain
files without a permission check. Phone photos are named by the time they
were taken (``IMG_20261201_093012.jpg``), so a photo of a joint session on a
confidential problem — shown only on a report page its readers may see —
could be fetched by anyone trying times. Here an original image is stored
under 128 random bits instead, and its resized copies, named after it,
inherit them: the address is known only to those shown the page.
"""

import posixpath
import secrets

from django.core.files.storage import FileSystemStorage, InMemoryStorage

UNGUESSABLE_FOLDERS = frozenset({"original_images"})


class UnguessableImageNames:
    def generate_filename(self, filename):
        filename = super().generate_filename(filename)
        folder, name = posixpath.split(filename)
        if folder in UNGUESSABLE_FOLDERS:
            extension = posixpath.splitext(name)[1].lower()[:8]
            filename = posixpath.join(folder, secrets.token_hex(16) + extension)
        return filename


class MediaStorage(UnguessableImageNames, FileSystemStorage):
    """The default storage: MEDIA_ROOT, served at MEDIA_URL."""


class InMemoryMediaStorage(UnguessableImageNames, InMemoryStorage):
    """The same naming in memory, for tests."""
