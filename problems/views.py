from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.people import enterprise_of
from core.filters import filtered_page
from core.hooks import PROBLEM_PAGE_PANELS, panels_from
from core.idempotency import claim, record
from core.snippets import District
from core.tags import format_tags
from studios.models import AlliancePage

from . import history, policies, services
from .actions import ACTIONS, MESSAGES
from .filters import BoardFilter
from .forms import OutcomeForm, ProblemForm, ProposalForm
from .models import Attachment, Problem, Proposal, Status
from .selectors import (
    board_chains,
    board_results,
    likely_duplicates,
    overdue_proposals,
    similar_solved,
)
from .transitions import TRANSITIONS

MERGEABLE = TRANSITIONS["merge"].sources
# Attachments shown as a thumbnail (their own, permission-checked download)
PREVIEWABLE = ("image/jpeg", "image/png", "image/webp")
# Actions whose form is repeated per match or proposal: the field naming it
PER_OBJECT = {
    "decide_match": "match",
    "accept_proposal": "proposal",
    "decline_proposal": "proposal",
}


def board(request):
    return filtered_page(
        request,
        BoardFilter(request.GET, user=request.user),
        "problems/board.html",
        per_page=20,
        context={
            "statuses": Status.choices,
            "chains": board_chains(request.user),
            "alliances": AlliancePage.objects.live().order_by("title"),
            "districts": District.objects.order_by("name"),
        },
    )


def _visible_or_404(user, pk):
    problem = get_object_or_404(
        Problem.objects.select_related("enterprise", "industry_chain"), pk=pk
    )
    if not policies.can_view(user, problem):
        raise Http404
    return problem


def detail(request, pk, error=None, error_for="", status=200):
    problem = get_object_or_404(
        Problem.objects.select_related("enterprise", "industry_chain"), pk=pk
    )
    user = request.user
    access = policies.access(user, problem)
    if access is None:
        raise Http404
    if access == policies.SUMMARY:
        return render(request, "problems/summary.html", {"problem": problem})
    available = policies.available_actions(user, problem)
    matches = list(problem.matches.select_related("studio")[:10])
    proposals = list(
        policies.visible_proposals(user, problem)
        .select_related("studio")
        .prefetch_related("attachments")
    )
    # The forms the page offers, by HTML id: where a refusal's reason goes
    shown = {f"act-{a}" for a in available if a not in PER_OBJECT}
    for m in matches:
        m.form_id = f"act-decide_match-{m.pk}"
        if "decide_match" in available:
            shown.add(m.form_id)
    for p in proposals:
        p.accept_form_id = f"act-accept_proposal-{p.pk}"
        p.decline_form_id = f"act-decline_proposal-{p.pk}"
        if p.state == Proposal.State.SUBMITTED:
            shown |= {
                getattr(p, f"{a.split('_')[0]}_form_id")
                for a in ("accept_proposal", "decline_proposal")
                if a in available
            }
    return render(
        request,
        "problems/detail.html",
        {
            "problem": problem,
            "error": error,
            "error_for": error_for,
            "error_beside": error_for in shown,
            "available": available,
            "can_edit": policies.can_edit(user, problem),
            "can_see_matches": policies.can_see_matches(user, problem),
            "can_download": policies.can_download_attachments(user, problem),
            "previewable": PREVIEWABLE,
            "can_propose": policies.can_propose(user, problem),
            "is_owner": policies.is_owner(user, problem),
            "is_staff": policies.is_staff(user),
            "matches": matches,
            # Who was invited, and which studios declined and why.
            "invitations": problem.invitations.select_related("studio").order_by(
                "created_at"
            )
            if policies.can_see_matches(user, problem)
            else [],
            "proposals": proposals,
            "outcome": getattr(problem, "outcome", None),
            "problem_files": problem.attachments.filter(proposal__isnull=True),
            "events": history.lines(problem.events.select_related("actor"))
            if policies.can_see_matches(user, problem)
            else [],
            "proposal_form": ProposalForm(),
            "outcome_form": OutcomeForm(),
            # joint sessions and other panels of apps above the board
            "panels": panels_from(PROBLEM_PAGE_PANELS, request, problem),
            "decline_reasons": Proposal.DeclineReason.choices,
            "similar": similar_solved(problem, user),
            "mergeable": MERGEABLE,
            "duplicates": likely_duplicates(problem)
            if policies.is_staff(user) and problem.status in MERGEABLE
            else [],
            "can_rematch": policies.can_rematch(user, problem),
            "matching_queued": services.pending_matching(problem.pk)
            if policies.can_rematch(user, problem)
            else None,
        },
        status=status,
    )


@login_required
def new(request):
    enterprise = enterprise_of(request.user)
    if enterprise is None:
        raise PermissionDenied
    return _edit(request, Problem(enterprise=enterprise, created_by=request.user))


@login_required
def edit(request, pk):
    problem = _visible_or_404(request.user, pk)
    if not policies.can_edit(request.user, problem):
        raise PermissionDenied
    return _edit(request, problem)


def _edit(request, problem):
    form = ProblemForm(
        request.POST or None,
        request.FILES or None,
        instance=problem,
        initial={"tag_names": format_tags(problem.tags.names()) if problem.pk else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                token = form.cleaned_data.get("submission")
                claimed, earlier = (
                    claim(request.user, "problems:new", token)
                    if problem.pk is None and token
                    else (None, None)
                )
                if earlier is not None:  # this form was saved already: show it
                    return redirect("problems:detail", pk=earlier)
                saved = services.save_problem(
                    user=request.user,
                    problem=problem,
                    fields={
                        name: form.cleaned_data[name]
                        for name in ProblemForm._meta.fields
                        if name in form.cleaned_data
                    },
                    tags=form.tags(),
                    files=form.cleaned_data["files"],
                    version=form.cleaned_data["version"] if problem.pk else None,
                )
                if claimed:
                    record(claimed, saved.pk)
            return redirect(saved.get_absolute_url())
        except services.EditConflict as conflict:
            # Someone saved (or moved) the problem since this form was opened:
            # keep what was typed, say so, and let a second save overwrite
            # knowingly.
            data = request.POST.copy()
            data["version"] = conflict.current_version
            return render(
                request,
                "problems/edit.html",
                {
                    "form": ProblemForm(data, instance=problem),
                    "problem": problem,
                    "conflict": _(
                        "Someone else changed this problem while you were editing "
                        "it. Your text is kept below: compare it with the current "
                        "problem, then save again to replace theirs."
                    ),
                },
                status=409,
            )
    return render(
        request,
        "problems/edit.html",
        {"form": form, "problem": problem},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def act(request, pk, action):
    problem = get_object_or_404(Problem, pk=pk)
    if action not in ACTIONS or not policies.can_view(request.user, problem):
        raise Http404
    try:
        result = ACTIONS[action](problem, request.user, request.POST, request.FILES)
    except Problem.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        # Refused: the same page, the reason in words beside the form it
        # came from (or at the top if that form is no longer offered).
        return detail(
            request,
            pk,
            error=" ".join(exc.messages),
            error_for=form_id(action, request.POST),
            status=409,
        )
    messages.success(request, MESSAGES[action](result))
    unreachable = getattr(result, "unreachable", ())
    if unreachable:
        messages.warning(
            request,
            _(
                "Nobody was notified for %(studios)s: no approved member is "
                "registered. Please reach the studio another way."
            )
            % {"studios": "、".join(s.name for s in unreachable)},
        )
    return redirect(problem.get_absolute_url() + "#messages")


@login_required
@require_POST
def rematch(request, pk):
    """Union staff run the matching again; a second click while it waits
    queues nothing more."""
    problem = _visible_or_404(request.user, pk)
    if not policies.is_staff(request.user):
        raise PermissionDenied
    try:
        job = services.rematch_problem(problem=problem, user=request.user)
    except ValidationError as exc:
        return detail(
            request, pk, error=" ".join(exc.messages), error_for="rematch", status=409
        )
    queued_at = formats.date_format(timezone.localtime(job.created_at), "Y-m-d H:i:s")
    messages.success(request, _("Matching queued at %(time)s.") % {"time": queued_at})
    return redirect(problem.get_absolute_url() + "#rematch")


def form_id(action, data):
    """The HTML id of an action's form on the problem page (forms repeated per
    match or proposal carry its number)."""
    key = PER_OBJECT.get(action)
    number = str(data.get(key, "")) if key else ""
    if number.isascii() and number.isdigit():
        return f"act-{action}-{number}"
    return f"act-{action}"


def results(request):
    return render(request, "problems/results.html", board_results())


@login_required
def overdue(request):
    if not policies.is_staff(request.user):
        raise PermissionDenied
    return render(request, "problems/overdue.html", {"proposals": overdue_proposals()})


@login_required
def download(request, pk, attachment_id):
    problem = _visible_or_404(request.user, pk)
    if not policies.can_download_attachments(request.user, problem):
        raise Http404
    attachment = get_object_or_404(Attachment, pk=attachment_id, problem=problem)
    if not policies.can_download(request.user, attachment):
        raise Http404  # another studio's proposal: its files do not exist for you
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
