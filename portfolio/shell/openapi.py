"""The API schema tells the truth about errors: every route's real error statuses, each with the
service's own error shape (`portfolio.core.web` answers every error so), instead of Litestar's
default of one `400 {status_code, detail, extra}`.

One mechanism for all routes: `document_errors(app)` runs once, when the app is built, before the
schema is generated, and gives each API handler the error answers that its path, method, body
and guards make possible. A handler's own `responses=` is kept where it names the same status.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec
from litestar import Litestar
from litestar.enums import MediaType
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute


class FieldErrorOut(msgspec.Struct, kw_only=True):
    field: str
    message: str


class ErrorOut(msgspec.Struct, kw_only=True):
    """Every refusal: the status again, one message for a person (Swedish), the field it
    concerns (if one) and every problem found, field by field."""

    status_code: int
    message: str
    field: str | None
    errors: list[FieldErrorOut]


class ServerErrorOut(ErrorOut, kw_only=True):
    """A fault of ours: the same shape, with the reference under which the log has the cause."""

    reference: str


UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# What is not a query, header or cookie parameter in a handler's signature.
_NOT_PARAMETERS = {"self", "request", "data", "state", "scope", "socket", "headers", "cookies"}

DESCRIPTIONS = {
    400: "Ogiltig begäran: en parameter eller kroppen kunde inte läsas.",
    401: "Inte inloggad.",
    403: "Ingen behörighet, eller CSRF-token saknas eller har gått ut.",
    404: "Posten finns inte (eller är inte din att se).",
    409: "Posten ändrades av någon annan, eller dess tillstånd tillåter inte ändringen.",
    413: "Förfrågan är för stor.",
    415: "Fel innehållstyp: API:t tar JSON (eller filer som multipart).",
    422: "Uppgifterna bryter mot en regel; varje fält med sitt fel.",
    429: "För många försök; vänta och försök igen.",
    500: "Ett fel hos oss; referensen finns i loggen.",
    503: "Tjänsten är överbelastad; försök igen efter Retry-After sekunder.",
}


def error_statuses(handler: HTTPRouteHandler, path: str, public: bool) -> set[int]:
    """The error statuses a route can answer, from what it is: every route may be given a bad
    parameter (400), fail on our side (500) or be refused under overload (503); a signed-in
    route may meet no session (401), a guard or CSRF (403) and a rule (422); a path with an id may name
    nothing (404); a write may meet a concurrent change or a state that forbids it (409) and
    a rule (422); a body may be too large (413) or of the wrong type (415)."""
    methods = {m.upper() for m in handler.http_methods}
    parameters = set(handler.parsed_fn_signature.parameters) - _NOT_PARAMETERS
    path_parameters = set(re.findall(r"{(\w+)", path))
    has_body = "data" in handler.parsed_fn_signature.parameters
    statuses = {400, 500, 503}
    if not public:
        # 422 too: a read may need what is not there yet (an economy document without the
        # year's budget, say); the rule says so field by field.
        statuses |= {401, 403, 422}
    query_ids = {p for p in parameters - path_parameters if p.endswith("_id")}
    if path_parameters or has_body or query_ids:
        statuses.add(404)  # the record named by the path, an id in the query, or in the body
    if methods & UNSAFE:
        statuses |= {403, 409, 422}
    if has_body:
        statuses |= {413, 415, 422}
    if parameters - path_parameters:
        statuses.add(422)  # a query outside its rule (a year, a choice)
    return statuses


def _spec(status: int) -> ResponseSpec:
    return ResponseSpec(
        data_container=ServerErrorOut if status == 500 else ErrorOut,
        description=DESCRIPTIONS.get(status, "Fel."),
        generate_examples=False,
        media_type=MediaType.JSON,
    )


def document_errors(
    app: Litestar, public_paths: Iterable[str], extra: dict[str, set[int]] | None = None
) -> None:
    """Give each API route in the schema its error answers (call before the schema is built).

    `public_paths` are the patterns reachable without a session; `extra` adds statuses for
    paths a rule of their own answers (a log-in's 429, say)."""
    public = [re.compile(p) for p in public_paths]
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api"):
            continue
        for handler in route.route_handlers:
            if not handler.include_in_schema:
                continue
            is_public = bool(handler.opt.get("exclude_from_auth")) or any(
                p.search(route.path) for p in public
            )
            statuses = error_statuses(handler, route.path, is_public)
            statuses |= (extra or {}).get(route.path, set())
            documented = {int(code): spec for code, spec in (handler.responses or {}).items()}
            handler.responses = {
                **{status: _spec(status) for status in sorted(statuses)},
                **documented,
            }
