"""Routes for invitations (the office) and for choosing a password with a one-time link
("Glömt lösenord" and the invitation's link: public, API and pages)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from portfolio.accounts import links
from portfolio.accounts.access import Who, access
from portfolio.accounts.guards import json_only, office_only
from portfolio.accounts.schemas import (
    ForgotIn,
    InvitationIn,
    InvitationOut,
    NewPasswordIn,
    user_out,
)
from portfolio.core.errors import DomainError
from portfolio.core.web import AnyRequest, Form, form_to_struct, me
from portfolio.mail import account_links


def _client(request: AnyRequest) -> str:
    return request.client.host if request.client else "unknown"


class InvitationApi(Controller):
    path = "/api/invitations"
    tags = ["Användare"]
    guards = [office_only]
    opt = access(Who.OFFICE)

    @post("/")
    async def invite(self, request: AnyRequest, data: JSONBody[InvitationIn]) -> InvitationOut:
        """A new account and an e-mail with a one-time link (valid 7 days) to choose a password."""
        user, expires = await account_links.invite(me(request), data)
        return InvitationOut(user=user_out(user), expires_at=expires)

    @post("/{user_id:int}", status_code=HTTP_200_OK)
    async def resend(self, request: AnyRequest, user_id: FromPath[int]) -> InvitationOut:
        """A new link by e-mail; the earlier one stops working."""
        user, expires = await account_links.resend_invitation(me(request), user_id)
        return InvitationOut(user=user_out(user), expires_at=expires)

    @delete("/{user_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def withdraw(self, request: AnyRequest, user_id: FromPath[int]) -> None:
        """The link stops working and the unused account is turned off."""
        await account_links.withdraw_invitation(me(request), user_id)


class InvitationPages(Controller):
    """The users page's invitation forms: invite, resend, withdraw."""

    path = "/anvandare"
    include_in_schema = False
    guards = [office_only]

    @post("/inbjudan")
    async def invite(self, request: AnyRequest, data: Form) -> Redirect:
        try:
            user, _ = await account_links.invite(me(request), form_to_struct(data, InvitationIn))
        except DomainError as exc:
            flash(request, exc.message, category="error")
            return Redirect("/anvandare")
        flash(request, f"Inbjudan till {user['email']} är skickad.", category="success")
        return Redirect("/anvandare")

    @post("/{user_id:int}/inbjudan")
    async def resend(self, request: AnyRequest, user_id: FromPath[int]) -> Redirect:
        try:
            user, _ = await account_links.resend_invitation(me(request), user_id)
        except DomainError as exc:
            flash(request, exc.message, category="error")
            return Redirect("/anvandare")
        flash(request, f"En ny inbjudan till {user['email']} är skickad.", category="success")
        return Redirect("/anvandare")

    @post("/{user_id:int}/inbjudan/dra-tillbaka")
    async def withdraw(self, request: AnyRequest, user_id: FromPath[int]) -> Redirect:
        try:
            await account_links.withdraw_invitation(me(request), user_id)
        except DomainError as exc:
            flash(request, exc.message, category="error")
            return Redirect("/anvandare")
        flash(request, "Inbjudan är tillbakadragen.", category="success")
        return Redirect("/anvandare")


class PasswordApi(Controller):
    path = "/api/auth/password"
    tags = ["Inloggning"]

    @post("/forgot", exclude_from_auth=True, status_code=HTTP_200_OK, guards=[json_only])
    async def forgot(self, request: AnyRequest, data: JSONBody[ForgotIn]) -> dict[str, str]:
        """Ask for a link to choose a new password; the answer is the same for every address."""
        return {"message": await account_links.forgot_password(data.email, _client(request))}

    @post("/set", exclude_from_auth=True, status_code=HTTP_200_OK, guards=[json_only])
    async def set_password(self, data: JSONBody[NewPasswordIn]) -> dict[str, str]:
        """Choose a password with the token from an invitation or a reset link (used once)."""
        await links.set_password(data.token, data.password)
        return {"message": "Lösenordet är sparat. Logga in med det."}


class PasswordPages(Controller):
    include_in_schema = False

    @get("/glomt-losenord", exclude_from_auth=True)
    async def forgot_form(self) -> Template:
        return Template("forgot_password.html", context={"message": None, "error": None})

    @post("/glomt-losenord", exclude_from_auth=True)
    async def forgot(self, request: AnyRequest, data: Form) -> Template:
        try:
            message = await account_links.forgot_password(
                str(data.get("email", "")), _client(request)
            )
        except DomainError as exc:
            return Template(
                "forgot_password.html",
                context={"message": None, "error": exc.message},
                status_code=exc.status_code,
            )
        return Template("forgot_password.html", context={"message": message, "error": None})

    @get("/losenord/{token:str}", exclude_from_auth=True)
    async def choose_form(self, token: FromPath[str]) -> Template:
        link = await links.live_link(token)
        # A dead link still gets a page: it says why and where to ask for a new one.
        return Template("choose_password.html", context=_choose_context(token, link, None))

    @post("/losenord/{token:str}", exclude_from_auth=True)
    async def choose(self, request: AnyRequest, token: FromPath[str], data: Form) -> Any:
        password = str(data.get("password", ""))
        if password != str(data.get("password_again", "")):
            link = await links.live_link(token)
            return Template(
                "choose_password.html",
                context=_choose_context(token, link, "Lösenorden är inte lika."),
                status_code=422,
            )
        try:
            await links.set_password(token, password)
        except DomainError as exc:
            link = await links.live_link(token)
            return Template(
                "choose_password.html",
                context=_choose_context(token, link, exc.message),
                status_code=exc.status_code,
            )
        flash(request, "Lösenordet är sparat. Logga in med det.", category="success")
        return Redirect("/login")


def _choose_context(token: str, link: dict[str, Any] | None, error: str | None) -> dict[str, Any]:
    return {
        "token": token,
        "link": link,
        "invitation": bool(link and link["purpose"] == links.Purpose.INVITATION),
        "error": error,
        "dead": links.DEAD_LINK,
    }
