from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.limits import parse_id

from . import services


@login_required
@require_POST
def mark_read(request):
    """Mark the notifications named by ``id`` read (all unread ones without
    an id), then back to ``next`` (a page of this site). Numbers of another
    person's notifications change nothing."""
    try:
        ids = [parse_id(v, _("Notification")) for v in request.POST.getlist("id")]
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    services.mark_read(user=request.user, ids=ids or None)
    after = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        after, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        after = "/"
    return redirect(after)
