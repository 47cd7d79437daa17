"""django-filter pieces for our list pages: filters whose form fields carry
the project's bounds (``core.limits``), so a bad value is a form error the
page answers with 400, never a 500 from the database; and the list page
they serve (``filtered_page``)."""

from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from .limits import IdField, PageField


class IdFilter(django_filters.Filter):
    """Rows related to the one with this id (1 … 2**63 - 1)."""

    field_class = IdField


class IntegerFilter(django_filters.Filter):
    """A whole number (django-filter's NumberFilter takes decimals)."""

    field_class = forms.IntegerField


class PageFilter(django_filters.Filter):
    """The page number: checked with the filters, applied by the paginator."""

    field_class = PageField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", PageField().label)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs


def chosen(filterset):
    """The filters the reader chose, as cleaned values (the page included):
    what the page shows as selected and repeats in its paging links."""
    return {
        name: value
        for name, value in filterset.form.cleaned_data.items()
        if value not in ("", None)
    }


def filtered_page(request, filterset, template, *, per_page, context=None):
    """A list page: one page of the filterset's rows, the filters the reader
    chose (``filters``, the page number left out) and the same as a query
    string for the paging links (``querystring``). A bad filter value answers
    400 with the form's errors."""
    if not filterset.is_valid():
        return render(
            request, "core/bad_filter.html", {"form": filterset.form}, status=400
        )
    filters = chosen(filterset)
    page = Paginator(filterset.qs, per_page).get_page(filters.pop("page", 1))
    return render(
        request,
        template,
        {
            "page": page,
            "filters": filters,
            "querystring": urlencode(filters),
            **(context or {}),
        },
    )
