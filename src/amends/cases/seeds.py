"""Reference data every installation starts with: the category taxonomy and the definitions of
"complaint". Seeded after ``migrate`` when the tables are empty; editable in the admin."""

from __future__ import annotations

from typing import Any

# ruff: noqa: E501

CATEGORIES = [
    (
        "communication-breakdown",
        "Communication breakdown",
        "Not told, told wrongly, not called back, promises not kept.",
    ),
    (
        "unmet-expectations",
        "Unmet expectations",
        "What was delivered differs from what the customer was led to expect.",
    ),
    ("product-failure", "Product failure", "A product is faulty, unsafe, or not as described."),
    (
        "service-failure",
        "Service failure",
        "A service was not provided, or not with reasonable care and skill.",
    ),
    (
        "billing-and-charges",
        "Billing and charges",
        "Wrong bills, unexpected charges, refunds, payments.",
    ),
    (
        "delivery-and-timeliness",
        "Delivery and timeliness",
        "Late, missed or partial delivery; delays; missed appointments.",
    ),
    (
        "staff-conduct",
        "Staff conduct",
        "Attitude, behaviour or competence of staff or contractors.",
    ),
    (
        "policy-and-terms",
        "Policy and terms",
        "Disagreement with a policy, decision, contract term or eligibility rule.",
    ),
    (
        "data-and-privacy",
        "Data and privacy",
        "Misuse, loss or disclosure of personal data; access requests.",
    ),
    ("accessibility", "Accessibility", "Barriers to access; reasonable adjustments not made."),
]

DEFINITIONS = [
    (
        "organisation",
        "Organisation (ISO 10002)",
        "An expression of dissatisfaction made to the organisation, related to its products or "
        "services, or the complaints-handling process itself, where a response or resolution is "
        "explicitly or implicitly expected.",
        "ISO 10002:2018, 3.2 (paraphrased)",
    ),
    (
        "fca-disp",
        "FCA (DISP)",
        "Any oral or written expression of dissatisfaction, whether justified or not, from, or on "
        "behalf of, a person about the provision of, or failure to provide, a financial service or "
        "a redress determination, which alleges that the complainant has suffered (or may suffer) "
        "financial loss, material distress or material inconvenience, and relates to an activity "
        "within the Financial Ombudsman Service's jurisdiction.",
        "FCA Handbook, Glossary: complaint",
    ),
    (
        "housing-ombudsman-2024",
        "Housing Ombudsman Complaint Handling Code 2024",
        "An expression of dissatisfaction, however made, about the standard of service, actions or "
        "lack of action by the landlord, its own staff, or those acting on its behalf, affecting a "
        "resident or group of residents.",
        "Housing Ombudsman Complaint Handling Code 2024, 1.2",
    ),
    (
        "ofgem-chsr",
        "Energy (Complaint Handling Standards Regulations 2008)",
        "Any expression of dissatisfaction made to an organisation, related to any one or more of "
        "its products, its services or the manner in which it has dealt with any such expression of "
        "dissatisfaction, where a response is either provided at the point of contact or is "
        "explicitly or implicitly required or expected thereafter.",
        "SI 2008/1898, regulation 2",
    ),
    (
        "spso-mchp",
        "SPSO Model Complaints Handling Procedure",
        "An expression of dissatisfaction by one or more members of the public about the "
        "organisation's action or lack of action, or about the standard of service provided by or "
        "on behalf of the organisation.",
        "SPSO Model Complaints Handling Procedure (paraphrased; check the current text)",
    ),
]


def seed_reference_data(**_: Any) -> None:
    from amends.cases.models import Category, ComplaintDefinition
    from amends.cases.selectors import forget_reference_data

    if not Category.objects.exists():
        Category.objects.bulk_create(
            Category(slug=slug, name=name, description=description, position=position)
            for position, (slug, name, description) in enumerate(CATEGORIES)
        )
    if not ComplaintDefinition.objects.exists():
        ComplaintDefinition.objects.bulk_create(
            ComplaintDefinition(code=code, name=name, text=text, source=source)
            for code, name, text, source in DEFINITIONS
        )
    forget_reference_data()
