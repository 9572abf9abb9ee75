"""The audit trail: every change of state, with who, when, and the values before and after."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import msgspec

from portfolio.core.domain import Principal
from portfolio.core.tables import AuditEntry

# How the log reads in Swedish: "Ändrade insats", "Loggade in".
ACTION_LABELS = {
    "create": "Skapade",
    "update": "Ändrade",
    "delete": "Tog bort",
    "login": "Loggade in",
    "submit": "Lämnade in",
    "accept": "Godkände",
    "return": "Skickade tillbaka",
    "approve": "Godkände",
    "reject": "Avslog",
    "pay": "Förde in utbetalning av",
    "start_two_factor": "Började slå på tvåstegsverifiering för",
    "enable_two_factor": "Slog på tvåstegsverifiering för",
    "reset_two_factor": "Återställde tvåstegsverifiering för",
    "use_recovery_code": "Använde en reservkod för",
    "queue": "Köade",
    "retry": "Skickade om",
    "register_received": "Registrerade inkommen",
    "invite": "Bjöd in",
    "resend_invitation": "Skickade om inbjudan till",
    "withdraw_invitation": "Drog tillbaka inbjudan till",
    "accept_invitation": "Tog emot inbjudan och valde lösenord för",
    "request_reset": "Begärde länk för nytt lösenord till",
    "reset_password": "Bytte lösenord med länk för",
}
ENTITY_LABELS = {
    "association": "förbundets uppgifter",
    "organisation": "organisation",
    "contact": "kontaktperson",
    "user": "användare",
    "initiative": "insats",
    "initiative_party": "part i insats",
    "contribution_key": "fördelningsnyckel",
    "demo": "demonstrationsdata",
    "condition": "villkor",
    "application": "ansökan",
    "attachment": "bilaga",
    "meeting": "möte",
    "case_note": "privat anteckning till ärende",
    "proposal": "förslag till beslut",
    "decision": "beslut",
    "year_budget": "årets budget",
    "case": "ärende",
    "agenda_item": "punkt på dagordningen",
    "agenda": "dagordningens ordning",
    "attendance": "närvaro vid möte",
    "report": "rapport",
    "requisition": "rekvisition",
    "mail": "e-post",
    "mail_template": "e-postmall",
    "board_person": "person i styrelseregistret",
}


def describe(action: str, entity: str) -> str:
    """A log entry's event in Swedish, falling back to the stored words for new kinds."""
    return f"{ACTION_LABELS.get(action, action)} {ENTITY_LABELS.get(entity, entity)}"


def snapshot(
    row: dict[str, Any] | None, hidden: frozenset[str] = frozenset()
) -> dict[str, Any] | None:
    """A row as JSON-safe values, without secrets such as password hashes."""
    if row is None:
        return None
    return {
        key: _plain(value)
        for key, value in row.items()
        if key not in hidden and key not in {"password_hash"}
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The keys whose value differs, for a compact listing of what changed."""
    before, after = before or {}, after or {}
    skip = {"version", "updated_at"}
    return sorted(
        k for k in before.keys() | after.keys() if k not in skip and before.get(k) != after.get(k)
    )


async def record(
    actor: Principal | None,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> None:
    """Write one entry; call inside the transaction that makes the change, so both or neither land."""
    before_plain, after_plain = snapshot(before), snapshot(after)
    await AuditEntry.insert(
        AuditEntry(
            actor=actor.user_id if actor else None,
            actor_email=actor.email if actor else "system",
            action=action,
            entity=entity,
            entity_id=entity_id,
            summary=summary[:500],
            before=msgspec.json.encode(before_plain).decode() if before_plain is not None else None,
            after=msgspec.json.encode(after_plain).decode() if after_plain is not None else None,
        )
    )
