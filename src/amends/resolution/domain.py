"""Root-cause analysis rules. Pure: no Django."""

from __future__ import annotations

from decimal import Decimal
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


# --- solution options -----------------------------------------------------------------------------

# The default factors an option is scored on (1 poor to 5 good for the factor), and their weights.
DEFAULT_FACTORS: dict[str, tuple[str, float]] = {
    "cost": ("Cost to the organisation (5: costs least)", 0.20),
    "retention": ("Impact on customer retention", 0.20),
    "policy_and_law": ("Alignment with policy and the law", 0.25),
    "feasibility": ("Feasibility within constraints", 0.15),
    "remedy_match": ("Match with the remedy the customer seeks", 0.20),
}
SCORES = range(1, 6)
JUSTIFICATION_MIN = 40


def parse_factors(text: str) -> dict[str, tuple[str, float]]:
    """``cost=0.2,retention=0.3`` (labels from the defaults where known); empty: the defaults."""
    if not text.strip():
        return dict(DEFAULT_FACTORS)
    factors: dict[str, tuple[str, float]] = {}
    for part in text.split(","):
        name, _, weight = part.partition("=")
        name = name.strip()
        label = DEFAULT_FACTORS.get(name, (name.replace("_", " ").capitalize(), 0.0))[0]
        factors[name] = (label, float(weight))
    return factors


def weighted_score(scores: dict[str, int], factors: dict[str, tuple[str, float]]) -> float:
    total = sum(weight for _, weight in factors.values()) or 1.0
    return round(sum(scores[name] * weight for name, (_, weight) in factors.items()) / total, 2)


def check_scores(scores: dict[str, int], factors: dict[str, tuple[str, float]]) -> None:
    problems = {name: "score it from 1 to 5" for name in factors if scores.get(name) not in SCORES}
    problems.update({name: "not a factor here" for name in scores if name not in factors})
    if problems:
        raise ValidationError("Score the option on every factor.", fields=problems)


def check_justification(
    text: str, cited: list[str], factors: dict[str, tuple[str, float]]
) -> list[str]:
    """The factors a choice relies on: at least two, with a written reason."""
    named = sorted(set(cited) & set(factors))
    problems: dict[str, str] = {}
    if len(named) < 2:
        problems["factors"] = "say which factors (at least two) the choice rests on"
    if len(text.strip()) < JUSTIFICATION_MIN:
        problems["justification"] = f"explain the choice (at least {JUSTIFICATION_MIN} characters)"
    if problems:
        raise ValidationError("The choice needs a justification.", fields=problems)
    return named


# --- redress --------------------------------------------------------------------------------------


class RedressKind(StrEnum):
    REFUND = "refund"
    GOODWILL_PAYMENT = "goodwill_payment"
    APOLOGY = "apology"
    CORRECTION = "correction"
    SERVICE_CREDIT = "service_credit"
    INTEREST = "interest"


FINANCIAL = frozenset(
    {
        RedressKind.REFUND,
        RedressKind.GOODWILL_PAYMENT,
        RedressKind.SERVICE_CREDIT,
        RedressKind.INTEREST,
    }
)


class RedressBasis(StrEnum):
    STATUTORY = "statutory"
    CONTRACTUAL = "contractual"
    GOODWILL = "goodwill"


class RedressStatus(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    PAID = "paid"


def parse_limits(text: str) -> dict[str, Decimal]:
    """``agent=100,team_lead=500`` -> the most each role may offer without approval."""
    limits: dict[str, Decimal] = {}
    for part in text.split(","):
        role, _, amount = part.partition("=")
        if role.strip():
            limits[role.strip()] = Decimal(amount.strip())
    return limits


def check_amount(kind: RedressKind, amount: Decimal | None) -> Decimal | None:
    if kind in FINANCIAL:
        if amount is None or amount <= 0:
            raise ValidationError(
                f"A {kind.value.replace('_', ' ')} needs an amount above zero.",
                fields={"amount": "required, in pounds and pence"},
            )
        if amount.as_tuple().exponent < -2:  # type: ignore[operator]
            raise ValidationError("Amounts are in pounds and pence.", fields={"amount": "2 dp"})
        return amount.quantize(Decimal("0.01"))
    if amount not in (None, Decimal(0)):
        raise ValidationError(f"A {kind.value} has no amount.", fields={"amount": "leave empty"})
    return None


def needs_approval(role: str, amount: Decimal | None, limits: dict[str, Decimal]) -> bool:
    """Whether an offer of ``amount`` by someone in ``role`` must wait for an approver."""
    return amount is not None and amount > limits.get(role, Decimal(0))
