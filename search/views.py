from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import public
from .forms import SearchForm

TYPE_LABELS = {
    "studio": _("Studios"),
    "achievement": _("Achievements"),
    "craftsman": _("Craftsmen"),
    "problem": _("Public problems"),
}
FACET_LABELS = {
    "type": _("Type"),
    "industry_chain": _("Industry chain"),
    "district": _("District"),
    "alliance": _("Alliance"),
    "level": _("Naming level"),
    "year": _("Year"),
}


def search_page(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "search/search.html", {"form": form}, status=400)
    data = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
    query = data.pop("q", "")
    page_number = data.pop("page", 1)
    result = public.search(query, data) if query else None
    page = Paginator(result.results if result else [], 10).get_page(page_number)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "query": query,
            "search": result,
            "page": page,
            "filters": data,
            "facets": _facet_links(query, data, result.facets) if result else [],
            "querystring": urlencode({"q": query, **data}),
            "type_labels": TYPE_LABELS,
        },
    )


def _facet_links(query, filters, facets):
    groups = []
    for name, values in facets.items():
        if not values:
            continue
        options = []
        for value, count in values[:12]:
            chosen = str(filters.get(name)) == str(value)
            params = {"q": query, **filters}
            if chosen:
                params.pop(name)
            else:
                params[name] = value
            label = TYPE_LABELS.get(value, value) if name == "type" else value
            options.append(
                {
                    "label": label,
                    "count": count,
                    "chosen": chosen,
                    "url": "?" + urlencode(params),
                }
            )
        groups.append({"label": FACET_LABELS[name], "options": options})
    return groups
