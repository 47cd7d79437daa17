"""Attachments: checked, cleaned, stored privately, served through a view."""

import io
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
ZIP_OFFICE = "application/zip"
ALLOWED = {  # extension -> content types its bytes may sniff as
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "webp": {"image/webp"},
    "pdf": {"application/pdf"},
    "docx": {
        ZIP_OFFICE,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    },
    "xlsx": {
        ZIP_OFFICE,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    },
    "pptx": {
        ZIP_OFFICE,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    },
}
SERVED_AS = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


class PrivateStorage(LazyObject):
    """Outside MEDIA_ROOT: nothing here is reachable by a URL of its own."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


private_storage = PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(setting, **kwargs):
    if setting == "PRIVATE_MEDIA_ROOT":
        private_storage._wrapped = empty


def clean_upload(upload):
    """(safe name, content type, bytes) or a ValidationError saying what is wrong."""
    name = PurePath(upload.name).name[-120:]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            _("%(name)s: only %(kinds)s files are accepted.")
            % {"name": name, "kinds": ", ".join(sorted(ALLOWED))}
        )
    if upload.size > MAX_BYTES:
        raise ValidationError(_("%(name)s is larger than 10 MB.") % {"name": name})
    data = upload.read()
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED[extension]:
        raise ValidationError(
            _("%(name)s is not really a .%(ext)s file.")
            % {"name": name, "ext": extension}
        )
    if SERVED_AS[extension].startswith("image/"):
        data = _without_metadata(data, name)
    return name, SERVED_AS[extension], data


def _without_metadata(data, name):
    """Re-encode the pixels only: EXIF (GPS, camera, time) and comments go."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            clean = image.copy()
            clean.info = {}
            out = io.BytesIO()
            clean.save(out, format=image.format, exif=b"")
            return out.getvalue()
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError(
            _("%(name)s is not a readable image.") % {"name": name}
        ) from exc


def store(problem, uploads, user, proposal=None):
    from .models import Attachment

    saved = []
    folder = f"problems/{problem.pk}" + (
        f"/proposals/{proposal.pk}" if proposal else ""
    )
    for name, content_type, data in uploads:
        stored_name = private_storage.save(f"{folder}/{name}", ContentFile(data))
        saved.append(
            Attachment.objects.create(
                problem=problem,
                proposal=proposal,
                file=stored_name,
                name=name,
                content_type=content_type,
                size=len(data),
                uploaded_by=user,
            )
        )
    return saved
