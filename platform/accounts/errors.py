"""The 403 page says why: an account still awaiting approval, a rejected
registration, or simply an action this person may not take."""

from django.shortcuts import render

from .people import person_of


def permission_denied(request, exception=None):
    user = getattr(request, "user", None)
    person = person_of(user)
    if person is not None and person.rejected_at:
        reason = "rejected"
    elif person is not None and not person.approved:
        reason = "pending"
    else:
        reason = "forbidden"
    # A PermissionDenied raised with a message carries a translated sentence
    # meant for the reader (e.g. "You may not withdraw this problem.").
    message = str(exception) if exception is not None and exception.args else ""
    return render(
        request,
        "403.html",
        {
            "reason": reason,
            "message": message,
            "signed_in": bool(user and user.is_authenticated),
        },
        status=403,
    )
