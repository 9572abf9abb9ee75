"""Routes of the two-factor log-in: the code step of log-in, enrolment, and the office's reset."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Response, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from portfolio.accounts import queries, ratelimit, services, two_factor
from portfolio.accounts.access import Who, access
from portfolio.accounts.controllers import _safe_next, logged_in_response, stay_signed_in
from portfolio.accounts.guards import json_only, office_only
from portfolio.accounts.schemas import (
    CodeIn,
    EnrolmentOut,
    MeOut,
    RecoveryCodesOut,
    TwoFactorStatus,
)
from portfolio.accounts.sessions import rotate_session, signed_in_session
from portfolio.core.errors import DomainError, NotFound
from portfolio.core.web import AnyRequest, Form, principal

ENROL_PAGE = "/konto/tvastegsverifiering"
# Office and board accounts may add a second factor (two_factor.can_use_two_factor).
ENROLLERS = access(Who.OFFICE, Who.BOARD)


async def _finish_log_in(request: AnyRequest, code: str) -> dict[str, Any]:
    """Check the code for the half-logged-in session; counted like passwords, per account."""
    user_id = request.session.get("pending_user_id")
    since = request.session.get("pending_since", 0)
    now = int(dt.datetime.now(dt.UTC).timestamp())
    if not isinstance(user_id, int) or now - int(since) > two_factor.PENDING_SECONDS:
        request.clear_session()
        raise DomainError("Inloggningen tog för lång tid. Logga in igen.", field="code")
    row = await queries.principal_row(user_id)
    if row is None or not row["active"]:
        request.clear_session()
        raise DomainError("Logga in igen.", field="code")
    key = f"totp:{row['email']}"
    address = request.client.host if request.client else "unknown"
    attempt = await ratelimit.attempt(key, address)
    if not await two_factor.verify(user_id, code):
        await ratelimit.failed(attempt)
        raise DomainError("Koden stämmer inte.", field="code")
    await ratelimit.succeeded(key)
    request.set_session(signed_in_session(user_id))
    rotate_session(request)
    return row


class TwoFactorLoginApi(Controller):
    path = "/api/auth/login/code"
    tags = ["Inloggning"]

    @post("/", exclude_from_auth=True, status_code=HTTP_200_OK, guards=[json_only])
    async def code(self, request: AnyRequest, data: JSONBody[CodeIn]) -> Response[MeOut]:
        """The second step of log-in: the code from the app (or a recovery code)."""
        row = await _finish_log_in(request, data.code)
        full = await services.get_user(row["id"])
        return await logged_in_response(request, full)


class TwoFactorApi(Controller):
    path = "/api/auth/two-factor"
    tags = ["Inloggning"]
    opt = ENROLLERS

    @get("/")
    async def status(self, request: AnyRequest) -> TwoFactorStatus:
        user = principal(request)
        return TwoFactorStatus(
            enabled=await two_factor.is_enabled(user.user_id),
            available=bool(two_factor.can_use_two_factor(user)),
        )

    @post("/", status_code=HTTP_200_OK)
    async def start(self, request: AnyRequest) -> EnrolmentOut:
        """A new secret for the authenticator app; nothing changes until it is confirmed."""
        secret, uri = await two_factor.start_enrolment(principal(request))
        return EnrolmentOut(secret=secret, otpauth_uri=uri, qr_svg=two_factor.qr_svg(uri))

    @post("/confirm", status_code=HTTP_200_OK)
    async def confirm(self, request: AnyRequest, data: JSONBody[CodeIn]) -> RecoveryCodesOut:
        """Turn it on with a code from the app; the answer holds the recovery codes, once."""
        user = principal(request)
        key, address = f"totp:{user.email}", request.client.host if request.client else "unknown"
        attempt = await ratelimit.attempt(key, address)
        try:
            codes = await two_factor.confirm_enrolment(user, data.code)
        except DomainError:
            await ratelimit.failed(attempt)
            raise
        await ratelimit.succeeded(key)
        return RecoveryCodesOut(recovery_codes=codes)


class TwoFactorResetApi(Controller):
    path = "/api/users"
    tags = ["Användare"]
    guards = [office_only]

    @delete("/{user_id:int}/two-factor", status_code=HTTP_204_NO_CONTENT)
    async def reset(self, request: AnyRequest, user_id: FromPath[int]) -> None:
        """Remove a person's second factor (a lost phone); audited."""
        await two_factor.reset(principal(request), user_id)
        stay_signed_in(request, user_id)


# == pages ==================================================================================


class TwoFactorLoginPages(Controller):
    path = "/login/kod"
    include_in_schema = False

    @get("/", exclude_from_auth=True)
    async def form(
        self,
        request: AnyRequest,
        next_path: Annotated[str | None, QueryParameter(name="next")] = None,
    ) -> Template | Redirect:
        if not isinstance(request.session.get("pending_user_id"), int):
            return Redirect("/login")
        return Template("login_code.html", context={"next": _safe_next(next_path), "error": None})

    @post("/", exclude_from_auth=True, status_code=HTTP_200_OK)
    async def check(self, request: AnyRequest, data: Form) -> Template | Redirect:
        next_path = _safe_next(str(data.get("next", "")))
        try:
            await _finish_log_in(request, str(data.get("code", "")))
        except DomainError as exc:
            session = request.scope.get("session")
            if not isinstance(session, dict) or not isinstance(session.get("pending_user_id"), int):
                request.set_session({})  # the half-way session ended; this one carries the word
                flash(request, exc.message, category="error")
                return Redirect("/login")
            return Template(
                "login_code.html",
                context={"next": next_path, "error": exc.message},
                status_code=exc.status_code,
            )
        return Redirect(next_path)


class TwoFactorPages(Controller):
    path = ENROL_PAGE
    include_in_schema = False
    opt = ENROLLERS

    @get("/")
    async def page(self, request: AnyRequest) -> Template:
        user = principal(request)
        return Template(
            "two_factor.html",
            context={"enabled": await two_factor.is_enabled(user.user_id), "error": None},
        )

    @post("/starta", status_code=HTTP_200_OK)
    async def start(self, request: AnyRequest) -> Template:
        secret, uri = await two_factor.start_enrolment(principal(request))
        return Template("two_factor.html", context=_enrolment(secret, uri, None))

    @post("/bekrafta", status_code=HTTP_200_OK)
    async def confirm(self, request: AnyRequest, data: Form) -> Template | Redirect:
        user = principal(request)
        key, address = f"totp:{user.email}", request.client.host if request.client else "unknown"
        attempt = None
        try:
            attempt = await ratelimit.attempt(key, address)
            codes = await two_factor.confirm_enrolment(user, str(data.get("code", "")))
            await ratelimit.succeeded(key)
        except NotFound as exc:
            flash(request, exc.message, category="error")
            return Redirect(ENROL_PAGE)
        except DomainError as exc:
            if attempt is not None:  # a wrong code, not a refusal of the attempt itself
                await ratelimit.failed(attempt)
            secret = await two_factor.pending_secret(user)
            if secret is None:
                return Redirect(ENROL_PAGE)
            uri = two_factor.provisioning_uri(secret, user.email)
            return Template(
                "two_factor.html",
                context=_enrolment(secret, uri, exc.message),
                status_code=exc.status_code,
            )
        return Template("two_factor.html", context={"enabled": True, "recovery_codes": codes})


def _enrolment(secret: str, uri: str, error: str | None) -> dict[str, Any]:
    return {
        "enabled": False,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr_svg": two_factor.qr_svg(uri),
        "error": error,
    }


class TwoFactorResetPages(Controller):
    path = "/anvandare"
    include_in_schema = False
    guards = [office_only]

    @post("/{user_id:int}/tvastegsverifiering/aterstall")
    async def reset(self, request: AnyRequest, user_id: FromPath[int]) -> Redirect:
        await two_factor.reset(principal(request), user_id)
        stay_signed_in(request, user_id)
        flash(request, "Tvåstegsverifieringen är återställd.", category="success")
        return Redirect("/anvandare")


ROUTE_HANDLERS = [
    TwoFactorLoginApi,
    TwoFactorApi,
    TwoFactorResetApi,
    TwoFactorLoginPages,
    TwoFactorPages,
    TwoFactorResetPages,
]
