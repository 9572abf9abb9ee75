"""Who may read and act on mail: pure functions shared by the pages and the API."""

from __future__ import annotations

from portfolio.accounts.permissions import ALLOWED, Decision
from portfolio.core.domain import Principal, Role
from portfolio.mail.domain import RETRYABLE, MailStatus


def can_read_all_mail(user: Principal) -> Decision:
    """The office follows every mail the service sends."""
    if user.role is Role.OFFICE:
        return ALLOWED
    return Decision(False, "Endast förbundets kansli ser alla utskick.")


def can_read_mail(user: Principal, recipient_user_id: int | None, recipient_email: str) -> Decision:
    """Anyone reads what was sent to them; nobody else's, except the office."""
    if user.role is Role.OFFICE:
        return ALLOWED
    if recipient_user_id is not None:
        mine = recipient_user_id == user.user_id
    else:
        mine = recipient_email.strip().lower() == user.email.strip().lower()
    return ALLOWED if mine else Decision(False, "Utskicket gick till någon annan.")


def can_retry_mail(user: Principal, status: MailStatus) -> Decision:
    if user.role is not Role.OFFICE:
        return Decision(False, "Endast förbundets kansli kan skicka om.")
    if status not in RETRYABLE:
        return Decision(False, "Bara utskick som väntar eller misslyckades kan skickas om.")
    return ALLOWED


def can_edit_mail_templates(user: Principal) -> Decision:
    if user.role is Role.OFFICE:
        return ALLOWED
    return Decision(False, "Endast förbundets kansli kan ändra e-postmallarna.")
