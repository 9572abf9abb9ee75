"""Web glue shared by every controller: errors as JSON or pages, form parsing, template helpers."""

from __future__ import annotations

import datetime as dt
import http
import logging
import re
import secrets
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
from litestar.enums import RequestEncodingType
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.params import BodyKwarg, URLEncodedBody
from litestar.response import Redirect, Template
from litestar.types import Message, Scope

from portfolio.core import audit, domain, formatting
from portfolio.core.domain import FieldProblem, Principal
from portfolio.core.errors import DomainError, InvalidInput, ValidationFailed
from portfolio.core.schemas import MONEY_FIELDS, field_label, input_problems, spaced

API_PREFIX = "/api"
CSRF_COOKIE = "finsam_csrf"
log = logging.getLogger("finsam")

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
            exc.field or None,
            [{"field": p.field, "message": p.message} for p in problems],
        )
    return _error_page(request, exc.status_code, exc.message)


def validation_error_handler(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Any]:
    """Litestar's own parsing errors (path and query parameters; bodies are checked before, by
    `check_json_body`), reworded in Swedish naming the field and the rule."""
    problems = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            field = str(item.get("key") or "").removeprefix("$.")
            problems.append(swedish_problem(str(item.get("message", "")), field))
    if not problems:
        problems = [FieldProblem("", "Ogiltig begäran: ett värde har fel form.")]
    errors = [{"field": p.field, "message": p.message} for p in problems]
    first = problems[0]
    if wants_json(request):
        return _json_error(400, first.message, first.field or None, errors)
    return _error_page(request, 400, first.message)


# What Litestar itself answers in English, said in Swedish; a detail of our own (a guard's
# reason, the log-in's) is Swedish already and kept.
_HTTP_MESSAGES = {
    400: "Ogiltig begäran.",
    401: "Du måste logga in.",
    403: "Du har inte behörighet till detta.",
    404: "Sidan finns inte.",
    405: "Metoden stöds inte här.",
    413: "Förfrågan är för stor.",
    415: "Innehållstypen stöds inte: skicka JSON med Content-Type: application/json.",
    429: "För många försök. Vänta en stund och försök igen.",
    503: "Tjänsten är tillfälligt överbelastad. Försök igen om en stund.",
}
_ENGLISH_400 = (
    (re.compile(r"UTF-8|utf-8|decode", re.I), "Begäran är inte giltig UTF-8-text."),
    (re.compile(r"JSON|json|truncated|Malformed|Expected", re.I), "Begäran är inte giltig JSON."),
)


def _swedish_detail(status: int, detail: str) -> str | None:
    """A detail written by us (a guard's reason, the log-in's 415): a Swedish sentence, ending
    with a full stop as none of Litestar's English details does. A 404 always says the same,
    so that another organisation's ids reveal nothing."""
    if status == 404 or not detail or detail == http.HTTPStatus(status).phrase:
        return None
    if status == 403 and "CSRF" not in detail:
        return detail  # a guard's reason, already in Swedish
    return detail if detail.endswith(".") else None


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status >= 500:
        return server_error_handler(request, exc)
    message = _swedish_detail(status, exc.detail) or _HTTP_MESSAGES.get(status, "")
    if status == 400 and not _swedish_detail(status, exc.detail):
        message = next(
            (text for pattern, text in _ENGLISH_400 if pattern.search(exc.detail or "")),
            _HTTP_MESSAGES[400],
        )
    if status == 403 and exc.detail and "CSRF" in exc.detail:
        message = "Formuläret har gått ut. Ladda om sidan och försök igen."
    if not message:
        message = f"Begäran kunde inte tas emot ({status})."
    if wants_json(request):
        response = _json_error(status, message, None, [])
        if exc.headers:
            response.headers.update(exc.headers)
        return response
    if isinstance(exc, NotAuthorizedException):
        return Redirect(f"/login?next={quote(request.url.path)}")  # type: ignore[return-value]
    return _error_page(request, status, message)


def server_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Anything unforeseen: logged with its traceback under a reference the answer also gives,
    so a person who reports it can be matched to the log line."""
    reference = secrets.token_hex(6)
    log.error("server error %s on %s %s", reference, request.method, request.url.path, exc_info=exc)
    message = (
        "Något gick fel på servern. Försök igen om en stund; "
        f"kvarstår felet, uppge referens {reference}."
    )
    if wants_json(request):
        response = _json_error(500, message, None, [])
        response.content["reference"] = reference  # documented as ServerErrorOut.reference
        response.headers["x-error-reference"] = reference
        return response
    page = _error_page(request, 500, message)
    page.headers["x-error-reference"] = reference
    return page


def out_of_range_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A number too large for the database (an id of 30 digits, say): the request's fault.
    Or, on PostgreSQL, a character its text cannot hold (NUL) in a query parameter."""
    message = "Ogiltigt värde: ett tal är för stort eller har fel form."
    if "0x00" in str(exc) or "\\u0000" in str(exc):
        message = "Ogiltigt värde: texten innehåller ett otillåtet tecken (U+0000)."
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
    Exception: server_error_handler,
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
        parsed = msgspec.convert(data, struct, strict=False)
    except msgspec.ValidationError as exc:
        # On a page the message stands beside the field's own label: the rule alone.
        raise ValidationFailed([swedish_problem(str(exc), named=False)]) from exc
    if problems := input_problems(parsed):
        raise ValidationFailed(problems)
    return parsed


def swedish_problem(text: str, at: str = "", named: bool = True) -> FieldProblem:
    """One of msgspec's English refusals ("Expected `int` <= 1000000000 - at `$.amount`") as a
    Swedish one naming the field and the rule ("Belopp får vara högst 1 000 000 000 kr.").
    `named=False` leaves the field's name out, for a page that shows it beside the field."""
    message, _, where = text.partition(" - at `")
    path = at or where.rstrip("`").removeprefix("$").removeprefix(".")
    path = path.replace("[...]", "")
    if missing := re.search(r"required field `(\w+)`", message):
        path = f"{path}.{missing.group(1)}" if path else missing.group(1)
    last = re.sub(r"\[\d+\]$", "", path.rpartition(".")[2])
    unit = " kr" if last in ("amount", "amounts") or last in MONEY_FIELDS else ""
    phrase, alone = _rule(message, unit)
    if not named:
        return FieldProblem(path, alone)
    if "{path}" in phrase:
        return FieldProblem(path, phrase.replace("{path}", path or "värdet"))
    return FieldProblem(path, f"{field_label(path)} {phrase}")


def _rule(message: str, unit: str) -> tuple[str, str]:
    """(what the field must be, as said after its name; the same said alone)."""
    if "Object missing required field" in message or re.search(r"length >= 1$", message):
        return "måste fyllas i.", "Fältet måste fyllas i."
    if bound := re.search(r"Expected `(str|array|object)` of length ([<>]=?) (\d+)", message):
        kind, op, number = bound.groups()
        what = "tecken" if kind == "str" else "rader"
        if kind == "str" and number == "10" and op == ">=":
            return "måste ha minst 10 tecken.", "Lösenordet måste ha minst 10 tecken."
        said = f"{'högst' if op.startswith('<') else 'minst'} {spaced(int(number))} {what}"
        if op in ("<", ">"):
            said = f"{'färre' if op == '<' else 'fler'} än {spaced(int(number))} {what}"
        verb = "får ha" if kind != "str" and op.startswith("<") else "får vara"
        if op.startswith(">"):
            verb = "måste ha"
        return f"{verb} {said}.", f"{verb.capitalize()} {said}."
    if bound := re.search(r"Expected `(?:int|float)` ([<>]=?) (-?\d+)", message):
        op, number = bound.groups()
        limit = f"{spaced(int(number))}{unit}"
        said = {
            "<=": f"får vara högst {limit}",
            ">=": f"måste vara minst {limit}",
            "<": f"måste vara mindre än {limit}",
            ">": f"måste vara större än {limit}",
        }[op]
        if op == ">=" and number == "0":
            said = "kan inte vara negativt"
        return f"{said}.", f"{said.capitalize()}."
    if "matching regex" in message:
        if "\\S" in message and "@" not in message:
            return "måste fyllas i (inte bara mellanslag).", "Fältet måste fyllas i."
        if "@" in message:
            return "ska vara en giltig e-postadress.", "Ange en giltig e-postadress."
        if "[0-5]" in message:
            return "ska vara en tid som TT:MM.", "Ange en tid som TT:MM."
        return "har fel form.", "Värdet har fel form."
    if "Invalid enum value" in message:
        return (
            "Ogiltigt värde för {path}: välj ett av de tillåtna värdena.",
            "Välj ett av alternativen.",
        )
    if re.search(r"Expected `date\b", message) or "encoded date" in message:
        return "ska vara ett datum som ÅÅÅÅ-MM-DD.", "Ange ett datum som ÅÅÅÅ-MM-DD."
    if re.search(r"Expected `datetime\b", message) or "encoded datetime" in message:
        return "ska vara en tidpunkt (ÅÅÅÅ-MM-DDTHH:MM:SS).", "Ange en tidpunkt."
    if expected := re.search(r"Expected `([a-z]+)", message):
        kind = expected.group(1)
        typed = {
            "int": ("ska vara ett heltal.", "Ange ett heltal."),
            "float": ("ska vara ett tal.", "Ange ett tal."),
            "bool": ("ska vara true eller false.", "Välj ja eller nej."),
            "str": ("ska vara text.", "Ange en text."),
            "array": ("ska vara en lista.", "Ange en lista."),
            "object": ("ska vara ett objekt.", "Ange ett objekt."),
            "null": ("ska vara tomt (null).", "Lämna fältet tomt."),
        }.get(kind)
        if typed:
            return typed
    if "out of range" in message:
        return "är ett för stort tal.", "Talet är för stort."
    return "har ett ogiltigt värde.", "Ogiltigt värde."


# -- request bodies --------------------------------------------------------------------------

# A JSON body nested deeper than this is refused before it is parsed: no form of ours nests
# more than a few levels, and a parser walking 100 000 levels runs out of stack.
MAX_JSON_DEPTH = 32
# No JSON body of ours comes near this; uploads (multipart) have their own limit.
MAX_JSON_BODY = 2 * 1024 * 1024
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects nest deeper than `limit` (brackets inside strings not counted)."""
    depth = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub(b"", body)):
        if bracket in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


async def check_json_body(request: Request[Any, Any, Any]) -> None:
    """The gate every API body passes before Litestar parses it (a before-request hook): JSON
    only (415 otherwise), bounded in size and nesting, decoded strictly (0 is not false, "1" not
    1), then `input_problems` (control characters, long texts, dates out of range). Each refusal
    in Swedish naming the field; the handler then gets the body Litestar parses as before.
    Query parameters of every route are held to the same characters, so that a NUL is refused
    alike on SQLite and PostgreSQL (whose text cannot hold one)."""
    for name, value in request.query_params.multi_items():
        if problems := input_problems(value, name):
            raise InvalidInput(problems)
    if not request.url.path.startswith(API_PREFIX) or request.method in ("GET", "HEAD", "OPTIONS"):
        return
    parameter = request.route_handler.parsed_fn_signature.parameters.get("data")
    if parameter is None:
        return
    kwarg = parameter.kwarg_definition
    if isinstance(kwarg, BodyKwarg) and kwarg.media_type not in (None, RequestEncodingType.JSON):
        return  # an upload: multipart, with its own checks
    body = await request.body()
    media_type = request.content_type[0].lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        if not body and parameter.has_default:
            return
        raise HTTPException(
            status_code=415,
            detail="Innehållstypen stöds inte: skicka JSON med Content-Type: application/json.",
        )
    if len(body) > MAX_JSON_BODY:
        raise HTTPException(
            status_code=413,
            detail=f"Förfrågan är för stor: högst {MAX_JSON_BODY // (1024 * 1024)} MB JSON.",
        )
    if json_too_deep(body):
        raise InvalidInput(
            [FieldProblem("", f"JSON får vara nästlad högst {MAX_JSON_DEPTH} nivåer djupt.")]
        )
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput([FieldProblem("", "Begäran är inte giltig UTF-8-text.")]) from None
    try:
        value = msgspec.json.decode(body, type=parameter.annotation, strict=True)
    except msgspec.ValidationError as exc:
        raise InvalidInput([swedish_problem(str(exc))]) from exc
    except msgspec.DecodeError as exc:
        raise InvalidInput(
            [FieldProblem("", f"Begäran är inte giltig JSON ({_where(exc)}).")]
        ) from exc
    except TypeError:
        return  # a type msgspec cannot decode alone; Litestar's own parsing handles it
    if problems := input_problems(value):
        raise InvalidInput(problems)


def _where(exc: msgspec.DecodeError) -> str:
    found = re.search(r"at byte (\d+)", str(exc))
    if found:
        return f"fel vid tecken {found.group(1)}"
    return "den tar slut för tidigt" if "truncated" in str(exc) else "fel form"


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
