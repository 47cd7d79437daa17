from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from . import policies
from .models import Problem, Status
from .selectors import visible_problems


def board(request):
    problems = visible_problems(request.user).order_by("-created_at")
    status = request.GET.get("status")
    if status in Status.values:
        problems = problems.filter(status=status)
    page = Paginator(problems, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "problems/board.html",
        {
            "page": page,
            "statuses": Status.choices,
            "status": status,
            "full_view": {p.pk for p in page if policies.can_view(request.user, p)},
        },
    )


def detail(request, pk):
    problem = get_object_or_404(
        Problem.objects.select_related("enterprise", "industry_chain"), pk=pk
    )
    if policies.can_view(request.user, problem):
        return render(
            request,
            "problems/detail.html",
            {
                "problem": problem,
                "can_see_matches": policies.can_see_matches(request.user, problem),
                "matches": problem.matches.select_related("studio")[:10],
            },
        )
    if policies.can_view_summary(request.user, problem):
        return render(request, "problems/summary.html", {"problem": problem})
    raise Http404
