"""The closure summary: the whole case as evidence for an auditor or ombudsman, as one
structure rendered to HTML (the page) and to PDF (fpdf2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from fpdf import FPDF

from amends.cases import selectors as case_selectors
from amends.core import clock
from amends.core.templatetags.amends import label
from amends.resolution import selectors

# A Unicode font from the system when there is one (Debian's fonts-dejavu-core); otherwise the
# PDF's built-in Helvetica, with characters outside Latin-1 replaced.
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # (when or label, text)
    empty: str = "Nothing recorded."


def _when(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        return timezone.localtime(moment).strftime("%d %b %Y %H:%M")
    return moment.strftime("%d %b %Y")


def _cause_row(c: Any) -> tuple[str, str]:
    name = f"Why {c.position}" if c.kind == "why" else label(c.category)
    text = c.text + (" (root cause)" if c.is_root else "")
    return name, text + (f". Evidence: {c.evidence}" if c.evidence else "")


def _option_row(o: Any) -> tuple[str, str]:
    text = f"{o.title}: weighted score {o.weighted}"
    if o.chosen:
        factors = ", ".join(o.cited_factors)
        text += f". {o.justification} (rests on {factors}; {_when(o.chosen_at)})"
    return ("Chosen" if o.chosen else "Option"), text


def _redress_row(r: Any) -> tuple[str, str]:
    amount = f" £{r.amount}" if r.amount is not None else ""
    paid = f", paid {_when(r.paid_on)} {r.payment_reference}" if r.paid_on else ""
    return _when(
        r.created_at
    ), f"{label(r.kind)} ({r.basis}){amount}: {label(r.status).lower()}{paid}"


def _task_row(t: Any) -> tuple[str, str]:
    text = f"{t.title} ({t.owner or t.owner_team}): {t.status}"
    if t.done_at:
        text += f" {_when(t.done_at)}. {t.outcome}"
    if t.customer_update:
        text += f". Customer told: {t.customer_update}"
    return f"due {_when(t.due_on)}", text


def _message_row(i: Any) -> tuple[str, str]:
    direction = "" if i.direction == "internal" else label(i.direction).lower()
    return _when(
        i.occurred_at
    ), f"{label(i.kind)} {direction} by {label(i.channel).lower()}: {i.body}"


def _survey_row(s: Any) -> tuple[str, str]:
    if not s.answered_at:
        return _when(s.sent_at), "Survey sent, not answered"
    nps = s.nps if s.nps is not None else "—"
    return _when(s.answered_at), (
        f"Survey answered: solved {'yes' if s.solved else 'no'}, CSAT outcome "
        f"{s.csat_outcome or '—'}, handling {s.csat_handling or '—'}, CES {s.ces or '—'}, "
        f"NPS {nps}. {s.comment}"
    )


def build(case: Any) -> dict[str, Any]:
    causes = list(selectors.list_causes(case))
    follow_ups = list(case_selectors.list_follow_ups(case))
    outcome = (
        [("Outcome", f"{label(case.outcome)}: {case.resolution_summary}")]
        if case.resolution_summary
        else []
    )
    sections = [
        Section(
            "The problem as understood",
            [
                ("Received", f"{_when(case.received_at)} by {label(case.channel).lower()}"),
                ("In the customer's words", case.description),
                ("Read back", case.read_back or "—"),
                ("Remedy sought", case.remedy_sought or "—"),
                ("Kind", f"{label(case.kind)} ({case.determination_rationale or 'no rationale'})"),
            ],
        ),
        Section(
            "Root cause",
            [_cause_row(c) for c in causes]
            + ([("Statement", case.root_cause)] if case.root_cause else []),
        ),
        Section(
            "Options and justification", [_option_row(o) for o in selectors.list_options(case)]
        ),
        Section(
            "Resolution, remedy and redress",
            outcome + [_redress_row(r) for r in selectors.list_redress(case)],
        ),
        Section(
            "Action plan and what was done", [_task_row(t) for t in selectors.list_tasks(case)]
        ),
        Section(
            "Communications", [_message_row(i) for i in case_selectors.list_interactions(case)]
        ),
        Section(
            "Follow-up and satisfaction",
            [
                (_when(f.attempted_at), f"Attempt: {label(f.result).lower()}. {f.note}")
                for f in follow_ups
            ]
            + [_survey_row(s) for s in case.surveys.order_by("sent_at")],
        ),
    ]
    return {
        "case": case,
        "generated_at": _when(clock.now()),
        "facts": [
            ("Reference", case.reference),
            ("Customer", f"{case.customer.name} ({case.customer.reference})"),
            ("Status", label(case.status)),
            ("Received", _when(case.received_at)),
            ("Acknowledged", _when(case.acknowledged_at) or "—"),
            ("Resolved", _when(case.resolved_at) or "—"),
            ("Closed", _when(case.closed_at) or "—"),
        ],
        "sections": sections,
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
    swaps = {
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2192": "->",
    }
    for old, new in swaps.items():
        value = value.replace(old, new)
    return value.encode("latin-1", "replace").decode("latin-1")


def pdf_bytes(summary: dict[str, Any]) -> bytes:
    case = summary["case"]
    pdf = FPDF(format="A4")
    pdf.set_title(f"Closure summary {case.reference}")
    pdf.set_author("Amends")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    family, unicode = _font(pdf)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(width, 8, _text(f"Closure summary: {case.reference}", unicode))
    pdf.set_font(family, "", 10)
    pdf.multi_cell(width, 5, _text(case.summary, unicode))
    pdf.ln(2)
    for name, value in summary["facts"]:
        pdf.multi_cell(width, 5, _text(f"{name}: {value}", unicode))
    for section in summary["sections"]:
        pdf.ln(3)
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(width, 7, _text(section.title, unicode))
        pdf.set_font(family, "", 10)
        if not section.rows:
            pdf.multi_cell(width, 5, _text(section.empty, unicode))
        for when, text in section.rows:
            pdf.multi_cell(width, 5, _text(f"{when}: {text}" if when else text, unicode))
    pdf.ln(4)
    pdf.set_font(family, "", 8)
    pdf.multi_cell(
        width, 4, _text(f"Generated {summary['generated_at']} from the case's record.", unicode)
    )
    return bytes(pdf.output())
