"""The audit trail: every change of state, with who, when, and the values before and after."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import msgspec

from portfolio.core.domain import Principal
from portfolio.core.tables import AuditEntry

# How the log reads in Swedish: "Ändrade insats", "Loggade in".
ACTION_LABELS = {
    "create": "Skapade",
    "update": "Ändrade",
    "delete": "Tog bort",
    "login": "Loggade in",
    "submit": "Lämnade in",
    "accept": "Godkände",
    "return": "Skickade tillbaka",
    "approve": "Godkände",
    "reject": "Avslog",
    "pay": "Förde in utbetalning av",
    "start_two_factor": "Började slå på tvåstegsverifiering för",
    "enable_two_factor": "Slog på tvåstegsverifiering för",
    "reset_two_factor": "Återställde tvåstegsverifiering för",
    "use_recovery_code": "Använde en reservkod för",
    "queue": "Köade",
    "retry": "Skickade om",
    "register_received": "Registrerade inkommen",
    "invite": "Bjöd in",
    "resend_invitation": "Skickade om inbjudan till",
    "withdraw_invitation": "Drog tillbaka inbjudan till",
    "accept_invitation": "Tog emot inbjudan och valde lösenord för",
    "request_reset": "Begärde länk för nytt lösenord till",
    "reset_password": "Bytte lösenord med länk för",
    "request_completion": "Begärde komplettering av",
    "decide": "Fattade",
}
ENTITY_LABELS = {
    "fund_reservation": "reservation av medel",
    "association": "förbundets uppgifter",
    "organisation": "organisation",
    "organisation_kind": "slag av organisation",
    "organisation_name": "organisation",
    "owner": "ägare",
    "contact": "kontaktperson",
    "user": "användare",
    "initiative": "insats",
    "initiative_party": "part i insats",
    "contribution_key": "fördelningsnyckel",
    "demo": "demonstrationsdata",
    "condition": "villkor",
    "application": "ansökan",
    "attachment": "bilaga",
    "meeting": "möte",
    "case_note": "privat anteckning till ärende",
    "proposal": "förslag till beslut",
    "decision": "beslut",
    "year_budget": "årets budget",
    "case": "ärende",
    "agenda_item": "punkt på dagordningen",
    "agenda": "dagordningens ordning",
    "attendance": "närvaro vid möte",
    "report": "rapport",
    "requisition": "rekvisition",
    "mail": "e-post",
    "mail_template": "e-postmall",
    "board_person": "person i styrelseregistret",
}


# The fields a log entry lists as changed, as a person reads them: every column of the tables
# and every section of an application (tests/unit/test_audit_labels.py keeps the list whole).
FIELD_LABELS = {
    "account": "konto",
    "co_financiers": "övriga finansiärer",
    "commitments": "belopp per år",
    "draws_on": "tar medel ur reservation",
    "ended_by": "upphört genom beslut",
    "esf_cofunded": "medfinansierad av ESF",
    "follow_up_method": "uppföljningsmetod",
    "immediately_approved": "omedelbart justerad",
    "orientation": "inriktning",
    "person": "person",
    "received_on": "inkom",
    "registered_by_office": "registrerad av kansliet",
    "submitted_content": "inskickat innehåll",
    "term_end": "mandatperiodens slut",
    "term_start": "mandatperiodens början",
    "token_hash": "länkens kontrollsumma",
    "total_cost": "total kostnad",
    "used_at": "använd",
    "withdrawn_at": "återkallad",
    "accepted_content": "godkänt innehåll",
    "action": "händelse",
    "active": "aktiv",
    "actor": "utförd av",
    "actor_email": "utförd av (e-post)",
    "address": "adress",
    "administration": "förvaltning",
    "after": "efter",
    "agreement_accepted": "överenskommelse",
    "amount": "belopp",
    "anchored_on": "förankrad datum",
    "anchoring": "förankring",
    "application": "ansökan",
    "application_text": "ärendet – ansökan",
    "applied_amount": "sökt belopp",
    "approvals": "parternas godkännande",
    "approved_on": "godkänd datum",
    "area": "område",
    "assessment_text": "ärendet – bedömning",
    "at": "tidpunkt",
    "attachments": "bilagor",
    "attempts": "försök",
    "attendees": "närvarande",
    "background": "bakgrund och behov",
    "before": "före",
    "body": "organ",
    "budget": "budget",
    "carried_in": "ingående överföring",
    "case": "ärende",
    "case_number": "diarienummer",
    "changes_summary": "sammanfattning av förändringar",
    "chair": "ordförande",
    "checker": "justerare",
    "clauses": "att-satser",
    "co_owners": "delinsatsägare",
    "completion_message": "begärd komplettering",
    "confirmed_at": "bekräftad",
    "contact": "kontaktperson",
    "content": "innehåll",
    "content_type": "filtyp",
    "contribution_share": "andel av bidraget",
    "created_at": "skapad",
    "created_by": "skapad av",
    "data": "uppgifter",
    "decided_at": "beslutad",
    "decided_by": "beslutad av",
    "decision": "beslut",
    "decision_reason": "skäl för beslutet",
    "description": "beskrivning",
    "director_name": "förbundschef",
    "document_date": "datum för handlingen",
    "due_on": "sista dag",
    "elected_members": "valda ledamöter",
    "email": "e-post",
    "end_time": "sluttid",
    "entity": "gäller",
    "entity_id": "nummer",
    "expected_participants": "förväntat antal deltagare",
    "expires_at": "går ut",
    "extends": "förlänger",
    "extra": "övrigt",
    "extra_contribution": "extra bidrag",
    "extra_contribution_note": "extra bidrag, kommentar",
    "failed": "misslyckade",
    "filename": "filnamn",
    "flags": "flaggor",
    "follow_up": "uppföljning och utvärdering",
    "forecast": "prognos",
    "goals": "mål",
    "implementation": "implementering",
    "initiative": "insats",
    "initiative_kind": "slag av insats",
    "initiative_name": "insats",
    "insats_name": "insatsens namn",
    "invited": "kallad",
    "is_member": "medlem",
    "key": "nyckel",
    "kind": "slag",
    "last_error": "senaste fel",
    "last_intake": "sista intag",
    "last_login_at": "senaste inloggning",
    "last_number": "senaste nummer",
    "last_step": "senaste steg",
    "lead_owner": "huvudinsatsägare",
    "lead_owner_name": "huvudinsatsägare",
    "lines": "rader",
    "mail": "e-post",
    "meeting": "möte",
    "meeting_date": "mötesdatum",
    "member_contributions": "medlemsbidrag",
    "met": "uppfyllt",
    "met_note": "kommentar om uppfyllelse",
    "method": "metod",
    "name": "namn",
    "next_attempt_at": "nästa försök",
    "note": "anteckning",
    "number": "nummer",
    "order": "ordning",
    "org_number": "organisationsnummer",
    "organisation": "organisation",
    "organisation_kind": "slag av organisation",
    "organisation_name": "organisation",
    "owner": "ägare",
    "other_costs": "övriga kostnader",
    "outcome": "utfall",
    "paid_on": "utbetald datum",
    "paragraph": "paragraf",
    "partners": "samverkansparter",
    "password_hash": "lösenord",
    "pdf": "pdf",
    "period_end": "periodens slut",
    "period_start": "periodens början",
    "phone": "telefon",
    "place": "plats",
    "position": "plats i ordningen",
    "postal_address": "postadress",
    "present": "närvarande",
    "purpose": "syfte",
    "quarter": "kvartal",
    "recipient_email": "mottagarens e-post",
    "recipient_name": "mottagare",
    "recipient_user": "mottagande användare",
    "reason": "skäl",
    "recipients": "mottagare",
    "recovery_hashes": "reservkoder",
    "report_due_days": "dagar till sista rapportdag",
    "report_reminder_days_before": "påminnelse dagar före",
    "report_reminder_interval_days": "dagar mellan påminnelser",
    "requirement_answers": "svar på krav vid förlängning",
    "reservations": "reservationer",
    "review_comment": "granskarens kommentar",
    "reviewed_at": "granskad",
    "reviewed_by": "granskad av",
    "role": "roll",
    "secret": "hemlighet",
    "secretary": "sekreterare",
    "sent_at": "skickad",
    "sessions_since": "sessioner sedan",
    "sha256": "kontrollsumma",
    "shares": "andelar",
    "size": "storlek",
    "slot_key": "rapporttillfälle",
    "start_time": "starttid",
    "status": "status",
    "subject": "ämne",
    "submitted_at": "inlämnad",
    "submitted_by": "inlämnad av",
    "summary": "sammanfattning",
    "supersedes": "ersätter",
    "target_group": "målgrupp",
    "text": "text",
    "title": "rubrik",
    "updated_at": "ändrad",
    "uploaded_at": "uppladdad",
    "uploaded_by": "uppladdad av",
    "user": "användare",
    "user_id": "användare",
    "version": "version",
    "votes": "omröstning",
    "year": "år",
    "year_forecast": "årsprognos",
}


def field_label(field: str) -> str:
    """A logged field's name in Swedish (a field not yet labelled reads without underscores)."""
    return FIELD_LABELS.get(field, field.replace("_", " "))


def describe(action: str, entity: str) -> str:
    """A log entry's event in Swedish, falling back to the stored words for new kinds."""
    return f"{ACTION_LABELS.get(action, action)} {ENTITY_LABELS.get(entity, entity)}"


def snapshot(
    row: dict[str, Any] | None, hidden: frozenset[str] = frozenset()
) -> dict[str, Any] | None:
    """A row as JSON-safe values, without secrets such as password hashes."""
    if row is None:
        return None
    return {
        key: _plain(value)
        for key, value in row.items()
        if key not in hidden and key not in {"password_hash"}
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The keys whose value differs, for a compact listing of what changed."""
    before, after = before or {}, after or {}
    skip = {"version", "updated_at"}
    return sorted(
        k for k in before.keys() | after.keys() if k not in skip and before.get(k) != after.get(k)
    )


async def record(
    actor: Principal | None,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> None:
    """Write one entry; call inside the transaction that makes the change, so both or neither land."""
    before_plain, after_plain = snapshot(before), snapshot(after)
    await AuditEntry.insert(
        AuditEntry(
            actor=actor.user_id if actor else None,
            actor_email=actor.email if actor else "system",
            action=action,
            entity=entity,
            entity_id=entity_id,
            summary=summary[:500],
            before=msgspec.json.encode(before_plain).decode() if before_plain is not None else None,
            after=msgspec.json.encode(after_plain).decode() if after_plain is not None else None,
        )
    )
