"""Customer rules with no database: contact details, vulnerability basis, authority to act."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from amends.core.errors import ValidationError
from amends.customers.domain import (
    Adjustment,
    AuthorityFacts,
    AuthorityScope,
    ContactChannel,
    ContactDetails,
    CustomerKind,
    Relationship,
    RepresentativeDraft,
    VulnerabilityBasis,
    authority_problem,
    check_vulnerability_basis,
    clean_contact,
    clean_representative,
    display_phone,
    normalise_email,
    normalise_phone,
)

TODAY = date(2026, 11, 23)
EXTERNAL = [CustomerKind.PERSON, CustomerKind.ORGANISATION]
INTERNAL = [CustomerKind.DEPARTMENT, CustomerKind.COLLEAGUE]

# --- email ----------------------------------------------------------------------------------


def test_an_email_address_is_trimmed_and_lowercased():
    assert normalise_email("  Priya.Patel@Example.CO.UK \n") == "priya.patel@example.co.uk"


@pytest.mark.parametrize("raw", ["priya", "priya@", "@example.com", "priya@example", "a b@x.com"])
def test_an_invalid_email_address_is_refused_naming_the_email_field(raw):
    with pytest.raises(ValidationError) as caught:
        normalise_email(raw)
    assert list(caught.value.fields) == ["email"]
    assert caught.value.fields["email"][0]


@given(st.text(max_size=60))
def test_normalise_email_either_refuses_or_returns_an_address_that_normalises_to_itself(raw):
    try:
        address = normalise_email(raw)
    except ValidationError as exc:
        assert list(exc.fields) == ["email"]
        return
    assert normalise_email(address) == address


# --- phone ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("020 7946 0018", "+442079460018"),
        ("02079460018", "+442079460018"),
        ("(020) 7946-0018", "+442079460018"),
        ("+44 20 7946 0018", "+442079460018"),
        ("0044 20 7946 0018", "+442079460018"),
        ("  07911 123456 ", "+447911123456"),
        ("+33 1 42 68 53 00", "+33142685300"),
        ("+1 (201) 555-0123", "+12015550123"),
    ],
)
def test_uk_and_international_numbers_are_normalised_to_e164(raw, e164):
    assert normalise_phone(raw) == e164


def test_a_number_without_a_prefix_is_read_in_the_default_region():
    assert normalise_phone("01 42 68 53 00", default_region="FR") == "+33142685300"


@pytest.mark.parametrize("raw", ["12345", "020 7946", "not a number", "+44 20 7946 00189999", "+"])
def test_an_invalid_number_is_refused_naming_the_phone_field(raw):
    with pytest.raises(ValidationError) as caught:
        normalise_phone(raw)
    assert list(caught.value.fields) == ["phone"]
    assert caught.value.fields["phone"][0]


def test_an_invalid_number_names_the_field_the_caller_asks_for():
    with pytest.raises(ValidationError) as caught:
        normalise_phone("12345", field="mobile")
    assert list(caught.value.fields) == ["mobile"]


def test_a_french_number_without_its_prefix_is_not_a_uk_number():
    with pytest.raises(ValidationError):
        normalise_phone("01 42 68 53 00")


def test_numbers_are_displayed_in_international_format():
    assert display_phone("+442079460018") == "+44 20 7946 0018"


london = st.tuples(st.sampled_from("378"), st.text("0123456789", min_size=7, max_size=7)).map(
    lambda parts: "020" + parts[0] + parts[1]
)
mobile = st.tuples(st.sampled_from("45789"), st.text("0123456789", min_size=8, max_size=8)).map(
    lambda parts: "07" + parts[0] + parts[1]
)
uk_national = london | mobile


def _is_valid(raw: str) -> bool:
    try:
        normalise_phone(raw)
    except ValidationError:
        return False
    return True


@given(uk_national)
def test_normalise_phone_is_idempotent_on_its_own_output(raw):
    assume(_is_valid(raw))
    e164 = normalise_phone(raw)
    assert normalise_phone(e164) == e164


@given(uk_national, st.sampled_from(["GB", "US", "FR", "DE", "IN"]))
def test_an_e164_number_means_the_same_whatever_the_default_region(raw, region):
    assume(_is_valid(raw))
    e164 = normalise_phone(raw)
    assert normalise_phone(e164, default_region=region) == e164


@given(uk_national, st.sampled_from([" ", "-", ".", ""]), st.sampled_from(["0", "+44 ", "0044 "]))
def test_the_way_a_uk_number_is_written_does_not_change_it(raw, separator, prefix):
    assume(_is_valid(raw))
    body = raw[1:]
    written = prefix + separator.join([body[:4], body[4:7], body[7:]])
    assert normalise_phone(written) == normalise_phone(raw)


@given(st.text(alphabet="0123456789 +-()x#*abc", max_size=25))
def test_normalise_phone_either_refuses_with_the_field_named_or_returns_e164(raw):
    try:
        e164 = normalise_phone(raw)
    except ValidationError as exc:
        assert list(exc.fields) == ["phone"]
        return
    assert e164.startswith("+")
    assert e164[1:].isdigit()
    assert normalise_phone(e164) == e164


# --- contact details ------------------------------------------------------------------------


def _clean(kind: CustomerKind = CustomerKind.PERSON, **fields):  # type: ignore[no-untyped-def]
    fields.setdefault("name", "Priya Patel")
    return clean_contact(ContactDetails(**fields), kind, "GB")


def _problems(kind: CustomerKind = CustomerKind.PERSON, **fields) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        _clean(kind, **fields)
    return caught.value.fields


@pytest.mark.parametrize("kind", EXTERNAL)
def test_an_external_customer_needs_some_way_to_reach_them(kind):
    problems = _problems(kind, preferred_channel=ContactChannel.PORTAL)
    assert list(problems) == ["email"]
    assert "phone" in problems["email"][0]
    assert "address" in problems["email"][0]


@pytest.mark.parametrize(
    ("route", "channel"),
    [
        ({"email": "priya@example.com"}, ContactChannel.EMAIL),
        ({"phone": "020 7946 0018"}, ContactChannel.PHONE),
        ({"phone": "07911 123456"}, ContactChannel.SMS),
        ({"address": "1 High Street, Leeds"}, ContactChannel.LETTER),
    ],
)
def test_one_contact_route_is_enough_for_an_external_customer(route, channel):
    cleaned = _clean(preferred_channel=channel, **route)
    assert cleaned.preferred_channel is channel


@pytest.mark.parametrize(
    ("channel", "missing"),
    [
        (ContactChannel.EMAIL, "email"),
        (ContactChannel.PHONE, "phone"),
        (ContactChannel.SMS, "phone"),
        (ContactChannel.LETTER, "address"),
    ],
)
def test_the_preferred_channel_needs_its_contact_route(channel, missing):
    routes = {"email": "priya@example.com", "phone": "020 7946 0018", "address": "1 High St"}
    del routes[missing]
    problems = _problems(preferred_channel=channel, **routes)
    assert list(problems) == ["preferred_channel"]
    assert missing in problems["preferred_channel"][0]


@pytest.mark.parametrize("channel", [ContactChannel.PORTAL, ContactChannel.IN_PERSON])
def test_portal_and_in_person_need_no_particular_route(channel):
    assert _clean(preferred_channel=channel, phone="020 7946 0018").preferred_channel is channel


@pytest.mark.parametrize("kind", INTERNAL)
def test_an_internal_customer_may_have_only_a_name(kind):
    cleaned = _clean(kind, name="  Finance Operations ")
    assert cleaned.name == "Finance Operations"
    assert (cleaned.email, cleaned.phone, cleaned.address) == ("", "", "")


@pytest.mark.parametrize("kind", INTERNAL)
def test_an_internal_customer_seen_in_person_may_have_only_a_name(kind):
    cleaned = _clean(kind, name="Finance Operations", preferred_channel=ContactChannel.IN_PERSON)
    assert cleaned.name == "Finance Operations"


@pytest.mark.parametrize("kind", list(CustomerKind))
def test_every_customer_needs_a_name(kind):
    problems = _problems(kind, name="   ", email="x@example.com")
    assert list(problems) == ["name"]


def test_every_wrong_field_is_named_at_once():
    problems = _problems(name="", email="not-an-email", phone="12345")
    assert set(problems) == {"name", "email", "phone"}


def test_a_bad_email_is_reported_as_such_not_as_a_missing_route():
    problems = _problems(email="priya@")
    assert list(problems) == ["email"]
    assert "give at least one" not in problems["email"][0]


def test_contact_details_are_tidied():
    cleaned = _clean(
        name="  Priya Patel ",
        organisation_name=" Acme Ltd ",
        email=" Priya@EXAMPLE.com ",
        phone="020 7946 0018",
        address="  1 High Street ",
        postcode=" ls1 4ap ",
        preferred_language="  ",
        adjustments=(Adjustment.LARGE_PRINT, Adjustment.EXTRA_TIME, Adjustment.LARGE_PRINT),
        adjustments_note=" please call after 2pm ",
        segment=" retail ",
        external_id=" 12-34 ",
    )
    assert cleaned == ContactDetails(
        name="Priya Patel",
        organisation_name="Acme Ltd",
        email="priya@example.com",
        phone="+442079460018",
        address="1 High Street",
        postcode="LS1 4AP",
        preferred_channel=ContactChannel.EMAIL,
        preferred_language="en",
        adjustments=(Adjustment.LARGE_PRINT, Adjustment.EXTRA_TIME),
        adjustments_note="please call after 2pm",
        segment="retail",
        external_id="12-34",
    )


@given(
    email=st.sampled_from(["", "priya@example.com", "bad@", "P@Example.org"]),
    phone=st.sampled_from(["", "020 7946 0018", "12345", "+33 1 42 68 53 00"]),
    address=st.sampled_from(["", "1 High St"]),
    channel=st.sampled_from(ContactChannel),
    kind=st.sampled_from(CustomerKind),
)
def test_clean_contact_is_idempotent(email, phone, address, channel, kind):
    details = ContactDetails(
        name="Priya", email=email, phone=phone, address=address, preferred_channel=channel
    )
    try:
        cleaned = clean_contact(details, kind, "GB")
    except ValidationError as exc:
        assert exc.fields
        return
    assert clean_contact(cleaned, kind, "GB") == cleaned


# --- vulnerability basis --------------------------------------------------------------------


def test_vulnerability_held_on_consent_needs_the_consent_recorded():
    with pytest.raises(ValidationError) as caught:
        check_vulnerability_basis(VulnerabilityBasis.EXPLICIT_CONSENT, consent_given=False)
    assert list(caught.value.fields) == ["consent_given"]


def test_vulnerability_held_with_explicit_consent_is_allowed():
    check_vulnerability_basis(VulnerabilityBasis.EXPLICIT_CONSENT, consent_given=True)


@pytest.mark.parametrize(
    "basis",
    [
        VulnerabilityBasis.SAFEGUARDING,
        VulnerabilityBasis.VITAL_INTERESTS,
        VulnerabilityBasis.LEGAL_CLAIMS,
    ],
)
def test_other_bases_do_not_need_consent(basis):
    check_vulnerability_basis(basis, consent_given=False)


# --- authority to act -----------------------------------------------------------------------

AUTHORITY = AuthorityFacts(
    scope=AuthorityScope.COMPLAINTS,
    valid_from=date(2026, 1, 1),
    expires_on=date(2026, 12, 31),
    revoked=False,
    evidence="Signed authority form, seen 2026-01-02",
)


@pytest.mark.parametrize("to_raise_complaint", [True, False])
def test_a_current_evidenced_authority_has_no_problem(to_raise_complaint):
    assert authority_problem(AUTHORITY, TODAY, to_raise_complaint=to_raise_complaint) is None


def test_a_revoked_authority_may_not_act():
    problem = authority_problem(replace(AUTHORITY, revoked=True), TODAY, to_raise_complaint=False)
    assert problem is not None
    assert "revoked" in problem


def test_an_expired_authority_may_not_act_after_its_last_day():
    facts = replace(AUTHORITY, expires_on=TODAY - timedelta(days=1))
    problem = authority_problem(facts, TODAY, to_raise_complaint=False)
    assert problem is not None
    assert "expired" in problem
    assert (TODAY - timedelta(days=1)).isoformat() in problem


def test_an_authority_may_act_on_its_last_day():
    facts = replace(AUTHORITY, expires_on=TODAY)
    assert authority_problem(facts, TODAY, to_raise_complaint=True) is None


def test_an_authority_not_yet_valid_may_not_act():
    facts = replace(AUTHORITY, valid_from=TODAY + timedelta(days=1))
    problem = authority_problem(facts, TODAY, to_raise_complaint=False)
    assert problem is not None
    assert (TODAY + timedelta(days=1)).isoformat() in problem


def test_an_authority_may_act_from_its_first_day():
    facts = replace(AUTHORITY, valid_from=TODAY)
    assert authority_problem(facts, TODAY, to_raise_complaint=True) is None


def test_an_open_ended_authority_has_no_dates_to_check():
    facts = replace(AUTHORITY, valid_from=None, expires_on=None)
    assert authority_problem(facts, date(2099, 1, 1), to_raise_complaint=True) is None


def test_an_information_only_authority_cannot_raise_a_complaint():
    facts = replace(AUTHORITY, scope=AuthorityScope.INFORMATION_ONLY)
    problem = authority_problem(facts, TODAY, to_raise_complaint=True)
    assert problem is not None
    assert "information only" in problem


def test_an_information_only_authority_may_still_be_told_about_progress():
    facts = replace(AUTHORITY, scope=AuthorityScope.INFORMATION_ONLY)
    assert authority_problem(facts, TODAY, to_raise_complaint=False) is None


@pytest.mark.parametrize(
    "scope",
    [AuthorityScope.ALL_MATTERS, AuthorityScope.COMPLAINTS, AuthorityScope.SPECIFIC_CASES],
)
def test_other_scopes_may_raise_a_complaint(scope):
    facts = replace(AUTHORITY, scope=scope)
    assert authority_problem(facts, TODAY, to_raise_complaint=True) is None


@pytest.mark.parametrize("evidence", ["", "   ", "\n\t"])
def test_an_authority_without_evidence_may_not_act(evidence):
    problem = authority_problem(
        replace(AUTHORITY, evidence=evidence), TODAY, to_raise_complaint=False
    )
    assert problem is not None
    assert "evidence" in problem


facts_strategy = st.builds(
    AuthorityFacts,
    scope=st.sampled_from(AuthorityScope),
    valid_from=st.none() | st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    expires_on=st.none() | st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    revoked=st.booleans(),
    evidence=st.sampled_from(["", " ", "Lasting power of attorney"]),
)


@given(facts_strategy, st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
def test_whatever_stops_someone_being_told_also_stops_them_raising_a_complaint(facts, on):
    if authority_problem(facts, on, to_raise_complaint=False) is not None:
        assert authority_problem(facts, on, to_raise_complaint=True) is not None


@given(facts_strategy, st.dates(), st.booleans())
def test_a_revoked_authority_never_may_act(facts, on, to_raise_complaint):
    revoked = replace(facts, revoked=True)
    assert authority_problem(revoked, on, to_raise_complaint=to_raise_complaint) is not None


# --- representatives ------------------------------------------------------------------------

REPRESENTATIVE = RepresentativeDraft(
    name="  Sam Patel ",
    relationship=Relationship.FAMILY_MEMBER,
    authority_evidence=" Signed third-party authority form ",
    scope=AuthorityScope.COMPLAINTS,
    email=" Sam@Example.com ",
    phone="020 7946 0018",
)


def test_a_representative_is_tidied():
    cleaned = clean_representative(REPRESENTATIVE, "GB")
    assert (cleaned.name, cleaned.authority_evidence, cleaned.email, cleaned.phone) == (
        "Sam Patel",
        "Signed third-party authority form",
        "sam@example.com",
        "+442079460018",
    )


def test_a_representative_names_every_wrong_field():
    draft = replace(
        REPRESENTATIVE,
        name=" ",
        authority_evidence=" ",
        email="sam@",
        phone="12345",
        valid_from=TODAY,
        expires_on=TODAY - timedelta(days=1),
    )
    with pytest.raises(ValidationError) as caught:
        clean_representative(draft, "GB")
    assert set(caught.value.fields) == {
        "name",
        "authority_evidence",
        "email",
        "phone",
        "expires_on",
    }
