"""The application's pure domain: its content, kinds and states, submission rules and version diffs.

An application is kept as one document (ApplicationContent) so that a draft can be saved at
any point, however incomplete, and a submitted version is a frozen copy of that document.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Any, ClassVar

import msgspec

from applications.budget import Budget
from portfolio.core.domain import FieldProblem, OrganisationKind, count_parties


class ApplicationKind(enum.StrEnum):
    NEW = "new"
    EXTENSION = "extension"
    SUPPLEMENTARY = "supplementary"


APPLICATION_KIND_LABELS = {
    ApplicationKind.NEW: "Ny ansökan",
    ApplicationKind.EXTENSION: "Ansökan om förlängning",
    ApplicationKind.SUPPLEMENTARY: "Kompletterande ansökan",
}


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    COMPLETION_REQUESTED = "completion_requested"
    PREPARED = "prepared"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


APPLICATION_STATUS_LABELS = {
    ApplicationStatus.DRAFT: "Utkast",
    ApplicationStatus.SUBMITTED: "Inskickad",
    ApplicationStatus.COMPLETION_REQUESTED: "Komplettering begärd",
    ApplicationStatus.PREPARED: "Beredd",
    ApplicationStatus.DECIDED: "Beslutad",
    ApplicationStatus.WITHDRAWN: "Återtagen",
}

APPLICATION_TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.SUBMITTED: frozenset(
        {
            ApplicationStatus.COMPLETION_REQUESTED,
            ApplicationStatus.PREPARED,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    ApplicationStatus.COMPLETION_REQUESTED: frozenset(
        {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.PREPARED: frozenset(
        {ApplicationStatus.DECIDED, ApplicationStatus.COMPLETION_REQUESTED}
    ),
    ApplicationStatus.DECIDED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}

# The owner may change the content only while the application is in their hands.
EDITABLE_STATUSES = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.COMPLETION_REQUESTED})


def can_move_application(current: ApplicationStatus, target: ApplicationStatus) -> bool:
    return target in APPLICATION_TRANSITIONS[current]


def sent_in_version(
    uploaded_at: dt.datetime, versions_submitted_at: Sequence[dt.datetime]
) -> int | None:
    """The number of the first version an attachment was sent in with (None: not sent yet).

    Attachments belong to the application, not to one version; one uploaded before a version
    was sent in went with it and is on record from then on: it may not be removed.
    """
    for number, submitted_at in enumerate(versions_submitted_at, start=1):
        if uploaded_at <= submitted_at:
            return number
    return None


class GoalKind(enum.StrEnum):
    OVERALL = "overall"
    OUTCOME = "outcome"
    OUTPUT = "output"


GOAL_KIND_LABELS = {
    GoalKind.OVERALL: "Övergripande mål",
    GoalKind.OUTCOME: "Effektmål",
    GoalKind.OUTPUT: "Insatsmål",
}


class Goal(msgspec.Struct, kw_only=True):
    """One goal; a numeric target (with its unit) is what quarterly reports measure against."""

    kind: GoalKind = GoalKind.OUTCOME
    text: str = ""
    target: int | None = None
    unit: str = ""


class Party(msgspec.Struct, kw_only=True):
    """An organisation taking part, with its contact person for this application."""

    organisation_id: int | None = None
    contact_name: str = ""
    contact_email: str = ""


class Approval(msgspec.Struct, kw_only=True):
    """A party's approval of the application (the signature block of the paper form)."""

    organisation_id: int | None = None
    name: str = ""
    title: str = ""
    approved_on: dt.date | None = None


class RequirementAnswer(msgspec.Struct, kw_only=True):
    """The answer to one extension requirement of the decision being extended."""

    requirement_id: int
    answer: str = ""


AGREEMENT_TEXT = (
    "Insatsägarna förbinder sig att bedriva insatsen i enlighet med ansökan, gällande lagstiftning "
    "och av förbundet antagna styrdokument. Huvudinsatsägaren har arbetsgivaransvar för den personal "
    "som finansieras. Insatsen rapporterar till förbundet varje kvartal och lämnar en slutrapport. "
    "Beviljade medel är ett maxbelopp; utbetalning sker mot faktiska, upparbetade kostnader efter "
    "rekvisition. Finansieringen gäller under förutsättning att förbundet beviljas medel från "
    "medlemsorganisationerna."
)


class ApplicationContent(msgspec.Struct, kw_only=True):
    """Every section of the form, in its order; everything optional so a draft can be saved."""

    # The name becomes the insats's and its case's title, which a Word document holds 255 of.
    __text_limits__: ClassVar = {"insats_name": 255}

    insats_name: str = ""
    initiative_kind: str = "individual"
    lead_owner: Party = msgspec.field(default_factory=Party)
    co_owners: list[Party] = []
    partners: list[Party] = []
    purpose: str = ""
    goals: list[Goal] = []
    background: str = ""
    changes_summary: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    last_intake: dt.date | None = None
    target_group: str = ""
    expected_participants: int | None = None
    method: str = ""
    follow_up: str = ""
    implementation: str = ""
    anchoring: str = ""
    anchored_on: dt.date | None = None
    budget: Budget = msgspec.field(default_factory=lambda: Budget(owners=[]))
    agreement_accepted: bool = False
    approvals: list[Approval] = []
    requirement_answers: list[RequirementAnswer] = []


# Sections in the form's order, with their Swedish headings; used by pages, diffs and the PDF.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("insats_name", "Insatsens namn"),
    ("initiative_kind", "Slag av insats"),
    ("lead_owner", "Huvudinsatsägare"),
    ("co_owners", "Delinsatsägare"),
    ("partners", "Samverkansparter"),
    ("purpose", "Syfte"),
    ("goals", "Mål"),
    ("background", "Bakgrund och behov"),
    ("changes_summary", "Sammanfattning av förändringar"),
    ("period_start", "Planerad start"),
    ("period_end", "Planerat slut"),
    ("last_intake", "Sista intag"),
    ("target_group", "Målgrupp"),
    ("expected_participants", "Förväntat antal deltagare"),
    ("method", "Metod"),
    ("follow_up", "Uppföljning och utvärdering"),
    ("implementation", "Implementering"),
    ("anchoring", "Förankring"),
    ("anchored_on", "Förankrad datum"),
    ("budget", "Budget"),
    ("agreement_accepted", "Överenskommelse"),
    ("approvals", "Parternas godkännande"),
    ("requirement_answers", "Svar på krav vid förlängning"),
)
SECTION_LABELS = dict(SECTIONS)

_REQUIRED_TEXT = (
    "insats_name",
    "purpose",
    "background",
    "target_group",
    "method",
    "follow_up",
    "implementation",
    "anchoring",
)


class Requirement(msgspec.Struct, frozen=True):
    """An extension requirement the application must answer (from the decision it extends), or a
    free-text condition of that decision, answered beside them (`condition`)."""

    id: int
    text: str
    condition: bool = False

    @property
    def question(self) -> str:
        return f"Villkor: {self.text}" if self.condition else self.text


def submission_problems(
    content: ApplicationContent,
    kind: ApplicationKind,
    organisation_kinds: dict[int, OrganisationKind],
    members: set[int],
    requirements: list[Requirement] = [],  # noqa: B006 - read only
) -> list[FieldProblem]:
    """Everything that stops a submission, each naming its field; empty means it may be submitted.

    `organisation_kinds` maps every organisation id to its kind, `members` holds the member ids.
    """
    problems: list[FieldProblem] = []
    for name in _REQUIRED_TEXT:
        if not str(getattr(content, name)).strip():
            problems.append(FieldProblem(name, f"{SECTION_LABELS[name]} måste fyllas i."))
    if kind is ApplicationKind.EXTENSION and not content.changes_summary.strip():
        problems.append(
            FieldProblem(
                "changes_summary", "En ansökan om förlängning ska sammanfatta förändringarna."
            )
        )
    lead = content.lead_owner.organisation_id
    if lead is None:
        problems.append(FieldProblem("lead_owner", "Ange huvudinsatsägare."))
    elif lead not in members:
        problems.append(
            FieldProblem("lead_owner", "Huvudinsatsägaren måste vara en medlemsorganisation.")
        )
    party_ids = [
        p.organisation_id for p in (content.lead_owner, *content.co_owners, *content.partners)
    ]
    known = [organisation_kinds[i] for i in party_ids if i is not None and i in organisation_kinds]
    if count_parties(known) < 2:
        problems.append(
            FieldProblem(
                "partners",
                "Insatsen måste ha minst två parter (Försäkringskassan, Arbetsförmedlingen, region, kommunerna"
                " räknas tillsammans som en part).",
            )
        )
    if lead is not None and any(
        p.organisation_id == lead for p in (*content.co_owners, *content.partners)
    ):
        problems.append(
            FieldProblem(
                "co_owners", "Huvudinsatsägaren kan inte också vara delinsatsägare eller part."
            )
        )
    if content.period_start is None:
        problems.append(FieldProblem("period_start", "Ange när insatsen planeras starta."))
    if content.period_end is None:
        problems.append(FieldProblem("period_end", "Ange när insatsen planeras sluta."))
    if content.period_start and content.period_end and content.period_end < content.period_start:
        problems.append(FieldProblem("period_end", "Slutdatum kan inte vara före startdatum."))
    if content.last_intake and content.period_end and content.last_intake > content.period_end:
        problems.append(
            FieldProblem("last_intake", "Sista intag kan inte vara efter insatsens slut.")
        )
    if content.last_intake and content.period_start and content.last_intake < content.period_start:
        problems.append(
            FieldProblem("last_intake", "Sista intag kan inte vara före insatsens start.")
        )
    if not any(goal.text.strip() for goal in content.goals):
        problems.append(FieldProblem("goals", "Ange minst ett mål."))
    for index, goal in enumerate(content.goals):
        if goal.target is not None and goal.target < 0:
            problems.append(
                FieldProblem(f"goals.{index}.target", "Ett målvärde kan inte vara negativt.")
            )
    if content.expected_participants is not None and content.expected_participants < 0:
        problems.append(
            FieldProblem("expected_participants", "Antalet deltagare kan inte vara negativt.")
        )
    if not content.budget.lines:
        problems.append(FieldProblem("budget", "Fyll i budgeten."))
    if not content.agreement_accepted:
        problems.append(FieldProblem("agreement_accepted", "Överenskommelsen måste godkännas."))
    answered = {a.requirement_id for a in content.requirement_answers if a.answer.strip()}
    for requirement in requirements:
        if requirement.id not in answered:
            problems.append(
                FieldProblem(
                    f"requirement_{requirement.id}",
                    f"Besvara villkoret: {requirement.text}"
                    if requirement.condition
                    else f"Besvara kravet: {requirement.text}",
                )
            )
    return problems


class Change(msgspec.Struct, frozen=True):
    """One section that differs between two versions."""

    section: str
    label: str
    before: Any
    after: Any


def diff_versions(before: ApplicationContent, after: ApplicationContent) -> list[Change]:
    """The sections that changed between two versions, in form order (for the office's review)."""
    old, new = msgspec.to_builtins(before), msgspec.to_builtins(after)
    return [
        Change(name, label, old.get(name), new.get(name))
        for name, label in SECTIONS
        if old.get(name) != new.get(name)
    ]


def budget_owner_names(content: ApplicationContent, names: dict[int, str]) -> list[str]:
    """The budget's owner columns: the lead owner, then the co-owners, by name."""
    owners = [content.lead_owner, *content.co_owners]
    return [names.get(p.organisation_id, "") for p in owners if p.organisation_id is not None]


def with_owner_names(
    content: ApplicationContent, lead_id: int, names: dict[int, str]
) -> ApplicationContent:
    """A budget typed on the web page has amounts per owner but no column names: name them after
    the lead owner and the co-owners (a budget that already names its columns is left as it is,
    and no amount is dropped, so a column beyond the owners is still warned about)."""
    if content.budget.owners:
        return content
    lead = content.lead_owner
    if lead.organisation_id is None:
        lead = msgspec.structs.replace(lead, organisation_id=lead_id)
    named = msgspec.structs.replace(content, lead_owner=lead)
    budget = msgspec.structs.replace(content.budget, owners=budget_owner_names(named, names))
    return msgspec.structs.replace(content, budget=budget)


def applied_amount(content: ApplicationContent) -> int:
    """What is asked of the association: the association block's total, exact kronor.

    A budget given only as the per-year summary (as some applications in the seed are)
    asks for the sum of its stated year totals; one given only as the summary per owner
    ("Budgetsammanställning") for its stated "Totalt från Samordningsförbundet".
    """
    from applications.budget import compute_totals

    budget = content.budget
    if budget.lines:
        return compute_totals(budget).association.total.total
    if any(year.total for year in budget.years):
        return sum(year.total or 0 for year in budget.years)
    for stated in budget.stated:
        row = stated.association.total
        if row is not None and row.total is not None:
            return row.total
        if row is not None and row.amounts:
            return sum(amount or 0 for amount in row.amounts)
    return 0


class ReadinessItem(msgspec.Struct, frozen=True):
    """One line of the extension readiness check; `ok` None means it cannot be told yet."""

    label: str
    ok: bool | None
    detail: str


def extension_readiness(
    requirements: list[Requirement],
    answers: list[RequirementAnswer],
    conditions_met: list[tuple[str, bool]],
    reports: tuple[int, int] | None = None,
) -> list[ReadinessItem]:
    """Is the insats ready for an extension: requirements answered, conditions met, reports in.

    `conditions_met` holds the other conditions (text, met); `reports` is (accepted, due) or
    None where reports are not yet kept in the system.
    """
    answered = {a.requirement_id for a in answers if a.answer.strip()}
    done = sum(1 for r in requirements if r.id in answered)
    met = sum(1 for _, ok in conditions_met if ok)
    # The totals first, then every requirement and condition on its own line.
    items = [
        ReadinessItem(
            "Krav vid förlängning besvarade",
            done == len(requirements),
            f"{done} av {len(requirements)} krav besvarade."
            if requirements
            else "Beslutet ställde inga krav.",
        ),
        *(
            ReadinessItem(
                f"{'Svar på villkor' if r.condition else 'Krav'}: {r.text}",
                r.id in answered,
                "Besvarat i ansökan." if r.id in answered else "Inte besvarat.",
            )
            for r in requirements
        ),
        ReadinessItem(
            "Villkor uppfyllda",
            met == len(conditions_met),
            f"{met} av {len(conditions_met)} villkor markerade som uppfyllda."
            if conditions_met
            else "Inga andra villkor.",
        ),
        *(
            ReadinessItem(
                f"Villkor: {text}",
                ok,
                "Markerat som uppfyllt." if ok else "Inte markerat som uppfyllt.",
            )
            for text, ok in conditions_met
        ),
    ]
    if reports is None:
        items.append(
            ReadinessItem(
                "Kvartalsrapporter inlämnade och godkända",
                None,
                "Rapporterna förs ännu inte i systemet.",
            )
        )
    else:
        accepted, due = reports
        items.append(
            ReadinessItem(
                "Kvartalsrapporter inlämnade och godkända",
                accepted >= due,
                f"{accepted} av {due} rapporter godkända.",
            )
        )
    return items
