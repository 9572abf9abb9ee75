"""Who may read and change reports and requisitions: pure functions shared by services, pages, API."""

from __future__ import annotations

from portfolio.accounts.permissions import ALLOWED, Decision
from portfolio.core.domain import Principal, Role
from reports.domain import EDITABLE_REPORT_STATUSES, ReportStatus, RequisitionStatus


def can_view_report(user: Principal, organisation_id: int, status: ReportStatus) -> Decision:
    """The office reads every report; the board those handed in; an owner their organisation's."""
    if user.role is Role.OFFICE:
        return ALLOWED
    if user.role is Role.BOARD and status is not ReportStatus.DRAFT:
        return ALLOWED
    if user.role is Role.OWNER and user.organisation_id == organisation_id:
        return ALLOWED
    return Decision(False, "Rapporten tillhör en annan organisation.")


def can_write_reports(user: Principal, lead_owner_id: int) -> Decision:
    """Reports and requisitions are written by the lead owner's people."""
    if user.role is Role.OWNER and user.organisation_id == lead_owner_id:
        return ALLOWED
    return Decision(False, "Rapporter och rekvisitioner lämnas av huvudinsatsägaren.")


def can_edit_report(user: Principal, organisation_id: int, status: ReportStatus) -> Decision:
    allowed = can_write_reports(user, organisation_id)
    if not allowed:
        return allowed
    if status is ReportStatus.ACCEPTED:
        return Decision(False, "Rapporten är godkänd och kan inte längre ändras.")
    if status not in EDITABLE_REPORT_STATUSES:
        return Decision(False, "Rapporten är inlämnad; kansliet kan skicka tillbaka den.")
    return ALLOWED


def can_review_report(user: Principal, status: ReportStatus) -> Decision:
    """The office accepts a handed-in report or sends it back."""
    if user.role is not Role.OFFICE:
        return Decision(False, "Endast förbundets kansli granskar rapporter.")
    if status is not ReportStatus.SUBMITTED:
        return Decision(False, "Bara en inlämnad rapport kan granskas.")
    return ALLOWED


def can_view_requisition(user: Principal, organisation_id: int) -> Decision:
    if user.role in (Role.OFFICE, Role.BOARD):
        return ALLOWED
    if user.role is Role.OWNER and user.organisation_id == organisation_id:
        return ALLOWED
    return Decision(False, "Rekvisitionen tillhör en annan organisation.")


def can_decide_requisition(user: Principal, status: RequisitionStatus) -> Decision:
    if user.role is not Role.OFFICE:
        return Decision(False, "Endast förbundets kansli beslutar om rekvisitioner.")
    if status is not RequisitionStatus.SUBMITTED:
        return Decision(False, "Rekvisitionen är redan beslutad.")
    return ALLOWED


def can_record_payment(user: Principal, status: RequisitionStatus) -> Decision:
    if user.role is not Role.OFFICE:
        return Decision(False, "Endast förbundets kansli för in utbetalningar.")
    if status is not RequisitionStatus.APPROVED:
        return Decision(False, "Bara en godkänd rekvisition kan betalas ut.")
    return ALLOWED
