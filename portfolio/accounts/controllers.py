"""Routes for log-in and log-out (API and page) and the office's user administration."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, Response, get, patch, post
from litestar.datastructures import Cookie
from litestar.middleware.csrf import generate_csrf_token
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from portfolio.accounts import queries as accounts_queries
from portfolio.accounts import ratelimit, services, two_factor
from portfolio.accounts.access import SIGNED_IN, access
from portfolio.accounts.guards import json_only, office_only, signed_in
from portfolio.accounts.schemas import (
    LoginIn,
    MeOut,
    TwoFactorStep,
    UserCreate,
    UserOut,
    UserUpdate,
    user_out,
)
from portfolio.accounts.sessions import rotate_session, signed_in_session
from portfolio.core import queries as core_queries
from portfolio.core.domain import (
    Principal,
)
from portfolio.core.errors import DomainError
from portfolio.core.settings import get_settings
from portfolio.core.web import CSRF_COOKIE, AnyRequest, Form, form_to_struct, me, problems_by_field


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the log-in form cannot be used to redirect elsewhere.

    Browsers read a backslash as a slash and drop tabs and newlines inside a URL, so a path
    holding any of them could lead off-site too ("/" + backslash + "evil.example"): refused."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not any(c == "\\" or c.isspace() or ord(c) < 32 for c in target)
    ):
        return target
    return "/"


async def _log_in(request: AnyRequest, email: str, password: str) -> dict[str, Any] | None:
    """Check the rate limit, then the password; failures are counted per account and address."""
    address = request.client.host if request.client else "unknown"
    attempt = await ratelimit.attempt(email, address)
    row = await services.authenticate(email, password)
    if row is None:
        await ratelimit.failed(attempt)
        return None
    await ratelimit.succeeded(email)
    if await two_factor.is_enabled(row["id"]):
        # Half logged in: the session knows who, but nothing is authorised until the code.
        request.set_session({"pending_user_id": row["id"], "pending_since": _now_seconds()})
        rotate_session(request)
        return {**row, "two_factor": True}
    request.set_session(signed_in_session(row["id"]))
    rotate_session(request)  # a session id known before log-in must not be the logged-in one
    return row


def stay_signed_in(request: AnyRequest, user_id: int) -> None:
    """A new password or a reset second factor ends the account's sessions; the person who
    changed their own account keeps this one."""
    if user_id == me(request).user_id:
        request.set_session(signed_in_session(user_id))


def _now_seconds() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp())


# == API ====================================================================================


class AuthApi(Controller):
    path = "/api/auth"
    tags = ["Inloggning"]
    opt = access(*SIGNED_IN)

    @post("/login", exclude_from_auth=True, status_code=HTTP_200_OK, guards=[json_only])
    async def login(
        self, request: AnyRequest, data: JSONBody[LoginIn]
    ) -> Response[MeOut | TwoFactorStep]:
        """Log in with e-mail and password.

        The answer sets the session cookie and a CSRF cookie; send the CSRF cookie's value
        back in the `x-csrftoken` header with every request that changes something. An account
        with two-factor log-in answers 202 `{"two_factor_required": true}`: then send the code
        to `/api/auth/login/code`.
        """
        row = await _log_in(request, data.email, data.password)
        if row is None:
            raise DomainError("Fel e-postadress eller lösenord.", field="password")
        if row.get("two_factor"):
            return Response(TwoFactorStep(), status_code=202)
        return await logged_in_response(request, row)

    @post("/logout", guards=[signed_in], status_code=HTTP_204_NO_CONTENT)
    async def logout(self, request: AnyRequest) -> None:
        request.clear_session()

    @get("/me", guards=[signed_in])
    async def me(self, request: AnyRequest) -> MeOut:
        return await _me_out(me(request))


async def logged_in_response(request: AnyRequest, row: dict[str, Any]) -> Response[Any]:
    """The person, with the CSRF cookie and header an API client sends back on writes."""
    token = request.cookies.get(CSRF_COOKIE) or generate_csrf_token(get_settings().secret_key)
    settings = get_settings()
    return Response(
        await _me_out(services.principal_from_row(row)),
        cookies=[
            Cookie(key=CSRF_COOKIE, value=token, secure=settings.secure_cookies, samesite="lax")
        ],
        headers={"x-csrftoken": token},
    )


async def _me_out(user: Principal) -> MeOut:
    org = (
        await core_queries.organisation_row(user.organisation_id) if user.organisation_id else None
    )
    return MeOut(
        id=user.user_id,
        email=user.email,
        name=user.name,
        role=user.role,
        organisation_id=user.organisation_id,
        organisation_name=org["name"] if org else None,
    )


class UserApi(Controller):
    path = "/api/users"
    tags = ["Användare"]
    guards = [office_only]

    @get("/")
    async def list_users(self) -> list[UserOut]:
        return [user_out(row) for row in await accounts_queries.user_rows()]

    @post("/")
    async def create(self, request: AnyRequest, data: JSONBody[UserCreate]) -> UserOut:
        return user_out(await services.create_user(me(request), data))

    @get("/{user_id:int}")
    async def show(self, user_id: FromPath[int]) -> UserOut:
        return user_out(await services.get_user(user_id))

    @patch("/{user_id:int}")
    async def update(
        self, request: AnyRequest, user_id: FromPath[int], data: JSONBody[UserUpdate]
    ) -> UserOut:
        saved = await services.update_user(me(request), user_id, data)
        stay_signed_in(request, user_id)
        return user_out(saved)


# == pages ==================================================================================


class AuthPages(Controller):
    include_in_schema = False

    @get("/login", exclude_from_auth=True)
    async def login_form(
        self,
        request: AnyRequest,
        next_path: Annotated[str | None, QueryParameter(name="next")] = None,
    ) -> Template:
        return Template(
            "login.html", context={"next": _safe_next(next_path), "email": "", "error": None}
        )

    @post("/login", exclude_from_auth=True, status_code=HTTP_200_OK)
    async def login(self, request: AnyRequest, data: Form) -> Template | Redirect:
        email, password = str(data.get("email", "")), str(data.get("password", ""))
        next_path = _safe_next(str(data.get("next", "")))
        try:
            row = await _log_in(request, email, password)
        except ratelimit.TooManyAttempts as exc:
            return Template(
                "login.html",
                context={"next": next_path, "email": email, "error": exc.message},
                status_code=429,
            )
        if row is None:
            return Template(
                "login.html",
                context={
                    "next": next_path,
                    "email": email,
                    "error": "Fel e-postadress eller lösenord.",
                },
                status_code=400,
            )
        if row.get("two_factor"):
            return Redirect(f"/login/kod?next={quote(next_path)}")
        return Redirect(next_path)

    @post("/logout", guards=[signed_in], opt=access(*SIGNED_IN))
    async def logout(self, request: AnyRequest) -> Redirect:
        request.clear_session()
        return Redirect("/login")


class UserPages(Controller):
    path = "/anvandare"
    include_in_schema = False
    guards = [office_only]

    @get("/")
    async def list_page(self) -> Template:
        return Template("users.html", context=await _users_context())

    @post("/")
    async def create(self, request: AnyRequest, data: Form) -> Template | Redirect:
        try:
            row = await services.create_user(me(request), form_to_struct(data, UserCreate))
        except DomainError as exc:
            context = await _users_context()
            context.update(
                values={k: v for k, v in data.items() if k != "password"},
                errors=problems_by_field(exc),
                error=exc.message,
            )
            return Template("users.html", context=context, status_code=exc.status_code)
        flash(request, f"Kontot för {row['email']} är skapat.", category="success")
        return Redirect("/anvandare")

    @post("/{user_id:int}")
    async def update(
        self, request: AnyRequest, user_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        fields = {k: v for k, v in data.items() if not (k == "password" and not v)}
        try:
            await services.update_user(me(request), user_id, form_to_struct(fields, UserUpdate))
        except DomainError as exc:
            context = await _users_context()
            context.update(edit_id=user_id, edit_error=exc.message)
            return Template("users.html", context=context, status_code=exc.status_code)
        stay_signed_in(request, user_id)
        flash(request, "Kontot är sparat.", category="success")
        return Redirect("/anvandare")


async def _users_context() -> dict[str, Any]:
    return {
        "users": await accounts_queries.user_rows(),
        "two_factor_users": await two_factor.enabled_user_ids(),
        "organisations": await core_queries.organisation_rows(),
        "values": None,
        "errors": {},
        "error": None,
        "edit_id": None,
        "edit_error": None,
    }
