"""Roles and what each may do; users, teams and API tokens; token authentication over the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from amends.accounts import services as account_services
from amends.accounts.domain import (
    Role,
    can_administer,
    can_change_case,
    can_change_customers,
    can_see_case,
    can_see_vulnerability,
    hash_token,
)
from amends.accounts.models import ApiToken, User
from amends.core import timeline
from amends.core.errors import ConflictError, ValidationError

OWN_TEAM = 1
OTHER_TEAM = 2
STRONG_PASSWORD = "correct horse battery staple 42"

# --- the role matrix (no database) ----------------------------------------------------------

SEES_EVERY_CASE = {Role.COMPLAINTS_MANAGER, Role.DPO, Role.ADMIN, Role.AUDITOR}
CHANGES_CASES = {Role.AGENT, Role.TEAM_LEAD, Role.COMPLAINTS_MANAGER, Role.ADMIN}
SEES_VULNERABILITY = {Role.TEAM_LEAD, Role.COMPLAINTS_MANAGER, Role.DPO, Role.ADMIN}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_the_cases_of_its_own_team(role):
    assert can_see_case(role, {OWN_TEAM}, OWN_TEAM)


@pytest.mark.parametrize("role", list(Role))
def test_only_organisation_wide_roles_see_another_teams_cases(role):
    assert can_see_case(role, {OWN_TEAM}, OTHER_TEAM) is (role in SEES_EVERY_CASE)


@pytest.mark.parametrize("role", list(Role))
def test_only_organisation_wide_roles_see_cases_with_no_team(role):
    assert can_see_case(role, {OWN_TEAM}, None) is (role in SEES_EVERY_CASE)


@pytest.mark.parametrize("role", [Role.AGENT, Role.TEAM_LEAD])
def test_team_roles_with_no_team_see_no_case(role):
    assert not can_see_case(role, set(), OWN_TEAM)
    assert not can_see_case(role, set(), None)


@pytest.mark.parametrize("role", list(Role))
def test_only_case_handling_roles_change_their_own_teams_cases(role):
    assert can_change_case(role, {OWN_TEAM}, OWN_TEAM) is (role in CHANGES_CASES)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.AGENT, False),
        (Role.TEAM_LEAD, False),
        (Role.COMPLAINTS_MANAGER, True),
        (Role.ADMIN, True),
        (Role.DPO, False),
        (Role.AUDITOR, False),
    ],
)
def test_another_teams_case_can_be_changed_only_by_managers_and_admins(role, expected):
    assert can_change_case(role, {OWN_TEAM}, OTHER_TEAM) is expected


@pytest.mark.parametrize("role", [Role.DPO, Role.AUDITOR])
def test_dpo_and_auditor_see_everything_but_change_nothing(role):
    assert can_see_case(role, set(), OTHER_TEAM)
    assert not can_change_case(role, {OWN_TEAM}, OWN_TEAM)
    assert not can_change_customers(role)


@pytest.mark.parametrize("role", list(Role))
def test_customer_records_are_changed_by_the_roles_that_change_cases(role):
    assert can_change_customers(role) is (role in CHANGES_CASES)


@pytest.mark.parametrize("role", list(Role))
def test_vulnerability_details_are_for_leads_managers_dpo_and_admins_only(role):
    assert can_see_vulnerability(role) is (role in SEES_VULNERABILITY)


@pytest.mark.parametrize("role", list(Role))
def test_only_admins_administer(role):
    assert can_administer(role) is (role is Role.ADMIN)


team_ids = st.frozensets(st.integers(min_value=1, max_value=6), max_size=4)


@given(
    role=st.sampled_from(Role),
    user_teams=team_ids,
    case_team=st.none() | st.integers(min_value=1, max_value=6),
)
def test_whoever_may_change_a_case_may_also_see_it(role, user_teams, case_team):
    if can_change_case(role, user_teams, case_team):
        assert can_see_case(role, user_teams, case_team)


@given(
    role=st.sampled_from([Role.AGENT, Role.TEAM_LEAD]),
    user_teams=team_ids,
    case_team=st.integers(min_value=1, max_value=6),
)
def test_team_roles_see_a_case_exactly_when_it_belongs_to_one_of_their_teams(
    role, user_teams, case_team
):
    assert can_see_case(role, user_teams, case_team) is (case_team in user_teams)


def test_token_hashes_are_stable_sha256_hex_and_differ_between_secrets():
    digest = hash_token("amd_secret")
    assert digest == hash_token("amd_secret")
    assert len(digest) == 64
    assert set(digest) <= set("0123456789abcdef")
    assert digest != hash_token("amd_secreT")


# --- teams ----------------------------------------------------------------------------------


def _events(stream: str) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    return [(e.type, e.data) for e in timeline.events_for(stream)]


def test_creating_a_team_records_team_created_on_the_teams_stream(team):
    assert team.slug == "customer-relations"
    assert team.handles_cases
    assert _events("team:customer-relations") == [
        ("team.created", {"name": "Customer Relations", "handles_cases": True})
    ]


@pytest.mark.django_db
def test_a_department_that_handles_no_cases_can_be_created(now):
    team = account_services.create_team(name="  Legal  ", actor=None, now=now, handles_cases=False)
    assert (team.name, team.slug, team.handles_cases) == ("Legal", "legal", False)
    assert _events("team:legal") == [("team.created", {"name": "Legal", "handles_cases": False})]


def test_a_second_team_with_the_same_name_is_a_conflict(team, now):
    with pytest.raises(ConflictError) as caught:
        account_services.create_team(name="customer relations", actor=None, now=now)
    assert "name" in caught.value.fields
    assert len(_events("team:customer-relations")) == 1


@pytest.mark.django_db
def test_a_team_without_a_name_is_refused(now):
    with pytest.raises(ValidationError) as caught:
        account_services.create_team(name="   ", actor=None, now=now)
    assert list(caught.value.fields) == ["name"]


# --- users ----------------------------------------------------------------------------------


def test_creating_a_user_records_user_created_with_role_teams_and_actor(make_user, team, now):
    admin = make_user("ada", "admin")
    user = account_services.create_user(
        username="sam", role="agent", password=None, teams=[team], actor=admin, now=now
    )
    assert user.role_enum is Role.AGENT
    assert list(user.teams.all()) == [team]
    (event,) = timeline.events_for("user:sam")
    assert event.type == "user.created"
    assert event.data == {"role": "agent", "teams": ["customer-relations"]}
    assert event.actor_id == admin.pk
    assert event.occurred_at == now


def test_a_user_created_without_a_password_cannot_sign_in_with_one(agent):
    assert not agent.has_usable_password()


@pytest.mark.django_db
def test_a_user_created_with_a_strong_password_can_sign_in_with_it(now):
    user = account_services.create_user(
        username="sam", role=Role.TEAM_LEAD, password=STRONG_PASSWORD, actor=None, now=now
    )
    assert user.check_password(STRONG_PASSWORD)
    assert STRONG_PASSWORD not in user.password


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["password", "short", "12345678901234", "samsamsam123"])
def test_a_weak_password_is_refused_naming_the_password_field_and_nothing_is_saved(password, now):
    with pytest.raises(ValidationError) as caught:
        account_services.create_user(
            username="samsamsam", role="agent", password=password, actor=None, now=now
        )
    assert list(caught.value.fields) == ["password"]
    assert caught.value.fields["password"]  # says why
    assert not User.objects.filter(username="samsamsam").exists()
    assert _events("user:samsamsam") == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["superhero", "Agent", ""])
def test_an_unknown_role_is_refused_naming_the_role_field(role, now):
    with pytest.raises(ValidationError) as caught:
        account_services.create_user(username="sam", role=role, password=None, actor=None, now=now)
    assert list(caught.value.fields) == ["role"]
    assert not User.objects.filter(username="sam").exists()


def test_a_second_user_with_the_same_name_is_a_conflict(agent, now):
    with pytest.raises(ConflictError) as caught:
        account_services.create_user(
            username=" alex ", role="dpo", password=None, actor=None, now=now
        )
    assert list(caught.value.fields) == ["username"]
    assert User.objects.get(username="alex").role == "agent"
    assert len(_events("user:alex")) == 1


@pytest.mark.django_db
def test_a_user_without_a_name_is_refused(now):
    with pytest.raises(ValidationError) as caught:
        account_services.create_user(
            username="  ", role="agent", password=None, actor=None, now=now
        )
    assert list(caught.value.fields) == ["username"]


@pytest.mark.parametrize(("role", "staff"), [("admin", True), ("complaints_manager", False)])
def test_only_admins_get_django_admin_rights(make_user, role, staff):
    user = make_user("u", role)
    assert (user.is_staff, user.is_superuser) == (staff, staff)


def test_a_users_team_ids_are_the_teams_they_belong_to(make_user, team, other_team):
    user = make_user("u", "team_lead", [team, other_team])
    assert user.team_ids() == {team.pk, other_team.pk}
    assert make_user("v", "agent").team_ids() == frozenset()


# --- tokens ---------------------------------------------------------------------------------


def test_issuing_a_token_returns_the_secret_once_and_stores_only_its_hash(agent, now):
    token, secret = account_services.issue_token(user=agent, name="laptop", actor=agent, now=now)
    assert secret.startswith("amd_")
    assert len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hash_token(secret)
    assert secret.startswith(stored.prefix)
    assert stored.prefix != secret
    assert secret not in json.dumps(
        [stored.name, stored.prefix, stored.key_hash], ensure_ascii=False
    )
    assert (stored.created_at, stored.last_used_at, stored.revoked_at) == (now, None, None)


def test_each_token_has_its_own_secret(agent, now):
    _, first = account_services.issue_token(user=agent, name="a", actor=None, now=now)
    _, second = account_services.issue_token(user=agent, name="a", actor=None, now=now)
    assert first != second


def test_issuing_a_token_records_its_name_and_prefix_but_never_the_secret(agent, now):
    token, secret = account_services.issue_token(user=agent, name="laptop", actor=agent, now=now)
    (created, issued) = timeline.events_for("user:alex")
    assert created.type == "user.created"
    assert issued.type == "user.token_issued"
    assert issued.data == {"token": "laptop", "prefix": token.prefix}
    assert issued.actor_id == agent.pk
    assert secret not in json.dumps(issued.data)


def test_revoking_a_token_records_user_token_revoked(agent, now):
    token, _ = account_services.issue_token(user=agent, name="laptop", actor=None, now=now)
    account_services.revoke_token(token=token, actor=agent, now=now)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == now
    *_, revoked = timeline.events_for("user:alex")
    assert revoked.type == "user.token_revoked"
    assert revoked.data == {"token": "laptop", "prefix": token.prefix}
    assert revoked.actor_id == agent.pk


def test_revoking_a_token_twice_records_one_revocation(agent, now):
    token, _ = account_services.issue_token(user=agent, name="laptop", actor=None, now=now)
    account_services.revoke_token(token=token, actor=agent, now=now)
    account_services.revoke_token(token=token, actor=agent, now=now)
    types = [e.type for e in timeline.events_for("user:alex")]
    assert types.count("user.token_revoked") == 1


def test_revoking_an_already_revoked_token_loaded_afresh_records_nothing(agent, now):
    token, _ = account_services.issue_token(user=agent, name="laptop", actor=None, now=now)
    account_services.revoke_token(token=token, actor=agent, now=now)
    before = len(list(timeline.events_for("user:alex")))
    account_services.revoke_token(token=ApiToken.objects.get(pk=token.pk), actor=agent, now=now)
    assert len(list(timeline.events_for("user:alex"))) == before


# --- token authentication over the API ------------------------------------------------------


def _assert_unauthenticated(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == "unauthenticated"
    assert body["error"]["message"]
    assert body["error"]["fields"] == {}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_me_with_a_valid_token_says_who_the_token_belongs_to(api_as, lead):
    response = api_as(lead).get("/me")
    assert response.status_code == 200
    assert response.json() == {
        "username": "leah",
        "name": "leah",
        "role": "team_lead",
        "teams": ["customer-relations"],
        "sees_vulnerability": True,
    }


def test_me_tells_an_agent_they_do_not_see_vulnerability_details(api_as, agent):
    assert api_as(agent).get("/me").json()["sees_vulnerability"] is False


def test_using_a_token_notes_when_it_was_last_used(api_as, agent):
    client = api_as(agent)
    client.get("/me")
    assert ApiToken.objects.get(key_hash=hash_token(client.token)).last_used_at is not None


@pytest.mark.django_db
def test_a_request_without_a_token_is_unauthenticated():
    _assert_unauthenticated(Client().get("/api/v1/me"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", ["Bearer amd_not-a-real-token", "Bearer ", "Token amd_whatever", "amd_whatever"]
)
def test_a_request_with_a_bad_or_malformed_token_is_unauthenticated(header):
    _assert_unauthenticated(Client(HTTP_AUTHORIZATION=header).get("/api/v1/me"))


def test_a_revoked_token_is_unauthenticated(api_as, agent, now):
    client = api_as(agent)
    assert client.get("/me").status_code == 200
    token = ApiToken.objects.get(key_hash=hash_token(client.token))
    account_services.revoke_token(token=token, actor=None, now=now)
    _assert_unauthenticated(client.get("/me"))


def test_a_token_of_an_inactive_user_is_unauthenticated(api_as, agent):
    client = api_as(agent)
    assert client.get("/me").status_code == 200
    agent.is_active = False  # no service deactivates users yet
    agent.save(update_fields=["is_active"])
    _assert_unauthenticated(client.get("/me"))


def test_unauthenticated_requests_to_other_endpoints_are_refused_too(customer):
    _assert_unauthenticated(Client().get("/api/v1/customers"))
    _assert_unauthenticated(Client().get(f"/api/v1/customers/{customer.reference}"))
