"""Attachments: checked, cleaned, stored privately, served through a view."""

import io
import re
import unicodedata
import warnings
import zipfile

import filetype
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
# Pixels an image may have: 40 MP (a 7,300 × 5,500 photo). Decoded RGBA that
# is 160 MB; a 13,000 × 13,000 PNG of a few hundred KB would be 680 MB.
MAX_PIXELS = 40_000_000
# A stored name: at most 100 characters and 180 bytes of UTF-8 (a file system
# allows 255 bytes; the storage may add a 8-character suffix).
MAX_NAME_CHARS = 100
MAX_NAME_BYTES = 180
# An Office file is a zip holding these parts (ECMA-376 Open Packaging).
OOXML_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
# Markup a browser would run if it ever took the file for a web page: a
# PDF/HTML or zip/HTML polyglot. Looked for near the start, where sniffing
# browsers (and polyglots) put it.
MARKUP = re.compile(
    rb"<\s*(?:html|script|body|head|iframe|svg|object|embed|meta|!doctype)\b",
    re.IGNORECASE,
)
MARKUP_WINDOW = 64 * 1024
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
    """``STORAGES["private"]``, looked up when first used (as Django's own
    ``default_storage``): the attachment field keeps this one object, and
    still follows a change of STORAGES (a test's own folder)."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


def safe_name(raw):
    """A file name safe to show and to store: no folders, no control or
    format characters, only letters, digits, '-', '_' and '.', the extension
    kept and the rest shortened to MAX_NAME_CHARS / MAX_NAME_BYTES."""
    name = unicodedata.normalize("NFC", str(raw or "")).replace("\\", "/")
    name = name.rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    try:
        name = get_valid_filename(name)
    except SuspiciousFileOperation:
        name = ""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = extension[:10]
    stem = stem.strip(".") or "file"
    suffix = f".{extension}" if extension else ""
    budget_chars = MAX_NAME_CHARS - len(suffix)
    budget_bytes = MAX_NAME_BYTES - len(suffix.encode())
    stem = stem[:budget_chars]
    while len(stem.encode()) > budget_bytes:
        stem = stem[:-1]
    return stem + suffix


def clean_upload(upload):
    """(safe name, content type, bytes) or a ValidationError saying what is wrong."""
    name = safe_name(upload.name)
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
        return name, SERVED_AS[extension], _without_metadata(data, name)
    if extension in OOXML_PARTS and not _is_ooxml(data, OOXML_PARTS[extension]):
        raise ValidationError(
            _("%(name)s is not really a .%(ext)s file.")
            % {"name": name, "ext": extension}
        )
    if MARKUP.search(data[:MARKUP_WINDOW]):
        raise ValidationError(
            _("%(name)s contains web-page code (HTML or script) and is refused.")
            % {"name": name}
        )
    return name, SERVED_AS[extension], data


def _is_ooxml(data, main_part):
    """A real Office Open XML package: a readable zip holding the content
    types and the document's main part (any zip sniffs as "application/zip")."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False
    return "[Content_Types].xml" in names and main_part in names


def _without_metadata(data, name):
    """Re-encode the pixels only: EXIF (GPS, camera, time) and comments go.
    The size is read from the header first: an image above MAX_PIXELS is
    refused before a single pixel is decoded."""
    too_large = ValidationError(
        _("%(name)s has too many pixels (at most %(mp)d megapixels).")
        % {"name": name, "mp": MAX_PIXELS // 1_000_000}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise too_large
                image.load()
                image.info = {}
                out = io.BytesIO()
                image.save(out, format=image.format, exif=b"")
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(
            _("%(name)s is not a readable image.") % {"name": name}
        ) from exc


def store(problem, uploads, user, proposal=None):
    from .models import Attachment  # models import this module for its storage

    saved = []
    folder = f"problems/{problem.pk}" + (
        f"/proposals/{proposal.pk}" if proposal else ""
    )
    written = []
    try:
        for name, content_type, data in uploads:
            stored_name = private_storage.save(f"{folder}/{name}", ContentFile(data))
            written.append(stored_name)
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
    except Exception:
        # Nothing half-stored: the rows roll back with the caller's
        # transaction, the files written so far go here.
        for stored_name in written:
            private_storage.delete(stored_name)
        raise
    return saved
