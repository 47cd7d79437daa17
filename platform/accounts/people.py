"""Who is who: the role checks every permission starts from."""

from .models import Role


def person_of(user):
    if not user or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def is_staff(user):
    if not user or not user.is_authenticated:
        return False
    person = person_of(user)
    return user.is_superuser or bool(person and person.role == Role.STAFF)


def enterprise_of(user):
    person = person_of(user)
    if person and person.approved and person.role == Role.ENTERPRISE:
        return person.enterprise
    return None


def studio_of(user):
    person = person_of(user)
    if person and person.approved and person.role == Role.CRAFTSMAN:
        return person.studio
    return None
