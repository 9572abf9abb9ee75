"""Who may do what: pure `can_*` functions shared by guards, pages and the API.

Each returns a Decision, which is truthy when allowed and carries the reason when not, so
that a page can explain a missing button and the API can explain a 403 the same way.
"""

from __future__ import annotations

from typing import NamedTuple

from portfolio.core.domain import Principal, Role
from portfolio.core.errors import Forbidden


class Decision(NamedTuple):
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def can_manage(user: Principal) -> Decision:
    """The office runs the register, the meetings and the settings."""
    if user.role is Role.OFFICE:
        return ALLOWED
    return Decision(False, "Endast förbundets kansli kan göra detta.")


def can_read_portfolio(user: Principal) -> Decision:
    """The whole portfolio (every insats, the audit-free overview): office and board."""
    if user.role in (Role.OFFICE, Role.BOARD):
        return ALLOWED
    return Decision(False, "Insatsägare ser bara sin egen organisations insatser.")


def can_view_initiative(user: Principal, lead_owner_id: int, party_ids: set[int]) -> Decision:
    """Office and board read every insats; an owner those their organisation owns or takes part in."""
    if user.role in (Role.OFFICE, Role.BOARD):
        return ALLOWED
    if user.organisation_id is not None and (
        user.organisation_id == lead_owner_id or user.organisation_id in party_ids
    ):
        return ALLOWED
    return Decision(False, "Insatsen tillhör en annan organisation.")


def can_edit_initiative(user: Principal, lead_owner_id: int) -> Decision:
    """The register entry is the office's; the lead owner edits it through applications."""
    if user.role is Role.OFFICE:
        return ALLOWED
    if user.role is Role.OWNER and user.organisation_id == lead_owner_id:
        return Decision(False, "Ändringar av insatsen görs genom en ansökan.")
    return Decision(False, "Du har inte behörighet att ändra insatsen.")


def can_view_organisation_contacts(user: Principal, organisation_id: int) -> Decision:
    """Contact details: office and board for all, an owner for their own organisation."""
    if user.role in (Role.OFFICE, Role.BOARD) or user.organisation_id == organisation_id:
        return ALLOWED
    return Decision(False, "Kontaktuppgifterna tillhör en annan organisation.")


def can_read_audit(user: Principal) -> Decision:
    return can_manage(user)


def require(decision: Decision) -> None:
    if not decision:
        raise Forbidden(decision.reason)
