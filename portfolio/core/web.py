"""Web glue shared by every controller: errors as JSON or pages, form parsing, template helpers."""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

import msgspec
from asyncpg.exceptions import DataError, IntegrityConstraintViolationError
from litestar import MediaType, Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template
from litestar.types import Message, Scope

from portfolio.core import audit, domain, formatting
from portfolio.core.domain import FieldProblem, Principal
from portfolio.core.errors import DomainError, ValidationFailed

API_PREFIX = "/api"
CSRF_COOKIE = "finsam_csrf"

T = TypeVar("T", bound=msgspec.Struct)


def wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path.startswith("/schema")


def _json_error(
    status: int, message: str, field: str | None, errors: list[dict[str, str]]
) -> Response[Any]:
    return Response(
        content={"status_code": status, "message": message, "field": field, "errors": errors},
        status_code=status,
        media_type=MediaType.JSON,
    )


def _error_page(request: Request[Any, Any, Any], status: int, message: str) -> Response[Any]:
    return Template(
        template_name="error.html",
        context={"status": status, "message": message},
        status_code=status,
    )  # type: ignore[return-value]


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    problems = exc.problems if isinstance(exc, ValidationFailed) else []
    if wants_json(request):
        return _json_error(
            exc.status_code,
            exc.message,
            exc.field,
            [{"field": p.field, "message": p.message} for p in problems],
        )
    return _error_page(request, exc.status_code, exc.message)


def validation_error_handler(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Any]:
    """Litestar's own parsing errors, reworded as one message and the field concerned."""
    errors: list[dict[str, str]] = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            field = str(item.get("key") or "").removeprefix("$.")
            errors.append({"field": field, "message": str(item.get("message", ""))})
    first = errors[0] if errors else {"field": "", "message": exc.detail}
    message = f"Ogiltigt värde: {first['message']}" if first["message"] else "Ogiltig begäran."
    if wants_json(request):
        return _json_error(400, message, first["field"] or None, errors)
    return _error_page(request, 400, message)


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    message = {
        401: "Du måste logga in.",
        403: "Du har inte behörighet till detta.",
        404: "Sidan finns inte.",
        405: "Metoden stöds inte här.",
        413: "Förfrågan är för stor.",
    }.get(status, "Något gick fel.")
    if status == 403 and exc.detail:
        if "CSRF" in exc.detail:
            message = "Formuläret har gått ut. Ladda om sidan och försök igen."
        elif exc.detail != "Forbidden":
            message = exc.detail  # a guard's reason, already in Swedish
    if wants_json(request):
        return _json_error(status, message, None, [])
    if isinstance(exc, NotAuthorizedException):
        return Redirect(f"/login?next={quote(request.url.path)}")  # type: ignore[return-value]
    if status >= 500:
        message = "Något gick fel på servern. Försök igen om en stund."
    return _error_page(request, status, message)


def out_of_range_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A number too large for the database (an id of 30 digits, say): the request's fault."""
    message = "Ogiltigt värde: ett tal är för stort eller har fel form."
    if wants_json(request):
        return _json_error(400, message, None, [])
    return _error_page(request, 400, message)


def integrity_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A row the database's constraints refused: a unique value taken by a save at the same
    moment, or a row that was removed meanwhile. The transaction rolled back whole, so nothing
    is half-written; the person tries again on fresh data. Logged, since a check missed it."""
    logging.getLogger("finsam").warning(
        "constraint refused %s %s: %s", request.method, request.url.path, exc
    )
    message = "Uppgifterna ändrades samtidigt av någon annan. Ladda om sidan och försök igen."
    if wants_json(request):
        return _json_error(409, message, None, [])
    return _error_page(request, 409, message)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    OverflowError: out_of_range_handler,  # SQLite: beyond a 64-bit integer
    # PostgreSQL: an id beyond its 32-bit integer (refused by asyncpg before it is sent) or
    # a value out of a column's range; both the request's fault.
    DataError: out_of_range_handler,
    sqlite3.IntegrityError: integrity_handler,
    IntegrityConstraintViolationError: integrity_handler,  # PostgreSQL: the same
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    NotAuthorizedException: http_error_handler,
    PermissionDeniedException: http_error_handler,
    HTTPException: http_error_handler,
}


# -- forms ----------------------------------------------------------------------------------


def _allows_none(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(arg is type(None) for arg in typing.get_args(annotation))
    return False


def _is_bool(annotation: Any) -> bool:
    if annotation is bool:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return bool in typing.get_args(annotation)
    return False


def form_to_struct(form: dict[str, Any], struct: type[T], checkboxes: bool = True) -> T:
    """Validate a submitted HTML form with the same Struct the API uses.

    An empty text field means "no value" for optional fields, and an unticked checkbox
    is absent from the form, so declared bools missing from it are false.
    """
    hints = typing.get_type_hints(struct, include_extras=True)
    data: dict[str, Any] = {}
    for name in struct.__struct_fields__:
        annotation = hints[name]
        inner = (
            typing.get_args(annotation)[0]
            if typing.get_origin(annotation) is typing.Annotated
            else annotation
        )
        if name in form:
            value = form[name]
            if value == "" and _allows_none(inner):
                value = None
            elif _is_bool(inner):
                value = value in ("on", "true", "1", True)
            data[name] = value
        elif checkboxes and _is_bool(inner):
            data[name] = False
    try:
        return msgspec.convert(data, struct, strict=False)
    except msgspec.ValidationError as exc:
        text = str(exc)
        at = re.search(r"at `\$\.(\w+)", text) or re.search(r"required field `(\w+)`", text)
        field = at.group(1) if at else ""
        raise ValidationFailed([FieldProblem(field, _swedish_validation(text))]) from exc


def _swedish_validation(text: str) -> str:
    if "length >= 1" in text or "Object missing required field" in text:
        return "Fältet måste fyllas i."
    if re.search(r"Expected `int\b", text):
        return "Ange ett heltal."
    if "Invalid enum value" in text:
        return "Välj ett av alternativen."
    if re.search(r"Expected `date\b", text) or "Invalid RFC3339" in text:
        return "Ange ett datum som ÅÅÅÅ-MM-DD."
    if "match pattern" in text:
        return "Ange en giltig e-postadress."
    if "length >= 10" in text:
        return "Lösenordet måste ha minst 10 tecken."
    return f"Ogiltigt värde ({text})."


def problems_by_field(exc: DomainError) -> dict[str, str]:
    problems = exc.problems if isinstance(exc, ValidationFailed) else []
    out = {p.field: p.message for p in problems}
    if exc.field and exc.field not in out:
        out[exc.field] = exc.message
    return out


# -- templates ------------------------------------------------------------------------------

TEMPLATE_GLOBALS: dict[str, Any] = {
    "describe_event": audit.describe,
    "count": formatting.format_count,
    "field_label": audit.field_label,
    "ROLE_LABELS": domain.ROLE_LABELS,
    "ORGANISATION_KIND_LABELS": domain.ORGANISATION_KIND_LABELS,
    "INITIATIVE_KIND_LABELS": domain.INITIATIVE_KIND_LABELS,
    "INITIATIVE_STATUS_LABELS": domain.INITIATIVE_STATUS_LABELS,
    "PARTY_ROLE_LABELS": domain.PARTY_ROLE_LABELS,
    "CONDITION_KIND_LABELS": domain.CONDITION_KIND_LABELS,
    "BODY_LABELS": domain.BODY_LABELS,
    "MEETING_STATUS_LABELS": domain.MEETING_STATUS_LABELS,
    "CASE_KIND_LABELS": domain.CASE_KIND_LABELS,
    "ATTENDEE_ROLE_LABELS": domain.ATTENDEE_ROLE_LABELS,
    "Body": domain.Body,
    "CaseKind": domain.CaseKind,
    "ConditionKind": domain.ConditionKind,
    "Role": domain.Role,
    "OrganisationKind": domain.OrganisationKind,
    "InitiativeKind": domain.InitiativeKind,
    "InitiativeStatus": domain.InitiativeStatus,
    "PartyRole": domain.PartyRole,
}

TEMPLATE_FILTERS: dict[str, Any] = {
    "tkr": formatting.format_tkr,
    "kronor": formatting.format_kronor,
    "kr": formatting.format_kr,
    "clock": formatting.format_clock,
    "number": formatting.format_number,
    "date_long": formatting.format_date_long,
    "date_iso": formatting.format_date_iso,
    "timestamp": formatting.format_timestamp,
    "percent": formatting.format_percent,
    "field_label": audit.field_label,
}


def download(data: bytes, filename: str, media_type: str) -> Response[bytes]:
    """A file to save: an ASCII name for old clients and the real Swedish one (RFC 6266/5987)."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in " ._-") else "_" for c in filename)
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    # nosniff: the browser keeps to the declared type, so an upload is never run as a page.
    return Response(
        data,
        media_type=media_type,
        headers={"content-disposition": disposition, "x-content-type-options": "nosniff"},
    )


# -- security headers -----------------------------------------------------------------------

# Our pages load only their own script and stylesheet; inline style attributes are used, inline
# script never (htmx's eval is switched off in base.html). No framing, no plugins, forms post
# only here. The API docs under /schema load Scalar from its CDN, so they are left out.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def security_headers(secure: bool) -> Callable[[Message, Scope], None]:
    """A before-send hook adding the browser's protections to every answer: pages, the API,
    errors, redirects and static files (Litestar runs it for all, unlike route middleware);
    HSTS only when the service runs behind HTTPS (FINSAM_SECURE_COOKIES)."""
    headers = [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
    ]
    if secure:
        headers.append(("strict-transport-security", "max-age=31536000"))

    def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        present = MutableScopeHeaders.from_message(message)
        for name, value in headers:
            if name not in present:
                present.add(name, value)
        docs = scope["path"].startswith("/schema")
        if not docs and "content-security-policy" not in present:
            present.add("content-security-policy", CONTENT_SECURITY_POLICY)

    return add_headers


# -- what every controller shares ----------------------------------------------------------


def principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The signed-in person, put on the scope by the session middleware (401 without one)."""
    user = connection.scope.get("user")
    if not isinstance(user, Principal):
        raise NotAuthorizedException("Du måste logga in.")
    return user


Form = URLEncodedBody[dict[str, Any]]
AnyRequest = Request[Any, Any, Any]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
ChoiceT = TypeVar("ChoiceT")


def me(request: AnyRequest) -> Principal:
    return principal(request)


def this_year() -> int:
    return dt.date.today().year


def csv_response(data: bytes, filename: str) -> Response[bytes]:
    return download(data, filename, "text/csv; charset=utf-8")


def choice(kind: Callable[[str], ChoiceT], text: str | None, field: str) -> ChoiceT | None:
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise ValidationFailed([FieldProblem(field, "Okänt värde i urvalet.")]) from None
