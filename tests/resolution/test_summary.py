"""The closure summary, as a page and as a PDF."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from typing import Any

from django.test import Client

from amends.accounts.models import User
from amends.cases.domain import Status
from amends.cases.models import Case
from amends.resolution import services, summary
from amends.resolution.domain import CauseKind, IshikawaCategory
from tests.conftest import NOW


def _page_text(pdf: bytes) -> str:
    out = []
    # fpdf2 writes "stream\n<data>\nendstream"; the data may itself end in \r, so no \r? here.
    for stream in re.findall(rb"stream\n(.*?)\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompressobj().decompress(stream).decode("latin-1"))
        except zlib.error:  # an uncompressed stream
            out.append(stream.decode("latin-1"))
    return "".join(out)


def test_the_summary_holds_the_whole_case(
    make_case: Callable[..., Case], agent: User, other_agent: User
) -> None:
    case = make_case(status=Status.INVESTIGATING)
    services.add_cause(
        case=case,
        kind=CauseKind.ISHIKAWA,
        category=IshikawaCategory.PROCESS,
        text="Refunds keyed twice",
        actor=agent,
        now=NOW,
    )
    client = Client()
    client.force_login(agent)
    page = client.get(f"/cases/{case.reference}/summary/").content.decode()
    for heading in (
        "The problem as understood",
        "Root cause",
        "Options and justification",
        "Resolution, remedy and redress",
        "Action plan and what was done",
        "Communications",
        "Follow-up and satisfaction",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert "Refunds keyed twice" in page
    pdf = client.get(f"/cases/{case.reference}/summary/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="{case.reference}-summary.pdf"'
    assert pdf.content.startswith(b"%PDF-")
    outsider = Client()
    outsider.force_login(other_agent)
    assert outsider.get(f"/cases/{case.reference}/summary/?format=pdf").status_code == 403


def test_the_pdf_says_what_the_page_says(make_case: Callable[..., Case], monkeypatch: Any) -> None:
    monkeypatch.setattr(summary, "FONT_DIRS", ())  # the built-in font: plain text in the PDF
    case = make_case(description="Charged twice \u2013 and nobody called back\u2026")
    text = _page_text(summary.pdf_bytes(summary.build(case)))
    assert f"Closure summary: {case.reference}" in text
    assert "Charged twice - and nobody called back..." in text
    assert "Follow-up and satisfaction" in text
