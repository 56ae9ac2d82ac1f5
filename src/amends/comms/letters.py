"""A letter as the customer will read it: one structure, rendered to a printable page (HTML
with a print stylesheet) and to PDF (fpdf2). Large print sets bigger type; easy read keeps the
short paragraphs and says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from fpdf import FPDF

from amends.comms.domain import PRINT_FORMATS
from amends.comms.models import Letter
from amends.core import clock

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FORMAT_NOTES = {
    "easy_read": "Easy read: short sentences, one idea in each. Read it with someone if you like.",
    "braille": "The customer asked for braille: send this text for transcription before posting.",
    "audio": "The customer asked for audio: record this letter and send the recording.",
    "bsl_video": "The customer asked for British Sign Language: arrange a BSL video of this.",
}


def build(letter: Letter) -> dict[str, Any]:
    created = clock.local_date(letter.created_at)
    body = letter.interaction.body
    return {
        "letter": letter,
        "case": letter.case,
        "organisation": settings.AMENDS_ORGANISATION_NAME,
        "date": f"{created.day} {created:%B %Y}",
        "address_lines": [line for line in letter.to_address.splitlines() if line.strip()],
        "subject": letter.interaction.subject,
        "paragraphs": [p.strip() for p in body.split("\n\n") if p.strip()],
        "large_print": letter.format == "large_print",
        "easy_read": letter.format == "easy_read",
        "format_note": FORMAT_NOTES.get(letter.format, ""),
        "printable_format": letter.format in PRINT_FORMATS,
    }


def _font(pdf: FPDF) -> tuple[str, bool]:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold))
            return "DejaVu", True
    return "Helvetica", False


def _text(value: str, unicode: bool) -> str:
    if unicode:
        return value
    for old, new in {"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'"}.items():
        value = value.replace(old, new)
    return value.encode("latin-1", "replace").decode("latin-1")


def pdf_bytes(data: dict[str, Any]) -> bytes:
    """The letter on A4: 12 point type, or 18 point for large print (RNIB's minimum is 16)."""
    size = 18 if data["large_print"] else 12
    line = size * 0.55
    pdf = FPDF(format="A4")
    pdf.set_title(_text(data["subject"], True))
    pdf.set_author(data["organisation"])
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    family, unicode = _font(pdf)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(family, "B", size)
    pdf.multi_cell(width, line, _text(data["organisation"], unicode))
    pdf.set_font(family, "", size)
    pdf.ln(line)
    for address_line in [data["letter"].to_name, *data["address_lines"]]:
        pdf.multi_cell(width, line, _text(address_line, unicode))
    pdf.ln(line)
    pdf.multi_cell(width, line, _text(data["date"], unicode))
    pdf.ln(line / 2)
    pdf.set_font(family, "B", size)
    pdf.multi_cell(width, line, _text(data["subject"], unicode))
    pdf.set_font(family, "", size)
    if data["format_note"]:
        pdf.ln(line / 2)
        pdf.multi_cell(width, line, _text(data["format_note"], unicode))
    for paragraph in data["paragraphs"]:
        pdf.ln(line / 2)
        pdf.multi_cell(width, line, _text(paragraph, unicode))
    return bytes(pdf.output())
