"""Litestar guards: thin wrappers that apply the pure permission functions to a request."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from portfolio.domain import Principal
from portfolio.permissions import can_manage, can_read_portfolio


def principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    user = connection.scope.get("user")
    if not isinstance(user, Principal):
        raise NotAuthorizedException("Du måste logga in.")
    return user


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
