"""The reply templates every installation starts with: one per purpose, in plain English on
LAST or LEAP, and one for each communication a policy pack requires, with a paragraph for
each of its mandatory items. Seeded after ``migrate`` when there are none; editable in the
admin."""

from __future__ import annotations

from typing import Any

# ruff: noqa: E501

HEARD = "You told us about {case.summary}. In your words: {case.description}"
THANKS = "Thank you for telling us. It helps us put things right for you and for others."
SIGN_OFF = "Yours sincerely,\n{handler.name}\n{organisation.name}\nPlease quote {case.reference} if you contact us."

FOS_ITEMS = {
    "outcome_and_reasons": "Our final decision is that your complaint is {case.outcome}. {case.resolution_summary}",
    "fos_leaflet_enclosed": "We have enclosed the Financial Ombudsman Service's leaflet, which explains what the Ombudsman does.",
    "fos_website_address": "You can find out more about the Financial Ombudsman Service at www.financial-ombudsman.org.uk, or call it free on 0800 023 4567.",
    "right_to_refer_to_fos": "If you are not happy with our decision, you have the right to refer your complaint to the Financial Ombudsman Service, free of charge.",
    "six_month_time_limit": "You must do so within six months of the date of this letter.",
    "consent_to_waive_time_limits": "If you do not refer your complaint in time, the Ombudsman will not have our permission to consider your complaint and so will only be able to do so in very limited circumstances. For example, if the Ombudsman believes that the delay was as a result of exceptional circumstances.",
}

ACK_SECTIONS = {
    "opening": "Dear {customer.name},",
    "what_i_heard": "Thank you for contacting us on {case.received_on}. " + HEARD,
    "apology": "I am sorry that you have had to contact us about this.",
    "solution": "Your reference is {case.reference}. If we need anything else from you, we will ask.",
    "thanks": THANKS,
    "closing": SIGN_OFF,
}
FCA_ACK_ITEMS = {
    "complaint_received_and_being_dealt_with": "We have received your complaint and we are dealing with it.",
    "complaints_procedure_summary": "How we handle complaints: we look into what happened, we may ask you for more information, and we write to you with our decision and the reasons for it. You can ask us for a copy of our complaints procedure at any time, free of charge.",
}


def _acknowledgement(
    pack: str, communication: str, name: str, items: dict[str, str]
) -> dict[str, Any]:
    return {
        "code": f"{pack}-{communication.replace('_', '-')}",
        "name": name,
        "purpose": "acknowledgement",
        "structure": "last",
        "communication": f"{pack}/{communication}",
        "subject": "We have received your complaint",
        "sections": ACK_SECTIONS,
        "items": items,
    }


TEMPLATES: list[dict[str, Any]] = [
    _acknowledgement(
        "fca-disp",
        "acknowledgement",
        "Acknowledgement (FCA DISP)",
        {
            **FCA_ACK_ITEMS,
            "response_timescale": "We will send you our final response, or a letter explaining why we need longer, by {deadline.final_response}, within eight weeks of receiving your complaint.",
        },
    ),
    _acknowledgement(
        "fca-disp-payments",
        "acknowledgement",
        "Acknowledgement (payment services, FCA DISP)",
        {
            **FCA_ACK_ITEMS,
            "response_timescale": "We will send you our final response within 15 business days, by {deadline.final_response}. In exceptional circumstances we will write to explain the delay, and then answer within 35 business days.",
        },
    ),
    _acknowledgement(
        "housing-ombudsman-2024",
        "stage1_acknowledgement",
        "Stage 1 acknowledgement (Housing Ombudsman Code)",
        {
            "understanding_of_the_complaint": "Our understanding of your complaint is: {case.summary}. If we have got this wrong, please tell us.",
            "outcomes_sought": "The outcome you told us you want: {case.remedy_sought}. If we have not understood what you want, please tell us.",
        },
    ),
    _acknowledgement(
        "nhs-england-2009",
        "acknowledgement",
        "Acknowledgement (NHS and social care complaints, England)",
        {
            "offer_to_discuss_handling": "We would like to talk with you about how we will handle your complaint. Please call us, or reply, to arrange a time that suits you.",
            "response_period": "We expect to send you our response by {deadline.final_response}. If we need longer, we will agree a new date with you first.",
        },
    ),
    {
        "code": "acknowledgement",
        "name": "Acknowledgement",
        "purpose": "acknowledgement",
        "structure": "last",
        "subject": "We have received your {case.kind}",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": "Thank you for contacting us on {case.received_on}. " + HEARD,
            "apology": "I am sorry that you have had to contact us about this.",
            "solution": "Your reference is {case.reference}. We will look into what happened and write to you with our answer by {deadline.final_response}. If we need anything else from you, we will ask.",
            "thanks": THANKS,
            "closing": SIGN_OFF,
        },
    },
    {
        "code": "holding-response",
        "name": "Holding response",
        "purpose": "holding_response",
        "structure": "leap",
        "subject": "An update on your complaint",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": HEARD,
            "empathy": "I know you want this settled, and waiting is frustrating.",
            "apology": "I am sorry we have not finished yet.",
            "solution": "We are still looking into your complaint. Here is what we have done so far: [write what you have done]. We will write to you again by {deadline.next}.",
            "thanks": "Thank you for your patience.",
            "closing": SIGN_OFF,
        },
    },
    {
        "code": "request-for-information",
        "name": "Request for information",
        "purpose": "request_for_information",
        "structure": "last",
        "subject": "We need some information from you",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": HEARD,
            "solution": "To finish looking into this, we need: [list what you need]. Please reply to this message or call us, quoting {case.reference}. When we have it, we will write to you by {deadline.next}.",
            "thanks": "Thank you for your help.",
            "closing": SIGN_OFF,
        },
    },
    {
        "code": "solution-proposal",
        "name": "Solution proposal",
        "purpose": "solution_proposal",
        "structure": "leap",
        "subject": "How we propose to put things right",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": HEARD,
            "empathy": "I understand how this has affected you.",
            "apology": "I am sorry for what went wrong.",
            "solution": "Here is what we propose: [write the proposal]. Please tell us if this puts things right for you. If it does not, tell us what would.",
            "thanks": THANKS,
            "closing": SIGN_OFF,
        },
    },
    {
        "code": "final-response",
        "name": "Final response",
        "purpose": "final_response",
        "structure": "last",
        "subject": "Our final response to your complaint",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": HEARD,
            "apology": "I am sorry for the trouble this has caused you.",
            "solution": "We have finished looking into your complaint. Our decision is that it is {case.outcome}. {case.resolution_summary}",
            "thanks": THANKS,
            "closing": SIGN_OFF,
        },
    },
    {
        "code": "follow-up",
        "name": "Follow-up",
        "purpose": "follow_up",
        "structure": "last",
        "subject": "Checking things are now right",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": "We recently wrote to you about {case.summary}.",
            "solution": "I am checking that things are now right for you. If anything is still wrong, please reply and quote {case.reference}.",
            "thanks": "Thank you for your time.",
            "closing": SIGN_OFF,
        },
    },
    {
        "code": "closure",
        "name": "Closure",
        "purpose": "closure",
        "structure": "last",
        "subject": "Your complaint is closed",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": "You complained to us about {case.summary}.",
            "solution": "We have now closed your complaint, {case.reference}. If the problem comes back, contact us and we will look at it again.",
            "thanks": THANKS,
            "closing": SIGN_OFF,
        },
    },
    {
        "code": "fca-disp-final-response",
        "name": "Final response (FCA DISP)",
        "purpose": "final_response",
        "structure": "last",
        "communication": "fca-disp/final_response",
        "subject": "Our final response to your complaint",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": HEARD,
            "apology": "I am sorry for the trouble this has caused you.",
            "solution": "This is our final response to your complaint.",
            "thanks": THANKS,
            "closing": SIGN_OFF,
        },
        "items": FOS_ITEMS,
    },
    {
        "code": "fca-disp-summary-resolution",
        "name": "Summary resolution (FCA DISP)",
        "purpose": "final_response",
        "structure": "last",
        "communication": "fca-disp/summary_resolution",
        "subject": "Your complaint is resolved",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": HEARD,
            "apology": "I am sorry for the trouble this caused you.",
            "solution": "{case.resolution_summary}",
            "thanks": THANKS,
            "closing": SIGN_OFF,
        },
        "items": {
            "complaint_considered_resolved": "We now consider your complaint resolved.",
            "may_refer_to_fos_if_dissatisfied": "If you later become unhappy with how we resolved it, you may be able to refer your complaint to the Financial Ombudsman Service, free of charge, within six months of the date of this letter.",
            "consent_to_waive_time_limits": FOS_ITEMS["consent_to_waive_time_limits"],
            "fos_website_address": FOS_ITEMS["fos_website_address"],
        },
    },
    {
        "code": "fca-disp-payments-holding-response",
        "name": "Holding response (payment services, DISP 1.6.2AR)",
        "purpose": "holding_response",
        "structure": "leap",
        "communication": "fca-disp-payments/holding_response",
        "subject": "We need more time to answer your complaint",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": HEARD,
            "empathy": "I know you expected our answer by now.",
            "apology": "I am sorry we need longer.",
            "thanks": "Thank you for your patience.",
            "closing": SIGN_OFF,
        },
        "items": {
            "reasons_for_delay": "We cannot answer within 15 business days because [write the reasons, outside our control].",
            "date_of_final_response": "You will have our final response by {deadline.final_response}.",
        },
    },
    {
        "code": "housing-ombudsman-extension",
        "name": "Extension notice (Housing Ombudsman Code)",
        "purpose": "holding_response",
        "structure": "leap",
        "communication": "housing-ombudsman-2024/extension_notice",
        "subject": "We need more time to respond to your complaint",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": HEARD,
            "empathy": "I know this matters to you and you want an answer.",
            "apology": "I am sorry we need longer.",
            "closing": SIGN_OFF,
        },
        "items": {
            "reasons_for_extension": "We need more time because [write the reasons].",
            "expected_timescale": "We expect to respond by {deadline.next}.",
            "ombudsman_contact_details": "If you are unhappy with this, you can contact the Housing Ombudsman at www.housing-ombudsman.org.uk, by phone on 0300 111 3000, or by email at info@housing-ombudsman.org.uk.",
        },
    },
    {
        "code": "ofcom-adr-letter",
        "name": "ADR letter (Ofcom General Condition C4)",
        "purpose": "final_response",
        "structure": "last",
        "communication": "ofcom-c4/adr_letter",
        "subject": "Your right to take your complaint further",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": HEARD,
            "solution": "{case.resolution_summary}",
            "closing": SIGN_OFF,
        },
        "items": {
            "right_to_adr": "If you are not happy with how we have dealt with your complaint, you have the right to take it to an independent alternative dispute resolution (ADR) scheme.",
            "adr_scheme_name": "Our scheme is the Communications Ombudsman, run by Ombudsman Services.",
            "adr_scheme_contact_details": "You can contact it at www.ombudsman-services.org.",
            "free_of_charge": "It is free for you to use.",
        },
    },
    {
        "code": "ofgem-deadlock-letter",
        "name": "Deadlock or eight-week letter (energy)",
        "purpose": "final_response",
        "structure": "last",
        "communication": "ofgem-chsr/adr_letter",
        "subject": "Your right to go to the Energy Ombudsman",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": HEARD,
            "solution": "{case.resolution_summary}",
            "closing": SIGN_OFF,
        },
        "items": {
            "right_to_energy_ombudsman": "If you are not happy with our answer, you can ask the Energy Ombudsman to look at your complaint.",
            "ombudsman_contact_details": "You can contact the Energy Ombudsman at www.energyombudsman.org.",
            "free_of_charge": "It is free for you to use.",
            "time_limit_to_refer": "You must contact the Energy Ombudsman within twelve months of the date of this letter.",
        },
    },
    {
        "code": "uk-gdpr-sar-extension",
        "name": "Extended response time (subject access request)",
        "purpose": "holding_response",
        "structure": "last",
        "communication": "uk-gdpr-sar/extension_notice",
        "subject": "We need more time to answer your request",
        "sections": {
            "opening": "Dear {customer.name},",
            "what_i_heard": "You asked us for a copy of the personal information we hold about you.",
            "apology": "I am sorry we need longer.",
            "closing": SIGN_OFF,
        },
        "items": {
            "reasons_for_extension": "Your request is complex because [write the reasons], so the law allows us up to two more months.",
            "new_date": "You will have our answer by {deadline.next}.",
        },
    },
]


def seed_templates(**_: Any) -> None:
    """The default templates, when there are none (after migrate, or a test database flush)."""
    from amends.comms.models import ReplyTemplate
    from amends.core import clock

    if ReplyTemplate.objects.exists():
        return
    now = clock.now()
    ReplyTemplate.objects.bulk_create(
        ReplyTemplate(
            code=t["code"],
            name=t["name"],
            purpose=t["purpose"],
            structure=t["structure"],
            communication=t.get("communication", ""),
            subject=t.get("subject", ""),
            items=t.get("items", {}),
            updated_at=now,
            **t["sections"],
        )
        for t in TEMPLATES
    )
