"""The admin and our pages speak Chinese: every field and model of our apps
carries a translated name, and our catalogue never overrides the
translations Wagtail and Django ship for their own words."""

import re

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

OUR_APPS = ("core", "organisations", "accounts", "studios", "problems", "search")
CJK = re.compile(r"[\u4e00-\u9fff]")

# Fields a model of ours inherits from a library's abstract base, named (or
# left unnamed) by that library and never shown in an edit form:
# wagtail.models.Orderable.sort_order and taggit's TaggedItemBase.tag.
# Fields inherited from Wagtail's Page (by multi-table inheritance) are
# skipped because their model is Wagtail's, not ours.
LIBRARY_FIELDS = {"sort_order", "tag"}


def our_models():
    return [m for m in apps.get_models() if m._meta.app_label in OUR_APPS]


def our_fields():
    for model in our_models():
        for field in model._meta.concrete_fields:
            if field.auto_created:  # the id and page_ptr columns
                continue
            if field.model._meta.app_label not in OUR_APPS:  # Wagtail's Page
                continue
            if field.name in LIBRARY_FIELDS:
                continue
            yield model, field


def zh(text):
    with translation.override("zh-hans"):
        return str(text)


def test_the_field_list_covers_every_app():
    """The field walk below is not vacuous: each app contributes fields."""
    labels = {model._meta.app_label for model, _field in our_fields()}
    assert labels == set(OUR_APPS)


@pytest.mark.parametrize(
    "model,field",
    list(our_fields()),
    ids=lambda v: getattr(v, "name", None) or getattr(v, "__name__", None),
)
def test_every_field_has_a_translated_label(model, field):
    name = f"{model._meta.label}.{field.name}"
    assert isinstance(field.verbose_name, Promise), (
        f"{name} has no gettext_lazy verbose_name: {field.verbose_name!r}"
    )
    assert CJK.search(zh(field.verbose_name)), (
        f"{name}: verbose_name {str(field.verbose_name)!r} has no zh-hans translation"
    )


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_every_model_has_translated_names(model):
    meta = model._meta
    for option in ("verbose_name", "verbose_name_plural"):
        # Set explicitly: Django's default plural appends an "s" to the
        # Chinese name ("工作室s").
        assert option in meta.original_attrs, f"{meta.label} has no {option}"
        value = getattr(meta, option)
        assert isinstance(value, Promise), f"{meta.label}.{option} is not lazy"
        assert CJK.search(zh(value)), (
            f"{meta.label}.{option} {str(value)!r} has no zh-hans translation"
        )
