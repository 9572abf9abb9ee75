"""Decisions on applications: outcomes, att-satser, the conditions they set, commitments and votes.

Pure domain code (stdlib and msgspec, plus the shared formatting, the budget's month arithmetic and
the portfolio's condition kinds). The clause wording follows the real decision proposals in
seeds/002: the grant clause and the two reservations are reproduced word for word; the extension
requirement clause is rebuilt from its list of requirements, in regular prose (see
`extension_requirements_clause` for how that differs from the seed's own sentence).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping, Sequence

import msgspec

from applications.budget import months_per_year, split_by_months
from portfolio.core.domain import Body, ConditionKind
from portfolio.core.formatting import format_date_iso, format_date_long, format_kronor


class DecisionOutcome(enum.StrEnum):
    """What the board decided on an application."""

    GRANTED = "granted"
    PARTLY_GRANTED = "partly_granted"
    REJECTED = "rejected"
    TABLED = "tabled"


OUTCOME_LABELS: dict[DecisionOutcome, str] = {
    DecisionOutcome.GRANTED: "Bifall",
    DecisionOutcome.PARTLY_GRANTED: "Delvis bifall",
    DecisionOutcome.REJECTED: "Avslag",
    DecisionOutcome.TABLED: "Bordlagt",
}


class VoteChoice(enum.StrEnum):
    """One member's vote on a proposal."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


VOTE_CHOICE_LABELS: dict[VoteChoice, str] = {
    VoteChoice.YES: "Ja",
    VoteChoice.NO: "Nej",
    VoteChoice.ABSTAIN: "Avstår",
}


class ClauseKind(enum.StrEnum):
    """The kinds of att-sats; the option on extension is part of the grant clause, not its own."""

    GRANT = "grant"
    EXTENSION_REQUIREMENTS = "extension_requirements"
    FUNDING_RESERVATION = "funding_reservation"
    COMPLIANCE = "compliance"
    INFORMATION = "information"
    REJECT = "reject"
    TABLE = "table"
    FREE = "free"


CLAUSE_KIND_LABELS: dict[ClauseKind, str] = {
    ClauseKind.GRANT: "Beviljande",
    ClauseKind.EXTENSION_REQUIREMENTS: "Krav vid förlängning",
    ClauseKind.FUNDING_RESERVATION: "Förbehåll om medlemmarnas medel",
    ClauseKind.COMPLIANCE: "Förbehåll om ansökan, lag och styrdokument",
    ClauseKind.INFORMATION: "Information till handlingarna",
    ClauseKind.REJECT: "Avslag",
    ClauseKind.TABLE: "Bordläggning",
    ClauseKind.FREE: "Egen att-sats",
}

FUNDING_RESERVATION_TEXT = (
    "att finansieringen av insatsen gäller under förutsättning att förbundet beviljas medel från "
    "medlemsorganisationerna framöver."
)
COMPLIANCE_TEXT = (
    "att finansiering av insatsen gäller under förutsättning att insatsen följer aktuell ansökan, "
    "gällande lagstiftning och av förbundet antagna styrdokument."
)
EXTENSION_OPTION_TEXT = "med eventuell option på förlängning"

# Other clauses the office can pick for a case; "{initiative}" is the insats name. Like the
# seed's non-grant clauses ("att inte förorda …"), they carry no full stop.
OTHER_STANDARD_CLAUSES: dict[ClauseKind, str] = {
    ClauseKind.INFORMATION: "att lägga informationen till handlingarna",
    ClauseKind.REJECT: "att inte bevilja finansiellt stöd för insatsen {initiative}",
    ClauseKind.TABLE: "att bordlägga ärendet",
}


class Clause(msgspec.Struct, frozen=True, kw_only=True):
    """One att-sats of a decision; `items` keeps the separate requirements a clause lists."""

    kind: ClauseKind
    text: str
    items: list[str] = []


class ProposedGrant(msgspec.Struct, frozen=True, kw_only=True):
    """What the office proposes to grant, from which the standard att-satser are written."""

    initiative: str
    period_start: dt.date
    period_end: dt.date
    amount: int  # kronor, the ceiling ("maximalt")
    extension_option: bool = False  # "… med eventuell option på förlängning"
    extension_requirements: list[str] = []
    # "enligt ansökan": three of the seed's five grant clauses say so, even when granting less.
    as_applied: bool = False

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("Beviljat belopp kan inte vara negativt.")
        if self.period_end < self.period_start:
            raise ValueError("Periodens slut kan inte vara före dess start.")


def whole_years(start: dt.date, end: dt.date) -> int | None:
    """How many whole years a period spans (2022-01-01..2022-12-31 is 1), or None if not whole."""
    after = end + dt.timedelta(days=1)
    years = after.year - start.year
    if years >= 1 and (after.month, after.day) == (start.month, start.day):
        return years
    return None


def join_swedish(items: Iterable[str]) -> str:
    """Items as Swedish prose: "a, b samt c"; "och" when no item already uses "och" itself."""
    parts = [item.strip().rstrip(".").strip() for item in items if item.strip()]
    if len(parts) <= 1:
        return "".join(parts)
    # The seed joins with "samt" because its items contain "och"; "samt" keeps the list readable.
    last_join = "samt" if any(re.search(r"\boch\b", part) for part in parts) else "och"
    return f"{', '.join(parts[:-1])} {last_join} {parts[-1]}"


def grant_clause(grant: ProposedGrant) -> Clause:
    """The grant att-sats, worded as in the seed's proposals."""
    according = "enligt ansökan " if grant.as_applied else ""
    text = (
        f"att bevilja finansiellt stöd {according}för insatsen {grant.initiative} för perioden "
        f"{format_date_long(grant.period_start)} fram till {format_date_long(grant.period_end)}, "
        f"maximalt {format_kronor(grant.amount)}"
    )
    if grant.extension_option:
        years = whole_years(grant.period_start, grant.period_end)
        text += f", {years} år {EXTENSION_OPTION_TEXT}" if years else f", {EXTENSION_OPTION_TEXT}"
    return Clause(kind=ClauseKind.GRANT, text=f"{text}.")


def extension_requirements_clause(requirements: Sequence[str]) -> Clause:
    """The att-sats listing what an extension application must show.

    One requirement reads "att vid ansökan om förlängning ska X framgå."; several follow the seed's
    Bedömning: "… ska följande framgå: a, b samt c.". The seed's att-sats itself is irregular: it
    puts "framgå" after the first item, gives the second its own verb ("formuleras") and starts the
    third as a new sentence ("Samt ett förtydligande …"), and drops "i insatsen" from the first.
    """
    parts = [item.strip().rstrip(".").strip() for item in requirements if item.strip()]
    if not parts:
        raise ValueError("Minst ett krav behövs för en att-sats om förlängning.")
    if len(parts) == 1:
        text = f"att vid ansökan om förlängning ska {parts[0]} framgå."
    else:
        text = f"att vid ansökan om förlängning ska följande framgå: {join_swedish(parts)}."
    return Clause(kind=ClauseKind.EXTENSION_REQUIREMENTS, text=text, items=parts)


def standard_clauses(grant: ProposedGrant) -> list[Clause]:
    """The standard att-satser for a grant, in the seed's order."""
    clauses = [grant_clause(grant)]
    if any(item.strip() for item in grant.extension_requirements):
        clauses.append(extension_requirements_clause(grant.extension_requirements))
    clauses.append(Clause(kind=ClauseKind.FUNDING_RESERVATION, text=FUNDING_RESERVATION_TEXT))
    clauses.append(Clause(kind=ClauseKind.COMPLIANCE, text=COMPLIANCE_TEXT))
    return clauses


def other_clause(kind: ClauseKind, initiative: str = "") -> Clause:
    """One of OTHER_STANDARD_CLAUSES, with the insats name filled in where it takes one."""
    template = OTHER_STANDARD_CLAUSES.get(kind)
    if template is None:
        raise ValueError(f"Ingen färdig att-sats för {CLAUSE_KIND_LABELS[kind]}.")
    if "{initiative}" in template and not initiative.strip():
        raise ValueError("Att-satsen behöver insatsens namn.")
    return Clause(kind=kind, text=template.format(initiative=initiative.strip()))


def normalise_clause(text: str) -> str:
    """A clause on one line with single spaces, as text pasted from a PDF needs."""
    return " ".join(text.replace("\u00a0", " ").split())


# Recognises pasted or typed clauses by their opening words, most specific first.
_CLAUSE_OPENINGS: tuple[tuple[str, ClauseKind], ...] = (
    ("att bevilja ", ClauseKind.GRANT),
    ("att inte bevilja ", ClauseKind.REJECT),
    ("att vid ansökan om förlängning ", ClauseKind.EXTENSION_REQUIREMENTS),
    (normalise_clause(FUNDING_RESERVATION_TEXT).rstrip("."), ClauseKind.FUNDING_RESERVATION),
    (normalise_clause(COMPLIANCE_TEXT).rstrip("."), ClauseKind.COMPLIANCE),
    ("att lägga informationen till handlingarna", ClauseKind.INFORMATION),
    ("att bordlägga ", ClauseKind.TABLE),
)


def classify_clause(text: str) -> Clause:
    """A clause typed or pasted as text, with its kind recognised (FREE when none fits); an
    extension requirement clause keeps each requirement it lists as an item."""
    clean = normalise_clause(text)
    lowered = clean.lower()
    for opening, kind in _CLAUSE_OPENINGS:
        if lowered.startswith(opening.lower()):
            if kind is ClauseKind.EXTENSION_REQUIREMENTS:
                return Clause(kind=kind, text=clean, items=split_requirements(text))
            return Clause(kind=kind, text=clean)
    if _GRANTS.search(lowered) and not _DOES_NOT_GRANT.search(lowered):
        # "att, med ändring av beslut …, bevilja finansiellt stöd …": a grant, never a condition.
        return Clause(kind=ClauseKind.GRANT, text=clean)
    return Clause(kind=ClauseKind.FREE, text=clean)


_GRANTS = re.compile(r"^att\b.*\bbevilja(?:r|s)?\b")
_DOES_NOT_GRANT = re.compile(r"\binte\s+bevilja")


_REQUIREMENT_OPENING = re.compile(r"^att vid ansökan om förlängning ska\s*", re.IGNORECASE)
_FOLLOWING = re.compile(r"^(?:följande\s+(?:framgå|redovisas|beskrivas)\s*)?:[ \t]*", re.IGNORECASE)
_NUMBERED = re.compile(r"(?:^|\s)(?:\d{1,2}|[a-h])[.)]\s+")
_BULLET = re.compile(r"^\s*(?:[-–•*]|\d{1,2}[.)]|[a-h][.)])\s*")


def _tidy(item: str) -> str:
    return normalise_clause(item).strip(" ;,").rstrip(".").strip()


def split_requirements(text: str) -> list[str]:
    """The separate requirements an extension requirement clause lists: one per line, per
    numbered item ("1. a 2. b"), or per part of "a, b samt c" after "följande framgå:"; a single
    "att vid ansökan om förlängning ska X framgå." is the one requirement X. Wording it cannot
    read (the seed's own irregular clause) gives no items: the clause is one requirement, whole."""
    body = _REQUIREMENT_OPENING.sub("", text.replace("\u00a0", " ").strip())
    listed = _FOLLOWING.match(body)
    body = body[listed.end() :] if listed else body
    raw_lines = [raw for raw in body.splitlines() if raw.strip()]
    # A list on lines of its own, or lines marked as a list; a clause merely wrapped (pasted
    # from a PDF) is read as one text.
    on_lines = len(raw_lines) > 1 and (
        body.startswith(("\n", "\r")) or all(_BULLET.match(raw) for raw in raw_lines[1:])
    )
    lines = [_BULLET.sub("", raw) for raw in raw_lines]
    if on_lines:
        parts = lines
    else:
        flat = normalise_clause(body)
        numbered = [p for p in _NUMBERED.split(" " + flat) if p.strip()]
        if len(numbered) > 1:
            parts = numbered
        elif listed:
            parts = _split_series(flat.rstrip("."))
        else:
            # "… ska X framgå.": the one requirement X. Other wording is kept whole (no items).
            single = re.fullmatch(r"([^.]+?)\s+framgå\.?", flat, flags=re.IGNORECASE)
            parts = [single.group(1)] if single else []
    items = [_tidy(p) for p in parts]
    return [item for item in items if item]


def _split_series(text: str) -> list[str]:
    """ "a, b samt c" (or "a, b och c") as its parts; "samt" binds the last one when present, so
    an item may itself hold "och"."""
    for last_join in (" samt ", " och "):
        head, found, last = text.rpartition(last_join)
        if found:
            return [*[p for p in head.split(",")], last]
    return text.split(",") if "," in text else [text]


def conditions_from_clauses(clauses: Iterable[Clause]) -> list[tuple[ConditionKind, str]]:
    """The conditions that follow the insats once granted, each with its kind.

    Every extension requirement becomes its own condition, so the next application can answer
    each one; both reservations are funding reservations; free att-satser other than a grant are
    free-text conditions. Information, rejection and tabling set no conditions.
    """
    conditions: list[tuple[ConditionKind, str]] = []
    for clause in clauses:
        if clause.kind is ClauseKind.EXTENSION_REQUIREMENTS:
            # A clause typed by hand has no item list: it is then one requirement.
            items = clause.items or [normalise_clause(clause.text)]
            conditions.extend((ConditionKind.EXTENSION_REQUIREMENT, item) for item in items)
        elif clause.kind in (ClauseKind.FUNDING_RESERVATION, ClauseKind.COMPLIANCE):
            conditions.append((ConditionKind.FUNDING_RESERVATION, normalise_clause(clause.text)))
        elif clause.kind is ClauseKind.FREE:
            text = normalise_clause(clause.text)
            lowered = text.lower()
            if lowered.startswith("att ") and not lowered.startswith("att bevilja "):
                conditions.append((ConditionKind.FREE_TEXT, text))
    return conditions


def split_commitments(amount: int, start: dt.date, end: dt.date) -> dict[int, int]:
    """The granted amount per calendar year, pro rata by months touched; the parts sum exactly.

    A started month counts as a whole one and the remainder of the rounding goes to the last year,
    as the budget's own per-year split does.
    """
    if amount < 0:
        raise ValueError("Beviljat belopp kan inte vara negativt.")
    return split_by_months(amount, start, end)


def split_as_applied(
    amount: int, start: dt.date, end: dt.date, applied: Mapping[int, int]
) -> dict[int, int]:
    """The grant per year as the application's own summary (ÅR 1, ÅR 2, …) has it, where that
    fits the grant exactly: one figure for each year the period touches, summing to the amount,
    as when the full sum or the first year is granted. Otherwise pro rata by months.

    Seed 002: Framsteget 2.0 applies for 3 597 500 + 2 937 500 + 2 822 500; pro rata by months
    the same 9 357 500 would be 3 119 166 a year, and the 2022 room off by 478 334.
    """
    years = set(months_per_year(start, end))
    within = {year: part for year, part in applied.items() if year in years}
    if set(within) == years and sum(within.values()) == amount and amount >= 0:
        return dict(sorted(within.items()))
    return split_commitments(amount, start, end)


def check_commitments(
    amount: int,
    split: Mapping[int, int],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[str]:
    """Problems with a per-year split of a grant, in Swedish; empty when it is sound.

    Years outside the period are checked only when the period is given.
    """
    problems: list[str] = []
    total = sum(split.values())
    if total != amount:
        problems.append(
            f"Åtagandena per år summerar till {format_kronor(total)}, "
            f"inte till beviljat belopp {format_kronor(amount)}."
        )
    for year in sorted(split):
        if split[year] < 0:
            problems.append(f"Åtagandet för {year} är negativt: {format_kronor(split[year])}.")
    if start is not None and end is not None:
        period = f"{format_date_long(start)}–{format_date_long(end)}"
        for year in sorted(split):
            if not start.year <= year <= end.year:
                problems.append(f"År {year} ligger utanför den beviljade perioden {period}.")
    return problems


def is_partly_granted(
    applied_amount: int,
    applied_start: dt.date,
    applied_end: dt.date,
    granted_amount: int,
    granted_start: dt.date,
    granted_end: dt.date,
) -> bool:
    """Whether a grant gives less than applied for: a lower amount or less of the period.

    Nothing granted is a rejection, not a partial grant.
    """
    if granted_amount <= 0:
        return False
    lower_amount = granted_amount < applied_amount
    period_left_out = granted_start > applied_start or granted_end < applied_end
    return lower_amount or period_left_out


def suggested_outcome(
    applied_amount: int,
    applied_start: dt.date | None,
    applied_end: dt.date | None,
    granted_amount: int,
    granted_start: dt.date | None,
    granted_end: dt.date | None,
) -> DecisionOutcome:
    """Bifall, or delvis bifall when the grant gives less than applied for (a lower amount, or
    less of the period where both periods are known)."""
    if granted_amount <= 0:
        return DecisionOutcome.GRANTED
    if applied_start and applied_end and granted_start and granted_end:
        partly = is_partly_granted(
            applied_amount, applied_start, applied_end, granted_amount, granted_start, granted_end
        )
    else:
        partly = granted_amount < applied_amount
    return DecisionOutcome.PARTLY_GRANTED if partly else DecisionOutcome.GRANTED


def outcome_problem(
    outcome: DecisionOutcome,
    applied_amount: int,
    applied_start: dt.date | None,
    applied_end: dt.date | None,
    granted_amount: int,
    granted_start: dt.date | None,
    granted_end: dt.date | None,
) -> str | None:
    """Why "bifall" does not fit a grant that gives less than applied for, in Swedish; None if it fits."""
    if outcome is not DecisionOutcome.GRANTED:
        return None
    fits = suggested_outcome(
        applied_amount, applied_start, applied_end, granted_amount, granted_start, granted_end
    )
    if fits is DecisionOutcome.GRANTED:
        return None
    if granted_amount < applied_amount:
        return (
            f"Beviljat belopp {format_kronor(granted_amount)} är lägre än ansökt "
            f"{format_kronor(applied_amount)}: beslutet är delvis bifall, inte bifall."
        )
    return (
        "Den beviljade perioden är kortare än den ansökta: beslutet är delvis bifall, inte bifall."
    )


_BODY_GENITIVE: dict[Body, str] = {
    Body.BOARD: "förbundsstyrelsens",
    Body.WORKING_COMMITTEE: "arbetsutskottets",
}


def supersede_label(earlier_date: dt.date, earlier_paragraph: int, body: Body = Body.BOARD) -> str:
    """The line an ändringsbeslut carries: "Beslutet ersätter förbundsstyrelsens beslut 2022-03-10, § 7."."""
    return (
        f"Beslutet ersätter {_BODY_GENITIVE[body]} beslut "
        f"{format_date_iso(earlier_date)}, § {earlier_paragraph}."
    )


_VOTE_WORDS: dict[str, VoteChoice | None] = {
    "ja": VoteChoice.YES,
    "nej": VoteChoice.NO,
    "avstår": VoteChoice.ABSTAIN,
    "jäv": None,
}


# -- the proposal's fields and its grant clause -------------------------------------------------
_MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
_LONG_DATE = r"(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})"
_STATED_PERIOD = re.compile(
    rf"perioden\s+{_LONG_DATE}\s+(?:fram\s+till|till\s+och\s+med|till|–|-)\s+{_LONG_DATE}",
    re.IGNORECASE,
)
_STATED_AMOUNT = re.compile(r"maximalt\s+(\d[\d\s]*)\s*kronor", re.IGNORECASE)
_STATED_NAME = re.compile(r"för insatsen\s+(.+?)\s+för perioden", re.IGNORECASE)


def _long_date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), _MONTHS.index(month.lower()) + 1, int(day))
    except ValueError:
        return None


class StatedGrant(msgspec.Struct, frozen=True, kw_only=True):
    """What a grant att-sats states in words: its amount and period, where it names them."""

    amount: int | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    initiative: str = ""


def stated_grant(text: str) -> StatedGrant:
    clean = normalise_clause(text)
    amount = _STATED_AMOUNT.search(clean)
    period = _STATED_PERIOD.search(clean)
    name = _STATED_NAME.search(clean)
    return StatedGrant(
        amount=int(re.sub(r"\s", "", amount.group(1))) if amount else None,
        period_start=_long_date(*period.groups()[:3]) if period else None,
        period_end=_long_date(*period.groups()[3:]) if period else None,
        initiative=name.group(1) if name else "",
    )


def grant_clause_index(clauses: Sequence[str]) -> int | None:
    """Where the grant att-sats stands among a proposal's clauses, if it has one."""
    for index, text in enumerate(clauses):
        if classify_clause(text).kind is ClauseKind.GRANT:
            return index
    return None


def proposal_problems(
    clauses: Sequence[str],
    amount: int | None,
    period_start: dt.date | None,
    period_end: dt.date | None,
) -> list[str]:
    """Where the grant att-sats states another amount or period than the proposal's fields, in
    plain Swedish; empty when they agree (or the clause names neither)."""
    index = grant_clause_index(clauses)
    if index is None:
        return []
    stated = stated_grant(clauses[index])
    problems = []
    if stated.amount is not None and amount is not None and stated.amount != amount:
        problems.append(
            f"Att-satsen anger {format_kronor(stated.amount)}, men förslagets belopp är "
            f"{format_kronor(amount)}."
        )
    if (
        stated.period_start is not None
        and stated.period_end is not None
        and period_start is not None
        and period_end is not None
        and (stated.period_start, stated.period_end) != (period_start, period_end)
    ):
        problems.append(
            f"Att-satsen anger perioden {format_date_long(stated.period_start)} – "
            f"{format_date_long(stated.period_end)}, men förslagets period är "
            f"{format_date_long(period_start)} – {format_date_long(period_end)}."
        )
    return problems


def rewrite_grant_clause(
    clauses: Sequence[str],
    amount: int,
    period_start: dt.date,
    period_end: dt.date,
    initiative: str = "",
) -> list[str]:
    """The clauses with the grant att-sats written anew from the fields (keeping its option on
    extension and "enligt ansökan"); unchanged when there is no grant att-sats."""
    out = list(clauses)
    index = grant_clause_index(out)
    if index is None:
        return out
    old = normalise_clause(out[index])
    grant = ProposedGrant(
        initiative=stated_grant(old).initiative or initiative,
        period_start=period_start,
        period_end=period_end,
        amount=amount,
        extension_option=EXTENSION_OPTION_TEXT in old,
        as_applied="enligt ansökan" in old,
    )
    out[index] = grant_clause(grant).text
    return out
