"""Use cases for accounts: users, and checking a password at log-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import anyio.to_thread

from portfolio.accounts import queries
from portfolio.accounts.links import unusable_password_hash
from portfolio.accounts.passwords import hash_password, password_problem, verify_password
from portfolio.accounts.permissions import (
    can_manage,
    require,
)
from portfolio.accounts.schemas import InvitationIn, UserCreate, UserUpdate
from portfolio.core import audit
from portfolio.core.db import write_transaction
from portfolio.core.domain import (
    FieldProblem,
    Principal,
    Role,
)
from portfolio.core.errors import Conflict, NotFound, ValidationFailed
from portfolio.core.queries import organisation_row
from portfolio.core.rows import _columns, _now
from portfolio.core.schemas import set_fields
from portfolio.core.tables import (
    User,
)
from portfolio.core.versioning import update_versioned

# -- people ---------------------------------------------------------------------------------


def _user_problems(role: Role, organisation_id: int | None) -> list[FieldProblem]:
    if role is Role.OWNER and organisation_id is None:
        return [FieldProblem("organisation_id", "En insatsägare måste höra till en organisation.")]
    return []


async def get_user(user_id: int) -> dict[str, Any]:
    row = await queries.user_row(user_id)
    if row is None:
        raise NotFound("Användaren finns inte.")
    return row


async def create_user(actor: Principal | None, data: UserCreate) -> dict[str, Any]:
    """Create an account; `actor` None is the command line, run by whoever runs the server."""
    if actor is not None:
        require(can_manage(actor))
    problems = _user_problems(data.role, data.organisation_id)
    if (reason := password_problem(data.password)) is not None:
        problems.append(FieldProblem("password", reason))
    if problems:
        raise ValidationFailed(problems)
    email = data.email.strip().lower()
    # Hashed before the write transaction, in a thread: it holds neither the lock nor the loop.
    password_hash = await anyio.to_thread.run_sync(hash_password, data.password)
    async with write_transaction():
        if await User.exists().where(User.email == email):
            raise Conflict(f"Det finns redan ett konto för {email}.", field="email")
        if (
            data.organisation_id is not None
            and await organisation_row(data.organisation_id) is None
        ):
            raise NotFound("Organisationen finns inte.")
        row = (
            await User.insert(
                User(
                    email=email,
                    name=data.name.strip(),
                    title=data.title,
                    password_hash=password_hash,
                    role=data.role,
                    organisation=data.organisation_id,
                )
            ).returning(*User._meta.columns)
        )[0]
        await audit.record(actor, "create", "user", row["id"], None, row, email)
    return row


async def create_invited_user(actor: Principal, data: InvitationIn) -> dict[str, Any]:
    """An account without a usable password, for a person invited by e-mail; audited."""
    require(can_manage(actor))
    problems = _user_problems(data.role, data.organisation_id)
    if problems:
        raise ValidationFailed(problems)
    email = data.email.strip().lower()
    async with write_transaction():
        if await User.exists().where(User.email == email):
            raise Conflict(f"Det finns redan ett konto för {email}.", field="email")
        if (
            data.organisation_id is not None
            and await organisation_row(data.organisation_id) is None
        ):
            raise NotFound("Organisationen finns inte.")
        row = (
            await User.insert(
                User(
                    email=email,
                    name=data.name.strip(),
                    title=data.title,
                    password_hash=unusable_password_hash(),
                    role=data.role,
                    organisation=data.organisation_id,
                )
            ).returning(*User._meta.columns)
        )[0]
        await audit.record(actor, "invite", "user", row["id"], None, row, email)
    return row


def awaits_invitation(row: dict[str, Any]) -> bool:
    """Invited, and no password chosen yet."""
    return str(row["password_hash"]).startswith("!")


async def update_user(actor: Principal, user_id: int, update: UserUpdate) -> dict[str, Any]:
    require(can_manage(actor))
    new_password = update.password if isinstance(update.password, str) else None
    new_hash = (
        await anyio.to_thread.run_sync(hash_password, new_password)
        if new_password is not None and password_problem(new_password) is None
        else None
    )
    async with write_transaction():
        before = await get_user(user_id)
        values = set_fields(update)
        role = Role(str(values.get("role", before["role"])))
        org = values.get("organisation_id", before["organisation"])
        problems = _user_problems(role, org if isinstance(org, int) else None)
        if "password" in values:
            password = str(values.pop("password"))
            if (reason := password_problem(password)) is not None:
                problems.append(FieldProblem("password", reason))
            values["password_hash"] = new_hash or ""
            values["sessions_since"] = dt.datetime.now(dt.UTC)  # a new password ends sessions
        if problems:
            raise ValidationFailed(problems)
        if user_id == actor.user_id and (values.get("active") is False or role is not Role.OFFICE):
            raise ValidationFailed(
                [FieldProblem("role", "Du kan inte ta bort din egen behörighet som kansli.")]
            )
        if "organisation_id" in values:
            values["organisation"] = values.pop("organisation_id")
        after = await update_versioned(
            User, user_id, update.version, _columns(User, values), what="Användaren"
        )
        await audit.record(actor, "update", "user", user_id, before, after)
    return after


async def authenticate(email: str, password: str) -> dict[str, Any] | None:
    """The active user with this e-mail and password, or None; records the log-in."""
    row = await queries.user_by_email(email)
    # Argon2id takes about 0.1 s of CPU by design: in a thread, so that the worker's other
    # requests do not wait for it.
    stored = row["password_hash"] if row else None
    if not await anyio.to_thread.run_sync(verify_password, stored, password):
        return None
    assert row is not None
    if not row["active"]:
        return None
    await User.update({User.last_login_at: _now()}).where(User.id == row["id"])
    principal = principal_from_row(row)
    await audit.record(principal, "login", "user", row["id"], summary="Inloggning")
    return row


def principal_from_row(row: dict[str, Any]) -> Principal:
    return Principal(
        user_id=row["id"],
        email=row["email"],
        name=row["name"],
        role=Role(row["role"]),
        organisation_id=row["organisation"],
    )
