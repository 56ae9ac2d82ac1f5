"""The pure rules of templates, letters and email out: no database."""

from __future__ import annotations

import pytest

from amends.comms.domain import (
    Delivery,
    Structure,
    TemplateDraft,
    assemble,
    check_no_prompts,
    check_template,
    choose_delivery,
    fill,
    render,
    reply_subject,
    tag_subject,
    thread_headers,
)
from amends.core.errors import ValidationError
from amends.policies.packs import get_pack

FINAL = next(c for c in get_pack("fca-disp").communications if c.id == "final_response")
VALUES = {"case.reference": "C-2026-000123", "customer.name": "Priya Patel"}


def test_merge_fields_are_filled_from_the_case() -> None:
    assert fill("Dear {customer.name}, ref {case.reference}.", VALUES) == (
        "Dear Priya Patel, ref C-2026-000123."
    )


def test_a_known_merge_field_without_a_value_is_left_blank() -> None:
    assert fill("By {deadline.final_response}.", VALUES) == "By ."


def test_an_unknown_merge_field_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as caught:
        fill("Hello {customer.nickname}", VALUES)
    assert "{customer.nickname}" in caught.value.message


def test_a_template_with_an_unknown_merge_field_names_the_section() -> None:
    draft = TemplateDraft(
        structure=Structure.LAST, sections={"apology": "Sorry {case.colour}"}, items={}
    )
    with pytest.raises(ValidationError) as caught:
        check_template(draft, None)
    assert caught.value.fields == {"apology": ["unknown merge field {case.colour}"]}


def test_a_template_without_any_text_is_refused() -> None:
    draft = TemplateDraft(structure=Structure.LEAP, sections={"opening": "  "}, items={})
    with pytest.raises(ValidationError):
        check_template(draft, None)


def test_a_final_response_template_lacking_mandatory_items_names_each_missing_item() -> None:
    items = {item: "text" for item in FINAL.mandatory_items}
    items["fos_website_address"] = " "
    del items["six_month_time_limit"]
    draft = TemplateDraft(
        structure=Structure.LAST, sections={"solution": "We decided."}, items=items
    )
    with pytest.raises(ValidationError) as caught:
        check_template(draft, FINAL)
    assert caught.value.details["missing"] == ["fos_website_address", "six_month_time_limit"]
    assert "fos website address" in caught.value.message


def test_a_template_covering_every_mandatory_item_is_accepted() -> None:
    items = {item: "text" for item in FINAL.mandatory_items}
    draft = TemplateDraft(
        structure=Structure.LAST, sections={"solution": "We decided."}, items=items
    )
    check_template(draft, FINAL)


def test_rendering_follows_the_structure_and_puts_items_after_the_solution() -> None:
    rendered = render(
        structure=Structure.LAST,
        sections={
            "thanks": "Thank you.",
            "solution": "We will refund you by Friday.",
            "what_i_heard": "You told us {case.reference} went wrong.",
            "empathy": "Not part of LAST, so left out.",
            "apology": "",
        },
        items={"fos_website_address": "www.financial-ombudsman.org.uk", "right_to_refer": " "},
        values=VALUES,
    )
    assert [name for name, _ in rendered.sections] == [
        "what_i_heard",
        "solution",
        "fos_website_address",
        "thanks",
    ]
    assert rendered.body.startswith("You told us C-2026-000123 went wrong.\n\nWe will refund")
    assert rendered.content_items == ("fos_website_address",)


def test_leap_includes_the_empathy_section() -> None:
    rendered = assemble(
        structure=Structure.LEAP, sections={"empathy": "That sounds stressful."}, items={}
    )
    assert rendered.body == "That sounds stressful."


@pytest.mark.parametrize(
    ("channel", "fmt", "email", "case_channel", "expected"),
    [
        ("email", "standard", "p@example.com", "phone", Delivery.EMAIL),
        ("email", "standard", "", "email", Delivery.LETTER),
        ("email", "large_print", "p@example.com", "email", Delivery.LETTER),
        ("email", "easy_read", "p@example.com", "web_form", Delivery.LETTER),
        ("letter", "standard", "p@example.com", "email", Delivery.LETTER),
        ("phone", "standard", "p@example.com", "phone", Delivery.LETTER),
        ("phone", "standard", "p@example.com", "in_person", Delivery.LETTER),
        ("portal", "standard", "p@example.com", "web_form", Delivery.EMAIL),
    ],
)
def test_delivery_follows_the_customers_preferred_channel_and_format(
    channel: str, fmt: str, email: str, case_channel: str, expected: Delivery
) -> None:
    assert (
        choose_delivery(
            preferred_channel=channel, preferred_format=fmt, email=email, case_channel=case_channel
        )
        is expected
    )


def test_the_subject_carries_the_case_reference_once() -> None:
    assert tag_subject("Your refund", "C-2026-000001") == "Your refund [C-2026-000001]"
    assert tag_subject("Re: x [C-2026-000001]", "C-2026-000001") == "Re: x [C-2026-000001]"


def test_a_reply_without_a_subject_answers_the_customers_own_subject() -> None:
    subject = reply_subject(
        given="", inbound_subject="Charged twice", summary="s", reference="C-2026-000002"
    )
    assert subject == "Re: Charged twice [C-2026-000002]"


def test_threading_replies_to_the_latest_inbound_message() -> None:
    threading = thread_headers(
        [("inbound", "a@x"), ("outbound", "b@us"), ("inbound", "c@x"), ("outbound", "d@us")]
    )
    assert threading.in_reply_to == "c@x"
    assert threading.references == ("a@x", "b@us", "c@x")


def test_threading_without_earlier_messages_is_empty() -> None:
    assert thread_headers([("outbound", "")]).in_reply_to == ""


def test_a_reply_still_holding_a_templates_prompt_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        check_no_prompts("We need: [list what you need]. Thanks.")
    assert caught.value.fields == {"body": ["still to write: [list what you need]"]}
    check_no_prompts("Your reference is [C-2026-000001] and [this aside] stays.")


def test_a_subject_with_an_unknown_merge_field_is_refused_and_a_known_one_is_allowed() -> None:
    sections = {"apology": "I am sorry."}
    bad = TemplateDraft(
        structure=Structure.LAST, sections=sections, items={}, subject="Your {case.colour}"
    )
    with pytest.raises(ValidationError) as caught:
        check_template(bad, None)
    assert caught.value.fields == {"subject": ["unknown merge field {case.colour}"]}
    good = TemplateDraft(
        structure=Structure.LAST, sections=sections, items={}, subject="Your {case.kind}"
    )
    check_template(good, None)
