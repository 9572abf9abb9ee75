"""Who may read and change an application: pure functions shared by services, pages and API."""

from __future__ import annotations

from applications.domain import EDITABLE_STATUSES, ApplicationStatus
from portfolio.accounts.permissions import ALLOWED, Decision
from portfolio.core.domain import Principal, Role


def can_view_application(
    user: Principal, organisation_id: int, status: ApplicationStatus
) -> Decision:
    """The office reads every application; the board those sent in; an owner their organisation's."""
    if user.role is Role.OFFICE:
        return ALLOWED
    if user.role is Role.BOARD and status not in (
        ApplicationStatus.DRAFT,
        ApplicationStatus.WITHDRAWN,
    ):
        return ALLOWED
    if user.role is Role.OWNER and user.organisation_id == organisation_id:
        return ALLOWED
    return Decision(False, "Ansökan tillhör en annan organisation.")


def can_edit_application(
    user: Principal, organisation_id: int, status: ApplicationStatus
) -> Decision:
    """Only the lead owner's people write, and only while the application is in their hands."""
    if user.role is not Role.OWNER or user.organisation_id != organisation_id:
        return Decision(False, "Bara huvudinsatsägaren kan ändra ansökan.")
    if status not in EDITABLE_STATUSES:
        return Decision(
            False, "Ansökan är inskickad och kan inte ändras. Kansliet kan begära komplettering."
        )
    return ALLOWED


def can_create_application(user: Principal) -> Decision:
    if user.role is Role.OWNER and user.organisation_id is not None:
        return ALLOWED
    if user.role is Role.OFFICE:
        return Decision(
            False,
            "Ansökningar skrivs av insatsägare. En ansökan som kommit in per e-post eller på "
            "papper registrerar kansliet som inkommen (POST /api/applications/received).",
        )
    return Decision(False, "Ansökningar skrivs av insatsägare.")


def can_register_received(user: Principal) -> Decision:
    """The office registers an application that arrived by e-mail or on paper."""
    if user.role is Role.OFFICE:
        return ALLOWED
    return Decision(False, "Endast förbundets kansli registrerar inkomna ansökningar.")


def can_review_application(user: Principal, status: ApplicationStatus) -> Decision:
    """The office asks for completion of a sent-in application."""
    if user.role is not Role.OFFICE:
        return Decision(False, "Endast förbundets kansli kan begära komplettering.")
    if status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.PREPARED):
        return Decision(False, "Komplettering kan bara begäras av en inskickad ansökan.")
    return ALLOWED
