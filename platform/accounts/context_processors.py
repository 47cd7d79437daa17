"""What the header shows about the person reading the page.

Nothing here touches the database for anonymous visitors: their pages are
cached whole and shared, so nothing user-specific may be rendered for them.
For a signed-in person the unread-notification count is one query, run only
if the header actually renders it (a callable is resolved lazily by the
template engine)."""

from .people import enterprise_of, is_staff, person_of


def account_menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"account": None}
    person = person_of(user)
    return {
        "account": {
            "name": user.get_full_name() or user.get_username(),
            "pending": bool(person and not person.approved),
            "can_post_problem": enterprise_of(user) is not None,
            "staff": is_staff(user),
            # Related manager: no import of the problems app (layering).
            "unread": lambda: user.notifications.filter(read_at__isnull=True).count(),
        }
    }
