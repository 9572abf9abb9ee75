"""Optional two-factor log-in (TOTP, RFC 6238) for office and board accounts.

Enrolment stores a secret unconfirmed; a code from the person's app confirms it and gives ten
recovery codes, shown once and kept only as hashes. The secret itself is kept sealed
(`sealing.py`): a copy of the database alone cannot make anyone's codes. Log-in then asks for a code after the
password. A code is accepted once (its time step is remembered); the office can reset a
person's second factor when a phone is lost. Every change is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
from typing import Any

import pyotp
import segno

from portfolio.accounts.permissions import ALLOWED, Decision, can_manage, require
from portfolio.core import audit
from portfolio.core.db import write_transaction
from portfolio.core.domain import FieldProblem, Principal, Role
from portfolio.core.errors import Conflict, NotFound, ValidationFailed
from portfolio.core.sealing import SealBroken, seal, unseal
from portfolio.core.settings import get_settings
from portfolio.core.tables import SecondFactor, User

log = logging.getLogger("finsam.two_factor")

ISSUER = "Finsam Portfolio"
RECOVERY_CODES = 10
PENDING_SECONDS = 300  # time between the password and the code at log-in


def can_use_two_factor(user: Principal) -> Decision:
    """Office and board accounts open the whole portfolio; they may add a second factor."""
    if user.role in (Role.OFFICE, Role.BOARD):
        return ALLOWED
    return Decision(False, "Tvåstegsverifiering finns för kansliets och styrelsens konton.")


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _normalise(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())


def _recovery_code() -> str:
    raw = secrets.token_hex(5)  # 40 bits each, ten of them, used once
    return f"{raw[:5]}-{raw[5:]}"


def qr_svg(uri: str) -> str:
    """The enrolment link as an inline SVG QR code (no image files, no JavaScript)."""
    svg: str = segno.make(uri, error="m").svg_inline(
        scale=4, title="QR-kod för autentiseringsappen"
    )
    return svg


async def _factor(user_id: int) -> dict[str, Any] | None:
    return await SecondFactor.select().where(SecondFactor.user == user_id).first()


def _sealed(secret: str) -> str:
    return seal(secret, get_settings().secret_key)


def _secret_of(row: dict[str, Any]) -> str | None:
    """The row's TOTP secret, or None when the secret key has changed since it was sealed
    (its recovery codes still work, and the office can reset it)."""
    try:
        return unseal(row["secret"], get_settings().secret_key)
    except SealBroken:
        log.warning("the two-factor secret of user %s cannot be opened: key changed", row["user"])
        return None


async def is_enabled(user_id: int) -> bool:
    row = await _factor(user_id)
    return bool(row and row["confirmed_at"])


async def enabled_user_ids() -> set[int]:
    rows = await SecondFactor.select(SecondFactor.user).where(
        SecondFactor.confirmed_at.is_not_null()
    )
    return {r["user"] for r in rows}


async def start_enrolment(actor: Principal) -> tuple[str, str]:
    """A new secret, unconfirmed; returns it and the otpauth:// link for the app."""
    require(can_use_two_factor(actor))
    if await is_enabled(actor.user_id):
        raise Conflict("Tvåstegsverifiering är redan påslagen för ditt konto.")
    secret = pyotp.random_base32()
    async with write_transaction():
        await SecondFactor.delete().where(SecondFactor.user == actor.user_id)
        await SecondFactor.insert(SecondFactor(user=actor.user_id, secret=_sealed(secret)))
        await audit.record(
            actor, "start_two_factor", "user", actor.user_id, summary="Ny nyckel, ej bekräftad"
        )
    return secret, provisioning_uri(secret, actor.email)


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


async def pending_secret(actor: Principal) -> str | None:
    row = await _factor(actor.user_id)
    return _secret_of(row) if row and not row["confirmed_at"] else None


def _accepted_step(secret: str | None, code: str, last_step: int, now: dt.datetime) -> int | None:
    """The time step `code` belongs to (a step either side allowed for clock drift), if unused."""
    if secret is None:
        return None
    totp = pyotp.TOTP(secret)
    code = _normalise(code)
    for offset in (-1, 0, 1):
        at = now + dt.timedelta(seconds=offset * totp.interval)
        step = totp.timecode(at)
        if step > last_step and hmac.compare_digest(totp.at(at), code):
            return step
    return None


async def confirm_enrolment(actor: Principal, code: str) -> list[str]:
    """Turn the second factor on with a code from the app; returns the recovery codes, once."""
    require(can_use_two_factor(actor))
    row = await _factor(actor.user_id)
    if row is None or row["confirmed_at"]:
        raise NotFound("Börja om: det finns ingen tvåstegsverifiering att bekräfta.")
    step = _accepted_step(_secret_of(row), code, row["last_step"], dt.datetime.now(dt.UTC))
    if step is None:
        raise ValidationFailed([FieldProblem("code", "Koden stämmer inte. Prova nästa kod.")])
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    async with write_transaction():
        await SecondFactor.update(
            {
                SecondFactor.confirmed_at: dt.datetime.now(dt.UTC),
                SecondFactor.last_step: step,
                SecondFactor.recovery_hashes: json.dumps([_hash(c) for c in codes]),
            }
        ).where(SecondFactor.id == row["id"])
        await audit.record(
            actor, "enable_two_factor", "user", actor.user_id, summary="Tvåstegsverifiering på"
        )
    return codes


async def verify(user_id: int, code: str) -> bool:
    """A current code from the app, or an unused recovery code (which is then used up)."""
    async with write_transaction():
        row = await _factor(user_id)
        if row is None or not row["confirmed_at"]:
            return False
        step = _accepted_step(_secret_of(row), code, row["last_step"], dt.datetime.now(dt.UTC))
        if step is not None:
            # Only a later step than the last: the same code twice is refused, on any worker.
            updated = await (
                SecondFactor.update({SecondFactor.last_step: step})
                .where((SecondFactor.id == row["id"]) & (SecondFactor.last_step < step))
                .returning(SecondFactor.id)
            )
            return bool(updated)
        hashes = row["recovery_hashes"]
        hashes = json.loads(hashes) if isinstance(hashes, str) else list(hashes)
        if _hash(code) not in hashes:
            return False
        hashes.remove(_hash(code))
        await SecondFactor.update({SecondFactor.recovery_hashes: json.dumps(hashes)}).where(
            SecondFactor.id == row["id"]
        )
        await audit.record(
            None,
            "use_recovery_code",
            "user",
            user_id,
            summary=f"Reservkod använd, {len(hashes)} kvar",
        )
        return True


async def reset(actor: Principal, user_id: int) -> None:
    """The office removes a person's second factor (a lost phone); they log in with the password."""
    require(can_manage(actor))
    async with write_transaction():
        user = await User.select(User.id, User.email).where(User.id == user_id).first()
        if user is None:
            raise NotFound("Användaren finns inte.")
        removed = (
            await SecondFactor.delete()
            .where(SecondFactor.user == user_id)
            .returning(SecondFactor.id)
        )
        if removed:
            # Whoever holds the lost phone may hold a session too: it ends with the reset.
            await User.update({User.sessions_since: dt.datetime.now(dt.UTC)}).where(
                User.id == user_id
            )
            await audit.record(
                actor,
                "reset_two_factor",
                "user",
                user_id,
                summary=f"Tvåstegsverifiering återställd för {user['email']}",
            )
