"""Attachments go to STORAGES["private"], whatever backend it names."""

import pytest
from django.conf import settings as django_settings

from problems.attachments import store
from problems.models import Attachment, Problem
from tests.factories import EnterpriseFactory, person

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def stored_attachment():
    enterprise = EnterpriseFactory()
    owner = person("enterprise", enterprise=enterprise)
    problem = Problem.objects.create(enterprise=enterprise, title="t", description="d")
    (attachment,) = store(problem, [("报告.pdf", "application/pdf", PDF)], owner)
    return Attachment.objects.get(pk=attachment.pk)


def test_files_land_in_the_private_folder_not_under_media_root(private_folder):
    attachment = stored_attachment()
    assert (private_folder / attachment.file.name).read_bytes() == PDF
    media = django_settings.MEDIA_ROOT
    assert not (media / attachment.file.name).exists()
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF


def test_the_backend_is_chosen_in_settings(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    attachment = stored_attachment()
    assert not list(tmp_path.rglob("*"))
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF
