"""The printable participation certificate (参与证明) of one attended session,
as a PDF with its Chinese font embedded.

Library: fpdf2 (pure Python, maintained, embeds and subsets TrueType and
OpenType/CFF fonts through fontTools, which the project already has). Font:
Noto Sans SC Regular (SIL Open Font License 1.1) as shipped by the PyPI package
``pylopdf-fonts-zh-cn``, so ``pip install -r requirements.txt`` brings it on a
developer's clone, in CI and in production alike — no Debian font package, no
file to download by hand. Only the glyphs the certificate uses are embedded
(a subset, a few kB), so the PDF shows the same on a computer without Chinese
fonts and its text can be copied and searched.
"""

from functools import lru_cache

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from pylopdf_fonts_zh_cn import sans_path

from .naming import person_name

FONT = "NotoSansSC"


@lru_cache(maxsize=1)
def font_path():
    return str(sans_path())


def _width(pdf, text, size):
    pdf.set_font(FONT, size=size)
    return pdf.get_string_width(text)


def certificate_pdf(registration) -> bytes:
    """The certificate of ``registration`` (an attended seat) as PDF bytes."""
    session = registration.session
    held_on = date_format(timezone.localtime(session.starts_at), "DATE_FORMAT")
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_("Certificate of participation"))
    pdf.set_author(str(session.alliance.title))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font(FONT, fname=font_path())
    pdf.set_draw_color(160, 30, 30)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)
    pdf.set_line_width(0.4)
    pdf.rect(16, 16, pdf.w - 32, pdf.h - 32)

    pdf.set_text_color(160, 30, 30)
    pdf.set_font(FONT, size=34)
    pdf.set_y(38)
    pdf.cell(0, 16, _("Certificate of participation"), align="C")
    pdf.ln(26)

    pdf.set_text_color(30, 30, 30)
    pdf.set_font(FONT, size=24)
    pdf.cell(0, 12, person_name(registration.user), align="C")
    pdf.ln(16)
    pdf.set_font(FONT, size=14)
    studio = registration.studio.name if registration.studio else ""
    if studio:
        pdf.cell(0, 8, studio, align="C")
        pdf.ln(14)
    pdf.set_x(40)
    pdf.multi_cell(
        pdf.w - 80,
        9,
        _("took part on %(date)s in the joint problem-solving session")
        % {"date": held_on},
        align="C",
    )
    pdf.ln(4)
    # the title on a line of its own, made smaller until it fits: never
    # broken, so it reads (and is found in the text layer) whole
    size = 22
    while size > 9 and _width(pdf, session.title, size) > pdf.w - 60:
        size -= 1
    pdf.set_font(FONT, size=size)
    pdf.cell(0, 12, session.title, align="C")
    pdf.ln(16)
    pdf.set_font(FONT, size=13)
    pdf.set_x(40)
    details = [
        _("organised by %(alliance)s") % {"alliance": session.alliance.title},
        _("skill: %(skill)s") % {"skill": registration.quota.skill},
    ]
    if session.address:
        details.insert(1, _("at %(address)s") % {"address": session.address})
    pdf.multi_cell(pdf.w - 80, 8, " · ".join(details), align="C")
    pdf.set_font(FONT, size=10)
    pdf.set_text_color(90, 90, 90)
    pdf.set_y(pdf.h - 44)
    pdf.cell(
        0,
        6,
        _("Issued by %(alliance)s on the Jianglian platform")
        % {"alliance": session.alliance.title},
        align="C",
    )
    pdf.ln(7)
    pdf.cell(
        0,
        6,
        _("Certificate no. %(number)s · checked in %(when)s")
        % {
            "number": f"JL-{session.pk:04d}-{registration.pk:05d}",
            "when": date_format(
                timezone.localtime(registration.checked_in_at), "Y-m-d H:i"
            )
            if registration.checked_in_at
            else held_on,
        },
        align="C",
    )
    return bytes(pdf.output())
