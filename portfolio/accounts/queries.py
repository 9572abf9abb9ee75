"""Read queries for accounts: users and the signed-in principal."""

from __future__ import annotations

from typing import Any

from portfolio.core.tables import (
    User,
)


async def user_rows() -> list[dict[str, Any]]:
    return await User.select(*User._meta.columns).order_by(User.role).order_by(User.name)


async def user_row(user_id: int) -> dict[str, Any] | None:
    return await User.select().where(User.id == user_id).first()


async def user_by_email(email: str) -> dict[str, Any] | None:
    return await User.select().where(User.email == email.strip().lower()).first()


async def principal_row(user_id: int) -> dict[str, Any] | None:
    """Just what a request needs to know about the signed-in person."""
    return await (
        User.select(
            User.id,
            User.email,
            User.name,
            User.role,
            User.organisation,
            User.active,
            User.sessions_since,
        )
        .where(User.id == user_id)
        .first()
    )
