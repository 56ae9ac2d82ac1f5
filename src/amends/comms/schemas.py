"""The comms API's input and output shapes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Longer than any reply a handler writes by hand (about eight pages), short enough to check fast.
COACH_MAX_CHARS = 20_000


class CoachIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the draft reply", max_length=COACH_MAX_CHARS)
    customer_message: str = Field(
        "",
        description="the customer's last message, to check the paraphrase against",
        max_length=COACH_MAX_CHARS,
    )

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("write the draft reply to check")
        return value


class CheckOut(BaseModel):
    id: str
    passed: bool
    evidence: str | None
    advice: str


class CoachOut(BaseModel):
    score: int = Field(ge=0, le=100)
    checks: list[CheckOut]


# --- replies, letters and templates -------------------------------------------------------------


class ReplyIn(BaseModel):
    """A reply by email or a letter: the text as written, or a template filled from the case."""

    model_config = ConfigDict(extra="forbid")

    body: str = Field(
        "", description="the text; leave empty to use the template's", max_length=50_000
    )
    subject: str = Field("", max_length=200)
    template: str | None = Field(None, description="a template's code, e.g. acknowledgement")
    communication: str | None = Field(
        None, description="a communication a pack requires, e.g. fca-disp/final_response"
    )
    content_items: list[str] = Field(default_factory=list)


class EmailOut(BaseModel):
    id: int
    interaction: int
    to: str
    subject: str
    message_id: str
    in_reply_to: str
    references: list[str]
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None


class LetterOut(BaseModel):
    id: int
    interaction: int
    subject: str
    to_name: str
    format: str
    status: str
    created_at: datetime
    printed_at: datetime | None
    url: str
    pdf_url: str


class CorrespondenceOut(BaseModel):
    emails: list[EmailOut]
    letters: list[LetterOut]


class TemplateOut(BaseModel):
    code: str
    name: str
    purpose: str
    structure: str
    communication: str
    subject: str
