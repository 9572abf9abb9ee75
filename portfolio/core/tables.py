"""The portfolio's tables: the association, organisations, people, insatser, sessions and audit."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

from portfolio.core.domain import (
    AttendeeRole,
    Body,
    CaseKind,
    ConditionKind,
    InitiativeKind,
    InitiativeStatus,
    MeetingStatus,
    OrganisationKind,
    PartyRole,
    Role,
)


class Association(Table):
    """The association's own settings (one row): names and addresses for document headers."""

    id: Serial

    name = Varchar(length=200)
    org_number = Varchar(length=20, default="")
    address = Varchar(length=200, default="")
    postal_address = Varchar(length=200, default="")
    email = Varchar(length=200, default="")
    phone = Varchar(length=50, default="")
    director_name = Varchar(length=200, default="")
    # Days after a quarter (or the insats) ends that its report is due.
    report_due_days = Integer(default=30)
    # Quarterly-report reminders: days before the due date, then days between late reminders.
    report_reminder_days_before = Integer(default=14)
    report_reminder_interval_days = Integer(default=7)
    version = Integer(default=1)
    updated_at = Timestamptz(default=TimestamptzNow())


class Organisation(Table):
    """A member organisation (FK, AF, region, kommun) or another partner organisation."""

    id: Serial

    name = Varchar(length=200, unique=True)
    kind = Varchar(length=20, choices=OrganisationKind)
    is_member = Boolean(default=True)
    org_number = Varchar(length=20, default="")
    # The kommun's (or region's) share of its quarter of the member contributions, in
    # hundredths of a percent; the shares of one kind sum to 10 000.
    contribution_share = Integer(null=True, default=None)
    active = Boolean(default=True)
    version = Integer(default=1)
    updated_at = Timestamptz(default=TimestamptzNow())


class Contact(Table):
    """A contact person at an organisation."""

    id: Serial

    organisation = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.restrict)
    name = Varchar(length=200)
    email = Varchar(length=200, default="")
    phone = Varchar(length=50, default="")
    title = Varchar(length=200, default="")
    version = Integer(default=1)


class User(Table, tablename="app_user"):
    """A person who logs in: office, insatsägare (bound to one organisation) or board member."""

    id: Serial

    email = Varchar(length=200, unique=True, index=True)
    name = Varchar(length=200)
    title = Varchar(length=200, default="")
    password_hash = Varchar(length=300)
    role = Varchar(length=20, choices=Role)
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.restrict)
    active = Boolean(default=True)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    last_login_at = Timestamptz(null=True, default=None)
    # Sessions signed in before this have ended: set when the office gives a new password or
    # resets the second factor, so a stolen session does not outlive the remedy.
    sessions_since = Timestamptz(null=True, default=None)


class Initiative(Table):
    """An insats: a joint initiative with one lead owner, funded by the association."""

    id: Serial

    name = Varchar(length=300)
    kind = Varchar(length=20, choices=InitiativeKind)
    status = Varchar(length=20, choices=InitiativeStatus, default=InitiativeStatus.APPLIED)
    lead_owner = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.restrict)
    target_group = Text(default="")
    description = Text(default="")
    area = Varchar(length=300, default="")
    # Uppföljning Finsam's fields, fixed once the insats is created there: get them right first.
    orientation = Varchar(length=300, default="")  # the more precise orientation (inriktning)
    follow_up_method = Varchar(length=300, default="")
    esf_cofunded = Boolean(default=False)
    # Co-financing: the project's whole cost and the other financiers' shares, when the
    # association pays only a part; the association's own part is what the budget room counts.
    total_cost = Integer(null=True, default=None)
    co_financiers = JSON(default="[]")  # [{"name": ..., "amount": ...}]
    period_start = Date(null=True, default=None)
    period_end = Date(null=True, default=None)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class InitiativeParty(Table):
    """A co-owner (draws money) or partner of an insats, with its contact person."""

    id: Serial

    initiative = ForeignKey(references=Initiative, null=False)
    organisation = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.restrict)
    role = Varchar(length=20, choices=PartyRole)
    contact = ForeignKey(references=Contact, null=True, on_delete=OnDelete.set_null)


class Condition(Table):
    """A condition on an insats: an extension requirement, a funding reservation or free text.

    Set by the decision that granted the insats (the decision link arrives with the meetings
    module); extension requirements are what the next application must answer.
    """

    id: Serial
    initiative = ForeignKey(references=Initiative, null=False, on_delete=OnDelete.restrict)
    kind = Varchar(length=30, choices=ConditionKind)
    text = Text()
    met = Boolean(default=False)
    met_note = Text(default="")
    # The decision that set it (or carried it over), and the one that ended it by dropping it.
    decision: ForeignKey[Decision] = ForeignKey(
        references=LazyTableReference("Decision", module_path=__name__),
        null=True,
        on_delete=OnDelete.set_null,
    )
    ended_by: ForeignKey[Decision] = ForeignKey(
        references=LazyTableReference("Decision", module_path=__name__),
        null=True,
        on_delete=OnDelete.set_null,
    )
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class Meeting(Table):
    """A meeting of the board (FS) or the working committee (AU), ordinary or extra."""

    id: Serial
    body = Varchar(length=10, choices=Body)
    extra = Boolean(default=False)
    meeting_date = Date()
    start_time = Varchar(length=5, default="")  # "13.00": kept as typed, shown as is
    end_time = Varchar(length=5, default="")
    place = Varchar(length=300, default="")
    status = Varchar(length=20, choices=MeetingStatus, default=MeetingStatus.PLANNED)
    chair = Varchar(length=200, default="")
    secretary = Varchar(length=200, default="")
    checker = Varchar(length=200, default="")  # justerare
    approved_on = Date(null=True, default=None)  # the day the minutes were justerat
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class BoardPerson(Table, tablename="board_person"):
    """A board member, substitute or official, with or without an account: who is called."""

    id: Serial
    name = Varchar(length=200)
    email = Varchar(length=200, default="")
    role = Varchar(length=20, choices=AttendeeRole, default=AttendeeRole.MEMBER)
    # The member organisation a ledamot or ersättare represents; none for officials.
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.restrict)
    title = Varchar(length=200, default="")
    term_start = Date(null=True, default=None)
    term_end = Date(null=True, default=None)
    user = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    active = Boolean(default=True)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class MeetingAttendee(Table):
    """Who is called to a meeting (members, substitutes, officials) and who came."""

    id: Serial
    meeting = ForeignKey(references=Meeting, null=False, on_delete=OnDelete.cascade)
    user = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    # The register's person called, whose e-mail the kallelse goes to when there is no account.
    person = ForeignKey(references=BoardPerson, null=True, on_delete=OnDelete.set_null)
    name = Varchar(length=200)
    organisation = Varchar(length=200, default="")  # whom the member represents
    role = Varchar(length=20, choices=AttendeeRole, default=AttendeeRole.MEMBER)
    invited = Boolean(default=True)
    present = Boolean(null=True, default=None)  # None until attendance is taken
    position = Integer(default=0)


class CaseCounter(Table):
    """The last case number used per year; bumped in the same transaction as the case is made."""

    id: Serial
    year = Integer(unique=True)
    last_number = Integer(default=0)


class Case(Table, tablename="board_case"):
    """An ärende with its Dnr, allocated in sequence per year, never reused."""

    id: Serial
    year = Integer()
    number = Integer()
    case_number = Varchar(length=20, unique=True)
    title = Varchar(length=300)
    kind = Varchar(length=20, choices=CaseKind)
    initiative = ForeignKey(references=Initiative, null=True, on_delete=OnDelete.restrict)
    application = Integer(
        null=True, default=None
    )  # applications.Application id (that app owns the table)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class AgendaItem(Table):
    """A case on a meeting's agenda, in order, with its attachment numbering."""

    id: Serial
    meeting = ForeignKey(references=Meeting, null=False, on_delete=OnDelete.restrict)
    case = ForeignKey(references=Case, null=False, on_delete=OnDelete.restrict)
    position = Integer()
    attachments = Integer(default=1)
    version = Integer(default=1)


class Proposal(Table):
    """The office's decision proposal (tjänsteskrivelse) for a case: att-satser and Ärendet."""

    id: Serial
    case = ForeignKey(references=Case, null=False, unique=True, on_delete=OnDelete.restrict)
    document_date = Date()
    clauses = JSON(default="[]")  # att-satser in order, as text
    application_text = Text(default="")  # Ärendet: Ansökan
    assessment_text = Text(default="")  # Ärendet: Bedömning
    amount = Integer(null=True, default=None)  # the proposed grant, kronor
    period_start = Date(null=True, default=None)
    period_end = Date(null=True, default=None)
    # The proposed grant per year ({"2022": kronor}); None: as the application's years, or by months.
    commitments = JSON(null=True, default=None)
    version = Integer(default=1)


class FundReservation(Table):
    """Funds the association sets aside in a year's room for a purpose, e.g. extensions of the
    insatser that end the year before; grants that draw on it lower it, not the room again."""

    id: Serial
    purpose = Varchar(length=300)
    year = Integer()
    amount = Integer(default=0)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class Decision(Table):
    """A decision taken at a meeting: never edited, only superseded by a later decision."""

    id: Serial
    case = ForeignKey(references=Case, null=False, on_delete=OnDelete.restrict)
    meeting = ForeignKey(references=Meeting, null=False, on_delete=OnDelete.restrict)
    paragraph = Integer()  # the § in the minutes
    outcome = Varchar(length=20)
    clauses = JSON(default="[]")
    amount = Integer(default=0)  # granted, kronor; 0 unless granted
    period_start = Date(null=True, default=None)
    period_end = Date(null=True, default=None)
    votes = JSON(default="[]")
    reservations = JSON(default="[]")
    supersedes: ForeignKey[Decision] = ForeignKey(
        references="self", null=True, on_delete=OnDelete.set_null
    )
    # The reservation this grant draws on: its commitments in the reservation's year lower it.
    draws_on = ForeignKey(references=FundReservation, null=True, on_delete=OnDelete.restrict)
    # The meeting declared the paragraph omedelbart justerad: its extract goes out at once.
    immediately_approved = Boolean(default=False)
    decided_at = Timestamptz(default=TimestamptzNow())
    decided_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)


class Commitment(Table):
    """The part of a granted amount that falls in one year: what the budget room counts."""

    id: Serial
    decision = ForeignKey(references=Decision, null=False, on_delete=OnDelete.restrict)
    initiative = ForeignKey(references=Initiative, null=False, on_delete=OnDelete.restrict)
    year = Integer()
    amount = Integer()


class YearBudget(Table):
    """The association's own budget for a year, and for the current year its forecast (prognos)."""

    id: Serial
    year = Integer(unique=True)
    member_contributions = Integer(default=0)
    elected_members = Integer(default=0)  # förtroendevalda
    administration = Integer(default=0)  # förvaltning, the kansli
    other_costs = JSON(default="[]")  # [{"name": ..., "amount": ...}], shared support functions
    carried_in = Integer(null=True, default=None)  # surplus into this year, when it opens the table
    extra_contribution = Integer(default=0)  # a one-off extra from the members this year
    extra_contribution_note = Varchar(length=300, default="")  # what the extra is for
    forecast = JSON(null=True, default=None)  # the same figures as forecast, plus insats forecasts
    version = Integer(default=1)


class CaseNote(Table):
    """A board member's private note on a case: seen by its writer only, kept when papers change."""

    id: Serial
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    case = ForeignKey(references=Case, null=False, on_delete=OnDelete.cascade)
    text = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())


class SecondFactor(Table):
    """A person's TOTP second factor: unconfirmed until they type a code from their app."""

    id: Serial

    user = ForeignKey(references=User, null=False, unique=True, on_delete=OnDelete.cascade)
    secret = Varchar(length=255)  # sealed (sealing.py): "sealed:" and a Fernet token
    confirmed_at = Timestamptz(null=True, default=None)
    # SHA-256 of each unused recovery code: they are random enough that a slow hash adds nothing.
    recovery_hashes = JSON(default="[]")
    # The last time step a code was accepted for, so a seen code cannot be used again.
    last_step = Integer(default=0)


class LoginFailure(Table):
    """A log-in attempt that has not succeeded (yet), kept a while so every worker counts the
    same attempts; a successful log-in removes the account's."""

    id: Serial
    email = Varchar(length=200, index=True)
    address = Varchar(length=64, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
    # False while the password is being checked (or if it never was, being refused): such an
    # attempt counts for its account only; a wrong password counts for the address too.
    failed = Boolean(default=False)


class AccountLink(Table, tablename="account_link"):
    """A one-time link to choose a password: an invitation or a forgotten password.

    Only the SHA-256 of the link's token is kept (the token is 32 random bytes, so a slow hash
    adds nothing); a link is spent once used, and dead once expired or withdrawn."""

    id: Serial
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    purpose = Varchar(length=20)  # "invitation" or "reset"
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    withdrawn_at = Timestamptz(null=True, default=None)


class RateEvent(Table, tablename="rate_event"):
    """One counted request of a rate-limited kind (a reset asked for, an invitation sent), kept a
    while in the database so every worker counts the same requests."""

    id: Serial
    key = Varchar(length=250, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)


class HttpSession(Table):
    """Server-side session data, so that any worker can serve any request."""

    id: Serial

    key = Varchar(length=200, unique=True, index=True)
    data = Bytea()
    expires_at = Timestamptz(null=True, default=None, index=True)
    # Who is signed in (also inside `data`): read with the session in one query, so a request
    # costs one round trip for both. A deleted account takes its sessions with it.
    account = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.cascade)


class AuditEntry(Table):
    """One change of state: who, when, what, and the values before and after."""

    id: Serial

    at = Timestamptz(default=TimestamptzNow(), index=True)
    # Entries outlive accounts: the e-mail beside the key keeps saying who it was.
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    actor_email = Varchar(length=200, default="")
    action = Varchar(length=50)
    entity = Varchar(length=50, index=True)
    entity_id = Integer(null=True, index=True)
    summary = Varchar(length=500, default="")
    before = JSON(null=True, default=None)
    after = JSON(null=True, default=None)


__all__ = [
    "AccountLink",
    "AgendaItem",
    "Association",
    "AuditEntry",
    "BoardPerson",
    "Case",
    "CaseCounter",
    "CaseNote",
    "Commitment",
    "Condition",
    "Contact",
    "Decision",
    "HttpSession",
    "Initiative",
    "InitiativeParty",
    "LoginFailure",
    "Meeting",
    "Organisation",
    "Proposal",
    "RateEvent",
    "User",
    "YearBudget",
]


class RenderedPart(Table):
    """A part of a board pack laid out once (a proposal, a submitted application), by the hash
    of what it shows: every worker reuses it, and a changed paper simply gets a new key."""

    id: Serial
    key = Varchar(length=64, unique=True)
    pdf = Bytea()
    created_at = Timestamptz(default=TimestamptzNow())
    # Set on a whole pack only: a meeting keeps its latest pack, not one per edit on the way.
    meeting = Integer(null=True, default=None, index=True)
