"""Services against the database: locking, audit atomicity, sessions, visibility, log-in."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from portfolio.accounts import services as accounts_services
from portfolio.accounts.schemas import UserCreate, UserUpdate
from portfolio.accounts.sessions import DatabaseStore
from portfolio.core.domain import InitiativeStatus, OrganisationKind, Role
from portfolio.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from portfolio.core.tables import AuditEntry, Initiative
from portfolio.core.versioning import update_versioned
from portfolio.register import queries
from portfolio.register import services as register_services
from portfolio.register.schemas import InitiativeUpdate, OrganisationCreate
from tests import factories


async def test_versioned_update_refuses_a_stale_version_and_changes_nothing() -> None:
    """An UPDATE on an old version raises StaleVersion and leaves the row as the winner left it."""
    w = await factories.world()
    row_id = w.initiative_a["id"]
    await update_versioned(Initiative, row_id, 1, {Initiative.name: "Vinnaren"})
    with pytest.raises(StaleVersion):
        await update_versioned(Initiative, row_id, 1, {Initiative.name: "Förloraren"})
    row = await queries.initiative_row(row_id)
    assert row is not None and row["name"] == "Vinnaren" and row["version"] == 2


async def test_versioned_update_of_a_missing_row_is_not_found() -> None:
    """A missing row is 'not found', not a conflict."""
    with pytest.raises(NotFound):
        await update_versioned(Initiative, 999_999, 1, {Initiative.name: "X"})


async def test_concurrent_saves_of_one_version_let_exactly_one_through() -> None:
    """Ten saves racing on the same version: one wins, nine are told the record changed."""
    w = await factories.world()
    update = InitiativeUpdate(version=1, area="x")

    async def save(n: int) -> str:
        try:
            await register_services.update_initiative(
                w.office, w.initiative_a["id"], InitiativeUpdate(version=1, area=f"område {n}")
            )
            return "ok"
        except StaleVersion:
            return "stale"

    assert update.version == 1
    results = await asyncio.gather(*(save(n) for n in range(10)))
    assert sorted(results) == ["ok"] + ["stale"] * 9
    assert len(await queries.audit_rows("initiative", w.initiative_a["id"])) == 1


async def test_a_refused_change_leaves_no_audit_entry() -> None:
    """The audit entry and the change land together or not at all."""
    w = await factories.world()
    before = await AuditEntry.count()
    with pytest.raises(ValidationFailed):
        await register_services.update_initiative(
            w.office,
            w.initiative_a["id"],
            InitiativeUpdate(
                version=1, period_start=dt.date(2030, 1, 1), period_end=dt.date(2029, 1, 1)
            ),
        )
    assert await AuditEntry.count() == before


async def test_every_change_records_who_when_and_values() -> None:
    """Creating an organisation writes an audit entry with the actor and the new values."""
    w = await factories.world()
    row = await register_services.create_organisation(
        w.office, OrganisationCreate(name="Gamma kommun", kind=OrganisationKind.KOMMUN)
    )
    entry = (await queries.audit_rows("organisation", row["id"]))[0]
    assert entry["actor_email"] == w.office.email
    assert entry["action"] == "create"
    assert entry["at"] is not None
    assert "Gamma kommun" in str(entry["after"])


async def test_audit_never_stores_password_hashes() -> None:
    """Changing a password is audited without the hash."""
    w = await factories.world()
    await accounts_services.update_user(
        w.office, w.owner_a.user_id, UserUpdate(version=1, password="ett-nytt-losenord")
    )
    entry = (await queries.audit_rows("user", w.owner_a.user_id))[0]
    assert "password_hash" not in str(entry["before"]) and "argon2" not in str(entry["after"])


async def test_only_the_office_changes_the_register() -> None:
    """Services refuse a board member or owner whatever the route that calls them."""
    w = await factories.world()
    for actor in (w.board, w.owner_a):
        with pytest.raises(Forbidden):
            await register_services.create_organisation(
                actor, OrganisationCreate(name="X", kind=OrganisationKind.OTHER)
            )


async def test_owner_sees_insatser_of_their_organisation_as_owner_or_party() -> None:
    """The visibility query: lead owner or party, never another organisation's."""
    w = await factories.world()
    own = await queries.initiative_rows(w.owner_a)
    assert [r["name"] for r in own] == ["Alfa-insatsen"]
    office = await queries.initiative_rows(w.office, status=InitiativeStatus.APPLIED)
    assert [r["name"] for r in office] == ["Beta-insatsen"]


async def test_authenticate_checks_password_and_active_flag() -> None:
    """Right password logs in; wrong password or an inactive account does not."""
    w = await factories.world()
    assert (
        await accounts_services.authenticate("agare@alfa.example", factories.PASSWORD) is not None
    )
    assert await accounts_services.authenticate("agare@alfa.example", "fel-lösenord") is None
    assert await accounts_services.authenticate("okand@x.example", factories.PASSWORD) is None
    await accounts_services.update_user(
        w.office, w.owner_a.user_id, UserUpdate(version=1, active=False)
    )
    assert await accounts_services.authenticate("agare@alfa.example", factories.PASSWORD) is None


async def test_office_cannot_lock_itself_out() -> None:
    """The office cannot deactivate or demote its own account by mistake."""
    w = await factories.world()
    with pytest.raises(ValidationFailed):
        await accounts_services.update_user(
            w.office, w.office.user_id, UserUpdate(version=1, role=Role.BOARD)
        )


async def test_new_user_email_is_unique_and_stored_lower_case() -> None:
    """E-mail addresses are compared without regard to case."""
    await factories.world()
    row = await accounts_services.create_user(
        None,
        UserCreate(
            email="Ny@Test.Example", name="Ny", password="tillräckligt-långt", role=Role.BOARD
        ),
    )
    assert row["email"] == "ny@test.example"
    with pytest.raises(Exception, match="redan ett konto"):
        await accounts_services.create_user(
            None,
            UserCreate(
                email="NY@test.example", name="Ny", password="tillräckligt-långt", role=Role.BOARD
            ),
        )


async def test_session_store_round_trip_and_expiry() -> None:
    """Sessions live in the database: set, get, renew, expire and delete."""
    store = DatabaseStore()
    await store.set("abc", b"data", expires_in=60)
    assert await store.get("abc") == b"data"
    assert 0 < (await store.expires_in("abc") or 0) <= 60
    await store.set("abc", b"new", expires_in=60)
    assert await store.get("abc") == b"new"
    await store.set("old", b"x", expires_in=-1)
    assert await store.get("old") is None
    await store.set("gone", b"x", expires_in=60)
    await store.delete("gone")
    assert not await store.exists("gone")
    await store.set("stale", b"x", expires_in=-5)
    assert await store.delete_expired() >= 0


async def test_two_saves_of_one_year_budget_at_once_never_both_win() -> None:
    """Two of the office save a year's budget at the same moment, first as new and then from
    the same version: each time one is saved and the other told to reload, never overwritten."""
    from portfolio.economy import services as economy
    from portfolio.economy.schemas import YearBudgetIn

    w = await factories.world()

    def budget(members: int, version: int | None) -> YearBudgetIn:
        return YearBudgetIn(
            member_contributions=members,
            elected_members=200_000,
            administration=900_000,
            version=version,
        )

    for version in (None, 1):
        results = await asyncio.gather(
            economy.save_year_budget(w.office, 2031, budget(4_000_000, version)),
            economy.save_year_budget(w.office, 2031, budget(5_000_000, version)),
            return_exceptions=True,
        )
        refused = [r for r in results if isinstance(r, BaseException)]
        assert len(refused) == 1 and isinstance(refused[0], StaleVersion), results
        [saved] = [r for r in results if not isinstance(r, BaseException)]
        [stored] = [y for y in await economy.year_budgets() if y.year == 2031]
        assert stored.member_contributions == saved.member_contributions
        assert stored.version == (version or 0) + 1


async def test_guesses_sent_in_parallel_are_all_counted() -> None:
    """Twelve wrong passwords sent at once for one account: five are tried, seven refused,
    as if they had come one after another; a success then clears the account's count."""
    from portfolio.accounts import ratelimit

    results = await asyncio.gather(
        *(ratelimit.attempt("Agare@Alfa.example", f"10.0.0.{n}") for n in range(12)),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, ratelimit.TooManyAttempts)]
    assert len(refused) == 12 - ratelimit.PER_EMAIL
    assert all(isinstance(r, int | ratelimit.TooManyAttempts) for r in results)
    await ratelimit.succeeded("agare@alfa.example")
    await ratelimit.attempt("agare@alfa.example", "10.0.0.1")  # counted afresh: let through


async def test_an_office_behind_one_address_logs_in_together_but_guessing_from_it_is_limited() -> (
    None
):
    """Thirty people logging in at once from one address are all let through; twenty wrong
    passwords from it (on any accounts) close it for the window."""
    from portfolio.accounts import ratelimit

    office = "192.0.2.10"
    attempts = await asyncio.gather(
        *(ratelimit.attempt(f"person{n}@kommun.example", office) for n in range(30))
    )
    assert len(attempts) == 30
    for n in range(ratelimit.PER_ADDRESS):
        await ratelimit.failed(await ratelimit.attempt(f"guess{n}@kommun.example", office))
    with pytest.raises(ratelimit.TooManyAttempts):
        await ratelimit.attempt("someone@kommun.example", office)
    await ratelimit.attempt("someone@kommun.example", "198.51.100.7")  # another address


async def test_retrying_the_right_password_while_locked_does_not_extend_the_lock() -> None:
    """Five wrong passwords lock the account for the window; tries refused meanwhile check
    nothing and count for nothing, so once the wrong ones are old the right password works."""
    import datetime as dt

    from portfolio.accounts import ratelimit
    from portfolio.core.tables import LoginFailure

    for _ in range(ratelimit.PER_EMAIL):
        await ratelimit.failed(await ratelimit.attempt("agare@alfa.example", "10.0.0.1"))
    for _ in range(5):
        with pytest.raises(ratelimit.TooManyAttempts):
            await ratelimit.attempt("agare@alfa.example", "10.0.0.1")
    # The window passes for the wrong passwords.
    await LoginFailure.update({LoginFailure.at: LoginFailure.at - dt.timedelta(minutes=16)}).where(
        LoginFailure.failed == True  # noqa: E712 - a Piccolo column comparison
    )
    await ratelimit.attempt("agare@alfa.example", "10.0.0.1")
