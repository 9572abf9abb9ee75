"""Litestar guards: thin wrappers that apply the pure permission functions to a request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import (
    HTTPException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.handlers.base import BaseRouteHandler

from portfolio.accounts.access import ACCESS, REFUSAL, Who
from portfolio.accounts.permissions import can_manage, can_read_portfolio
from portfolio.core.domain import Role
from portfolio.core.tables import Contact, Decision, Initiative, InitiativeParty
from portfolio.core.web import principal


def json_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """For the API's log-in, which takes no CSRF token (there is no session yet to bind one
    to): a page on another site can post a form as text/plain, never as application/json
    without the browser asking first, so insisting on JSON stops log-in CSRF (being logged
    into someone else's account unawares)."""
    media_type = connection.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise HTTPException(
            status_code=415, detail="Skicka inloggningen som JSON (Content-Type: application/json)."
        )


def signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    principal(connection)


def office_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    decision = can_manage(principal(connection))
    if not decision:
        raise PermissionDeniedException(decision.reason)


def portfolio_readers(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    decision = can_read_portfolio(principal(connection))
    if not decision:
        raise PermissionDeniedException(decision.reason)


# -- declared access ------------------------------------------------------------------------

# Which organisations "own" the thing a path parameter names: an owner passes a route declared
# `Who.OWN` only when their organisation is among them. Each package registers its parameters.
OwnersOf = Callable[[int], Awaitable[set[int]]]
OWNERS_BY_PARAMETER: dict[str, OwnersOf] = {}
# Parameters whose thing is addressed to people (user ids), for routes declared Who.SELF.
ADDRESSEES_BY_PARAMETER: dict[str, OwnersOf] = {}
# Things everyone may know exist (the member organisations): refused with 403, not 404.
KNOWN_TO_ALL: set[str] = set()

# What each restricting guard already allows; `signed_in` restricts nothing by itself.
GUARD_ACCESS: dict[Callable[..., Any], frozenset[Who]] = {
    office_only: frozenset({Who.OFFICE}),
    portfolio_readers: frozenset({Who.OFFICE, Who.BOARD}),
}


def addressees_of(parameter: str) -> Callable[[OwnersOf], OwnersOf]:
    """Register how a path parameter's thing names the people it was addressed to (user ids),
    for routes declared `Who.SELF`."""

    def register(lookup: OwnersOf) -> OwnersOf:
        ADDRESSEES_BY_PARAMETER[parameter] = lookup
        return lookup

    return register


def owners_of(parameter: str, known_to_all: bool = False) -> Callable[[OwnersOf], OwnersOf]:
    def register(lookup: OwnersOf) -> OwnersOf:
        OWNERS_BY_PARAMETER[parameter] = lookup
        if known_to_all:
            KNOWN_TO_ALL.add(parameter)
        return lookup

    return register


@owners_of("organisation_id", known_to_all=True)
async def _organisation_owners(organisation_id: int) -> set[int]:
    return {organisation_id}


@owners_of("contact_id")
async def _contact_owners(contact_id: int) -> set[int]:
    row = await Contact.select(Contact.organisation).where(Contact.id == contact_id).first()
    return {row["organisation"]} if row else set()


async def _initiative_parties(initiative_id: int | None) -> set[int]:
    if initiative_id is None:
        return set()
    row = (
        await Initiative.select(Initiative.lead_owner).where(Initiative.id == initiative_id).first()
    )
    if row is None:
        return set()
    parties = await InitiativeParty.select(InitiativeParty.organisation).where(
        InitiativeParty.initiative == initiative_id
    )
    return {row["lead_owner"], *(p["organisation"] for p in parties)}


@owners_of("initiative_id")
async def _initiative_owners(initiative_id: int) -> set[int]:
    return await _initiative_parties(initiative_id)


@owners_of("decision_id")
async def _decision_owners(decision_id: int) -> set[int]:
    row = await Decision.select(Decision.case.initiative).where(Decision.id == decision_id).first()
    return await _initiative_parties(row["case.initiative"] if row else None)


def declared_access(handler: BaseRouteHandler) -> frozenset[Who] | None:
    """Who may use a route: its `opt` declaration narrowed by its guards; None when undeclared."""
    allowed: frozenset[Who] | None = handler.opt.get(ACCESS)
    for guard in handler.resolve_guards():
        implied = GUARD_ACCESS.get(getattr(guard, "func", guard))
        if implied is not None:
            allowed = implied if allowed is None else allowed & implied
    return allowed


async def enforce_declared_access(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """The app-wide guard: the role must be declared, and an owner must own the thing named.

    It runs before the body is read, so a refused request is refused whatever it carries;
    the services still apply their finer rules (a draft, a sent-in version) after it.
    """
    declared: frozenset[Who] | None = handler.opt.get(ACCESS)
    if declared is None or handler.opt.get("exclude_from_auth"):
        return
    user = principal(connection)
    if user.role is Role.OFFICE and Who.OFFICE in declared:
        return
    if user.role is Role.BOARD and Who.BOARD in declared:
        return
    if user.role is Role.OWNER and Who.OWNER in declared:
        return
    if Who.SELF in declared:
        addressed = [
            (name, value)
            for name, value in connection.path_params.items()
            if name in ADDRESSEES_BY_PARAMETER and isinstance(value, int)
        ]
        for name, value in addressed:
            if user.user_id not in await ADDRESSEES_BY_PARAMETER[name](value):
                raise NotFoundException("Finns inte.")  # someone else's: reveal nothing
        if addressed:
            return
    if user.role is Role.OWNER and Who.OWN in declared:
        named = [
            (name, value)
            for name, value in connection.path_params.items()
            if name in OWNERS_BY_PARAMETER and isinstance(value, int)
        ]
        if named:
            for name, value in named:
                if user.organisation_id not in await OWNERS_BY_PARAMETER[name](value):
                    if name in KNOWN_TO_ALL and connection.scope.get("method") != "GET":
                        raise PermissionDeniedException("Det tillhör en annan organisation.")
                    # Not "forbidden": another organisation's ids should reveal nothing.
                    raise NotFoundException("Finns inte.")
            return
    raise PermissionDeniedException(
        handler.opt.get(REFUSAL) or "Du har inte behörighet till detta."
    )
