"""Reply templates: the seeded set is valid, and a template lacking its pack's mandatory
content (or using an unknown merge field) is refused by the service and in the admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amends.cases.models import Case
from amends.comms import services
from amends.comms.domain import Purpose, Structure
from amends.comms.models import ReplyTemplate
from amends.comms.seeds import TEMPLATES
from amends.comms.services.templates import TemplateContent, template_sections
from amends.core.errors import ValidationError
from amends.core.models import Event
from amends.policies.packs import all_packs

pytestmark = pytest.mark.django_db


def test_every_seeded_template_is_valid() -> None:
    seeded = list(ReplyTemplate.objects.all())
    assert len(seeded) == len(TEMPLATES)
    for template in seeded:
        services.validate_template(
            TemplateContent(
                code=template.code,
                name=template.name,
                purpose=Purpose(template.purpose),
                structure=Structure(template.structure),
                sections=template_sections(template),
                items=template.items,
                communication=template.communication,
            )
        )


def test_there_is_a_seeded_template_for_every_purpose_and_every_required_communication() -> None:
    purposes = set(ReplyTemplate.objects.values_list("purpose", flat=True))
    assert purposes == {p.value for p in Purpose}
    required = {f"{pack.id}/{c.id}" for pack in all_packs().values() for c in pack.communications}
    assert required <= set(ReplyTemplate.objects.values_list("communication", flat=True))


def test_the_seeded_fca_final_response_names_the_ombudsman_website() -> None:
    template = ReplyTemplate.objects.get(communication="fca-disp/final_response")
    assert "www.financial-ombudsman.org.uk" in template.items["fos_website_address"]


FOS = {
    "outcome_and_reasons": "We uphold your complaint because {case.summary}.",
    "fos_leaflet_enclosed": "We enclose the leaflet.",
    "fos_website_address": "www.financial-ombudsman.org.uk",
    "right_to_refer_to_fos": "You may refer your complaint to the Ombudsman.",
    "six_month_time_limit": "Within six months.",
    "consent_to_waive_time_limits": "We do not consent to waive the time limits.",
}


def content(**overrides: Any) -> TemplateContent:
    values: dict[str, Any] = {
        "code": "our-final",
        "name": "Our final response",
        "purpose": Purpose.FINAL_RESPONSE,
        "structure": Structure.LAST,
        "sections": {"solution": "Our decision is below."},
        "items": dict(FOS),
        "communication": "fca-disp/final_response",
    }
    values.update(overrides)
    return TemplateContent(**values)


def test_saving_a_template_records_who_changed_it(now: Any, manager: Any) -> None:
    template = services.save_template(content=content(), actor=manager, now=now)
    assert template.items == FOS
    event = Event.objects.get(stream="template:our-final")
    assert event.type == "template.created" and event.actor == manager


def test_saving_a_template_without_a_mandatory_item_is_refused_naming_it(
    now: Any, manager: Any
) -> None:
    items = dict(FOS)
    del items["fos_leaflet_enclosed"]
    items["six_month_time_limit"] = "   "
    with pytest.raises(ValidationError) as caught:
        services.save_template(content=content(items=items), actor=manager, now=now)
    assert caught.value.fields["items"] == [
        "missing: fos_leaflet_enclosed",
        "missing: six_month_time_limit",
    ]
    assert not ReplyTemplate.objects.filter(code="our-final").exists()


def test_a_template_for_a_communication_no_pack_requires_is_refused(now: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.save_template(
            content=content(communication="fca-disp/no_such_letter"), actor=None, now=now
        )
    assert "communication" in caught.value.fields


def test_a_template_with_an_unknown_merge_field_is_refused(now: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.save_template(
            content=content(sections={"solution": "Dear {customer.shoe_size}"}),
            actor=None,
            now=now,
        )
    assert caught.value.fields == {"solution": ["unknown merge field {customer.shoe_size}"]}


def test_merge_values_come_from_the_case(
    make_case: Callable[..., Case], agent: Any, now: Any
) -> None:
    case = make_case(summary="Charged twice")
    template = ReplyTemplate.objects.get(code="acknowledgement")
    rendered = services.render_template(template, case, handler=agent, now=now)
    assert rendered.body.startswith(f"Dear {case.customer.name},")
    assert "on 2 November 2026" in rendered.body
    assert agent.get_username() in rendered.body or agent.get_full_name() in rendered.body
    assert "Amends" in rendered.body


@pytest.fixture
def admin_client(make_user: Callable[..., Any]) -> Client:
    client = Client()
    client.force_login(make_user("ada", "admin"))
    return client


def admin_post(items: dict[str, str]) -> dict[str, Any]:
    import json

    return {
        "code": "admin-final",
        "name": "Final response from the admin",
        "purpose": "final_response",
        "structure": "last",
        "communication": "fca-disp/final_response",
        "subject": "Our final response",
        "solution": "Our decision.",
        "items": json.dumps(items),
        "active": "on",
    }


def test_the_admin_refuses_a_template_lacking_a_mandatory_item_and_says_which(
    admin_client: Client,
) -> None:
    items = dict(FOS)
    del items["right_to_refer_to_fos"]
    response = admin_client.post("/admin/comms/replytemplate/add/", admin_post(items))
    assert response.status_code == 200
    page = response.content.decode()
    assert "missing: right_to_refer_to_fos" in page
    assert "right to refer to fos" in page
    assert not ReplyTemplate.objects.filter(code="admin-final").exists()


def test_the_admin_saves_a_complete_template_through_the_service(admin_client: Client) -> None:
    response = admin_client.post("/admin/comms/replytemplate/add/", admin_post(FOS))
    assert response.status_code == 302
    assert ReplyTemplate.objects.get(code="admin-final").items == FOS
    assert Event.objects.filter(stream="template:admin-final", type="template.created").exists()
