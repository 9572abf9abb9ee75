"""The mails a meeting sends: the kallelse to everyone called, and the decision with its
protokollsutdrag to the applicant.
"""

from __future__ import annotations

from portfolio.core.domain import Principal, Role
from portfolio.core.formatting import format_date_long
from portfolio.core.tables import MeetingAttendee
from portfolio.mail.domain import (
    Attachment,
    MailKind,
)
from portfolio.mail.recipients import (
    Recipient,
    active_users,
    link,
    organisation_people,
    queue_to,
)
from portfolio.meetings import queries as meetings_queries
from portfolio.register import queries as register_queries

NO_INVITED_LIST = (
    "Mötet har ingen lista över kallade; kallelsen gick till alla aktiva styrelseledamöter."
)


async def invited_recipients(meeting_id: int) -> tuple[list[Recipient], str]:
    """Those called to a meeting (its attendance list, members and substitutes alike): by their
    account's address, or the board register's address for a person without an account; a note
    names anyone called who has neither. With no list at all, every active board member."""
    rows = await MeetingAttendee.select(
        MeetingAttendee.name,
        MeetingAttendee.user.id.as_alias("user_id"),
        MeetingAttendee.user.email.as_alias("email"),
        MeetingAttendee.user.active.as_alias("active"),
        MeetingAttendee.user.organisation.as_alias("organisation"),
        MeetingAttendee.person.email.as_alias("person_email"),
    ).where((MeetingAttendee.meeting == meeting_id) & (MeetingAttendee.invited == True))  # noqa: E712
    if not rows:
        return await active_users(Role.BOARD), NO_INVITED_LIST
    recipients: list[Recipient] = []
    unreachable: list[str] = []
    for r in rows:
        if r["user_id"] is not None and r["active"] and r["email"]:
            recipients.append(Recipient(r["email"], r["name"], r["user_id"], r["organisation"]))
        elif (r["person_email"] or "").strip():
            recipients.append(Recipient(r["person_email"].strip(), r["name"]))
        else:
            unreachable.append(r["name"])
    note = (
        "Kallelsen kunde inte e-postas till "
        + ", ".join(unreachable)
        + ", som varken har konto eller e-postadress i styrelseregistret."
        if unreachable
        else ""
    )
    return recipients, note


# -- the triggers ---------------------------------------------------------------------------


async def meeting_notice(actor: Principal, meeting_id: int) -> int:
    """The kallelse, with its PDF and a link to the meeting's papers, to everyone invited."""
    from portfolio.documents.pdf_papers import render_notice_pdf
    from portfolio.meetings import papers as meetings_papers

    document = await meetings_papers.notice_document(meeting_id)
    recipients, note = await invited_recipients(meeting_id)
    pdf = render_notice_pdf(document)
    times = "–".join(
        t.strftime("%H.%M") for t in (document.start_time, document.end_time) if t is not None
    )
    context = {
        "body": document.body,
        "meeting_date": format_date_long(document.meeting_date),
        "time": times,
        "place": document.place,
        "agenda": [
            f"{e.number}. {e.title}" + (f" (Dnr {e.case_number})" if e.case_number else "")
            for e in document.agenda
        ],
        "link": link(f"/moten/{meeting_id}"),
        "note": document.note,
    }
    filename = f"Kallelse {document.meeting_date.isoformat()}.pdf"
    return await queue_to(
        actor,
        MailKind.NOTICE,
        recipients,
        context,
        entity="meeting",
        entity_id=meeting_id,
        attachments=(Attachment(filename, "application/pdf", pdf),),
        note=note,
    )


async def decision_recorded(actor: Principal, decision_id: int) -> int:
    """The decision, with its protokollsutdrag as PDF, to the insats's lead owner."""
    from applications.tables import Application
    from portfolio.documents.pdf_papers import render_extract_pdf
    from portfolio.meetings import papers as meetings_papers
    from portfolio.meetings.decisions import OUTCOME_LABELS, DecisionOutcome

    decision = await meetings_queries.decision_detail(decision_id)
    case = await meetings_queries.get_case(decision["case"])
    organisation_id: int | None = None
    if case["initiative"] is not None:
        initiative = await register_queries.initiative_row(case["initiative"])
        organisation_id = initiative["lead_owner"] if initiative else None
    elif case["application"] is not None:
        row = (
            await Application.select(Application.organisation)
            .where(Application.id == case["application"])
            .first()
        )
        organisation_id = row["organisation"] if row else None
    if organisation_id is None:
        return 0  # an information or economy case: no insatsägare to tell
    meeting = await meetings_queries.get_meeting(decision["meeting"])
    extract = await meetings_papers.extract_document(actor, decision_id)
    pdf = render_extract_pdf(extract)
    context = {
        "body": extract.minutes.body,
        "title": case["title"],
        "case_number": case["case_number"],
        "meeting_date": format_date_long(meeting["meeting_date"]),
        "paragraph": decision["paragraph"],
        "outcome": OUTCOME_LABELS[DecisionOutcome(decision["outcome"])],
        "clauses": decision["clauses"],
        "link": link(f"/insatser/{case['initiative']}")
        if case["initiative"]
        else link(f"/ansokningar/{case['application']}"),
    }
    filename = (
        f"Protokollsutdrag {meeting['meeting_date'].isoformat()} § {decision['paragraph']}.pdf"
    )
    return await queue_to(
        actor,
        MailKind.DECISION,
        await organisation_people(organisation_id),
        context,
        entity="decision",
        entity_id=decision_id,
        attachments=(Attachment(filename, "application/pdf", pdf),),
    )
