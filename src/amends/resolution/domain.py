"""Root-cause analysis rules. Pure: no Django."""

from __future__ import annotations

from enum import StrEnum

from amends.core.errors import ValidationError


class CauseKind(StrEnum):
    WHY = "why"  # one link of a 5 Whys chain
    ISHIKAWA = "ishikawa"  # a cause on the fishbone, under a category


class IshikawaCategory(StrEnum):
    PEOPLE = "people"
    PROCESS = "process"
    TECHNOLOGY = "technology"  # technology and equipment
    MATERIALS = "materials"  # materials and product
    MEASUREMENT = "measurement"
    ENVIRONMENT = "environment"
    POLICY = "policy"
    THIRD_PARTY = "third_party"


CATEGORY_LABELS = {
    IshikawaCategory.PEOPLE: "People",
    IshikawaCategory.PROCESS: "Process",
    IshikawaCategory.TECHNOLOGY: "Technology and equipment",
    IshikawaCategory.MATERIALS: "Materials and product",
    IshikawaCategory.MEASUREMENT: "Measurement",
    IshikawaCategory.ENVIRONMENT: "Environment",
    IshikawaCategory.POLICY: "Policy",
    IshikawaCategory.THIRD_PARTY: "Third party",
}
# A chain longer than this is a sign the analysis went off course.
MAX_WHYS = 9


def check_cause(kind: CauseKind, text: str, category: IshikawaCategory | None, whys: int) -> str:
    """The cause's text, cleaned, or a validation error naming what is wrong."""
    problems: dict[str, str] = {}
    text = " ".join(text.split())
    if not text:
        problems["text"] = "say what the cause is"
    if kind is CauseKind.ISHIKAWA and category is None:
        problems["category"] = "choose the fishbone category"
    if kind is CauseKind.WHY and whys >= MAX_WHYS:
        problems["text"] = f"a chain of more than {MAX_WHYS} whys: mark the root cause instead"
    if problems:
        raise ValidationError("The cause cannot be recorded.", fields=problems)
    return text


def root_statement(kind: CauseKind, text: str, category: IshikawaCategory | None) -> str:
    """The root cause as the resolution records it."""
    if kind is CauseKind.ISHIKAWA and category is not None:
        return f"{CATEGORY_LABELS[category]}: {text}"
    return text
