"""The mail routes: the API under /api/mail and the pages under /utskick."""

from __future__ import annotations

from typing import Any

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template
from litestar.status_codes import HTTP_200_OK

from portfolio.accounts.access import SIGNED_IN, Who, access
from portfolio.accounts.guards import addressees_of, office_only, signed_in
from portfolio.core.domain import Principal
from portfolio.core.errors import DomainError
from portfolio.core.web import AnyRequest, Form, download, me, problems_by_field
from portfolio.mail import services
from portfolio.mail.account_controllers import (
    InvitationApi,
    InvitationPages,
    PasswordApi,
    PasswordPages,
)
from portfolio.mail.compose import MailTemplate
from portfolio.mail.domain import MAIL_KIND_LABELS, MAIL_STATUS_LABELS, MailKind, MailStatus
from portfolio.mail.queries import status_counts
from portfolio.mail.schemas import (
    MailOut,
    MailPreviewOut,
    MailTemplateIn,
    MailTemplateOut,
    mail_out,
    preview_out,
    template_out,
)
from portfolio.mail.tables import OutgoingMail


@addressees_of("mail_id")
async def _mail_addressees(mail_id: int) -> set[int]:
    row = await OutgoingMail.select(OutgoingMail.recipient_user).where(OutgoingMail.id == mail_id)
    return {r["recipient_user"] for r in row if r["recipient_user"] is not None}


# One mail: the office, and the person it was sent to (a mail to a contact person without an
# account is the office's to read).
ADDRESSEE = access(Who.OFFICE, Who.SELF)


async def _attachment_download(
    user: Principal, mail_id: int, mail_attachment_id: int
) -> Response[bytes]:
    filename, content_type, data = await services.attachment(user, mail_id, mail_attachment_id)
    return download(data, filename, content_type)


class MailApi(Controller):
    path = "/api/mail"
    tags = ["E-post"]
    guards = [signed_in]

    @get("/", opt=access(*SIGNED_IN))
    async def list_mail(
        self,
        request: AnyRequest,
        status: FromQuery[MailStatus | None] = None,
        kind: FromQuery[MailKind | None] = None,
    ) -> list[MailOut]:
        """Every mail for the office, newest first; for anyone else, the mails sent to them."""
        rows = await services.list_mail(me(request), status=status, kind=kind)
        return [mail_out(r) for r in rows]

    @get("/mine", opt=access(*SIGNED_IN))
    async def mine(self, request: AnyRequest) -> list[MailOut]:
        """The mails sent to the signed-in person."""
        return [mail_out(r) for r in await services.list_mail(me(request), mine=True)]

    @get("/{mail_id:int}", opt=ADDRESSEE)
    async def show(self, request: AnyRequest, mail_id: FromPath[int]) -> MailOut:
        """One mail with its text (404 unless it went to you, or you are the office)."""
        return mail_out(await services.get_mail(me(request), mail_id), with_body=True)

    @get(
        "/{mail_id:int}/attachments/{mail_attachment_id:int}",
        media_type="application/pdf",  # a mail carries PDFs only (meetings/notices.py)
        opt=ADDRESSEE,
    )
    async def attachment(
        self, request: AnyRequest, mail_id: FromPath[int], mail_attachment_id: FromPath[int]
    ) -> Response[bytes]:
        return await _attachment_download(me(request), mail_id, mail_attachment_id)

    @post("/{mail_id:int}/retry", guards=[office_only], status_code=HTTP_200_OK)
    async def retry(self, request: AnyRequest, mail_id: FromPath[int]) -> MailOut:
        """Send a failed or waiting mail on the sender's next pass."""
        return mail_out(await services.retry(me(request), mail_id))

    @get("/templates", guards=[office_only])
    async def templates(self) -> list[MailTemplateOut]:
        """Each kind of mail's wording (Jinja text), edited or as shipped."""
        return [template_out(v) for v in await services.templates()]

    @get("/templates/{kind:str}", guards=[office_only])
    async def template(self, kind: FromPath[MailKind]) -> MailTemplateOut:
        return template_out(await services.get_template(kind))

    @put("/templates/{kind:str}", guards=[office_only])
    async def save_template(
        self, request: AnyRequest, kind: FromPath[MailKind], data: JSONBody[MailTemplateIn]
    ) -> MailTemplateOut:
        """Save the office's wording; `version` as read (0 for the shipped wording)."""
        view = await services.save_template(
            me(request), kind, MailTemplate(data.subject, data.body), data.version
        )
        return template_out(view)

    @delete("/templates/{kind:str}", guards=[office_only], status_code=HTTP_200_OK)
    async def reset_template(
        self, request: AnyRequest, kind: FromPath[MailKind]
    ) -> MailTemplateOut:
        """Back to the shipped wording."""
        return template_out(await services.reset_template(me(request), kind))

    @post("/templates/{kind:str}/preview", guards=[office_only], status_code=HTTP_200_OK)
    async def preview(
        self, kind: FromPath[MailKind], data: JSONBody[MailTemplateIn]
    ) -> MailPreviewOut:
        """The wording filled with example values, saving nothing."""
        return preview_out(services.preview(kind, MailTemplate(data.subject, data.body)))


def _list_context(rows: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "mails": [mail_out(r) for r in rows],
        "MAIL_STATUS_LABELS": MAIL_STATUS_LABELS,
        "MAIL_KIND_LABELS": MAIL_KIND_LABELS,
        **extra,
    }


class MailPages(Controller):
    path = "/utskick"
    include_in_schema = False
    guards = [signed_in]

    @get("/", opt=access(*SIGNED_IN))
    async def all_mail(
        self, request: AnyRequest, status: FromQuery[MailStatus | None] = None
    ) -> Template | Redirect:
        user = me(request)
        if not user.is_office:
            return Redirect("/utskick/mina")
        rows = await services.list_mail(user, status=status)
        context = _list_context(rows, mine=False, status=status, counts=await status_counts())
        return Template("mail_list.html", context=context)

    @get("/mina", opt=access(*SIGNED_IN))
    async def my_mail(self, request: AnyRequest) -> Template:
        rows = await services.list_mail(me(request), mine=True)
        return Template("mail_list.html", context=_list_context(rows, mine=True))

    @get("/{mail_id:int}", opt=ADDRESSEE)
    async def detail(self, request: AnyRequest, mail_id: FromPath[int]) -> Template:
        user = me(request)
        mail = mail_out(await services.get_mail(user, mail_id), with_body=True)
        return Template("mail_detail.html", context={"mail": mail, "is_office": user.is_office})

    @get(
        "/{mail_id:int}/bilagor/{mail_attachment_id:int}",
        media_type="application/pdf",  # a mail carries PDFs only (meetings/notices.py)
        opt=ADDRESSEE,
    )
    async def attachment(
        self, request: AnyRequest, mail_id: FromPath[int], mail_attachment_id: FromPath[int]
    ) -> Response[bytes]:
        return await _attachment_download(me(request), mail_id, mail_attachment_id)

    @post("/{mail_id:int}/forsok-igen", guards=[office_only])
    async def retry(self, request: AnyRequest, mail_id: FromPath[int]) -> Redirect:
        try:
            await services.retry(me(request), mail_id)
            flash(request, "Utskicket skickas vid nästa försök, inom några sekunder.", "success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/utskick/{mail_id}")

    @get("/mallar", guards=[office_only])
    async def templates(self) -> Template:
        return Template(
            "mail_templates.html",
            context={"templates": await services.templates(), "MAIL_KIND_LABELS": MAIL_KIND_LABELS},
        )

    @get("/mallar/{kind:str}", guards=[office_only])
    async def template_form(self, kind: FromPath[MailKind]) -> Template:
        view = await services.get_template(kind)
        return Template("mail_template.html", context=_template_context(view))

    @post("/mallar/{kind:str}", guards=[office_only])
    async def save_template(
        self, request: AnyRequest, kind: FromPath[MailKind], data: Form
    ) -> Template | Redirect:
        """Preview (saving nothing) or save, as the pressed button says."""
        template = MailTemplate(str(data.get("subject", "")), str(data.get("body", "")))
        view = await services.get_template(kind)
        try:
            typed = str(data.get("version", "0")).strip()
            version = int(typed) if typed.isdigit() else 0
            if data.get("action") == "preview":
                context = _template_context(view, values=data)
                context["preview"] = services.preview(kind, template)
                return Template("mail_template.html", context=context)
            await services.save_template(me(request), kind, template, version)
        except DomainError as exc:
            context = _template_context(
                view, values=data, errors=problems_by_field(exc), error=exc.message
            )
            return Template("mail_template.html", context=context, status_code=exc.status_code)
        flash(request, "Mallen är sparad.", category="success")
        return Redirect(f"/utskick/mallar/{kind.value}")

    @post("/mallar/{kind:str}/aterstall", guards=[office_only])
    async def reset_template(self, request: AnyRequest, kind: FromPath[MailKind]) -> Redirect:
        await services.reset_template(me(request), kind)
        flash(request, "Mallen har förbundets ursprungliga lydelse igen.", category="success")
        return Redirect(f"/utskick/mallar/{kind.value}")


def _template_context(view: services.TemplateView, **extra: Any) -> dict[str, Any]:
    return {
        "view": view,
        "label": MAIL_KIND_LABELS[view.kind],
        "values": None,
        "errors": {},
        "error": None,
        "preview": None,
        **extra,
    }


ROUTE_HANDLERS = [MailApi, MailPages, InvitationApi, InvitationPages, PasswordApi, PasswordPages]
