"""How a person is named on reports and certificates."""


def person_name(user) -> str:
    """A Chinese name family name first, without a space (寇卫东); others as
    Django writes them (first last), or the username."""
    if user is None:
        return ""
    first, last = user.first_name.strip(), user.last_name.strip()
    if first and last and not (first + last).isascii():
        return f"{last}{first}"
    return user.get_full_name() or user.get_username()
