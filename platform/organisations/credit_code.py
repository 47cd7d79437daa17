"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18
characters from a 31-character alphabet, the last one a check character."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalise(code):
    return (code or "").strip().replace(" ", "").upper()


def check_character(first17):
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value):
    code = normalise(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters."), code="length"
        )
    if any(c not in ALPHABET for c in code):
        raise ValidationError(
            _(
                "A unified social credit code uses only digits and capital "
                "letters other than I, O, Z, S and V."
            ),
            code="alphabet",
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("This unified social credit code is not valid (check digit)."),
            code="check_digit",
        )
