"""The application page form: flat HTML fields to ApplicationContent and back, with no loss.

Rows (goals, parties, budget lines, years, approvals) are numbered fields such as
`goal-0-text`; blank rows are ignored, so the page can always offer a few empty ones.
A field that cannot be read (an amount typed as "12x") is reported by name and the whole
form is shown again as typed, so nothing a person wrote is lost.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import msgspec

from applications.budget import Budget, BudgetBlock, BudgetLine, BudgetYear, CostCategory
from applications.domain import (
    ApplicationContent,
    Approval,
    Goal,
    GoalKind,
    Party,
    RequirementAnswer,
)
from portfolio.core.domain import FieldProblem
from portfolio.core.schemas import input_problems

TEXT_FIELDS = (
    "insats_name",
    "purpose",
    "background",
    "changes_summary",
    "target_group",
    "method",
    "follow_up",
    "implementation",
    "anchoring",
)
SPARE_ROWS = 2


def parse_amount(text: str) -> int:
    """'1 200 000', '1 200 000 kr', '1200000,00' -> 1200000; whole kronor only."""
    cleaned = re.sub(r"[\s\u00a0\u202f]|kr\.?$|kronor$", "", text.strip(), flags=re.IGNORECASE)
    cleaned = re.sub(r"[,.]00?$", "", cleaned)
    if not re.fullmatch(r"-?\d+", cleaned):
        raise ValueError(text)
    return int(cleaned)


def _indices(form: Mapping[str, Any], prefix: str) -> list[int]:
    found = {int(m.group(1)) for key in form if (m := re.match(rf"{prefix}-(\d+)-", key))}
    return sorted(found)


class _Reader:
    """Reads typed values, collecting problems instead of stopping at the first."""

    def __init__(self, form: Mapping[str, Any]) -> None:
        self.form = form
        self.problems: list[FieldProblem] = []

    def text(self, key: str) -> str:
        return str(self.form.get(key, "") or "").strip()

    def integer(self, key: str, amount: bool = False) -> int | None:
        raw = self.text(key)
        if not raw:
            return None
        try:
            return parse_amount(raw) if amount else int(raw)
        except ValueError:
            self.problems.append(
                FieldProblem(
                    key, "Ange ett belopp i hela kronor." if amount else "Ange ett heltal."
                )
            )
            return None

    def date(self, key: str) -> dt.date | None:
        raw = self.text(key)
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            self.problems.append(FieldProblem(key, "Ange ett datum som ÅÅÅÅ-MM-DD."))
            return None

    def choice(self, key: str, enum: Any, default: Any) -> Any:
        raw = self.text(key)
        try:
            return enum(raw) if raw else default
        except ValueError:
            self.problems.append(FieldProblem(key, "Välj ett av alternativen."))
            return default

    def party(self, prefix: str) -> Party:
        return Party(
            organisation_id=self.integer(f"{prefix}-org"),
            contact_name=self.text(f"{prefix}-contact"),
            contact_email=self.text(f"{prefix}-email"),
        )


def parse_form(
    form: Mapping[str, Any], owner_count: int
) -> tuple[ApplicationContent, list[FieldProblem]]:
    """The typed form as content, and every field that could not be read."""
    r = _Reader(form)
    goals = [
        Goal(
            kind=r.choice(f"goal-{i}-kind", GoalKind, GoalKind.OUTCOME),
            text=r.text(f"goal-{i}-text"),
            target=r.integer(f"goal-{i}-target"),
            unit=r.text(f"goal-{i}-unit"),
        )
        for i in _indices(form, "goal")
        if r.text(f"goal-{i}-text") or r.text(f"goal-{i}-target")
    ]
    co_owners = [r.party(f"co-{i}") for i in _indices(form, "co") if r.text(f"co-{i}-org")]
    partners = [
        r.party(f"partner-{i}") for i in _indices(form, "partner") if r.text(f"partner-{i}-org")
    ]
    columns = 1 + len(co_owners) if owner_count == 0 else owner_count
    lines = []
    for i in _indices(form, "line"):
        amounts = [r.integer(f"line-{i}-amount-{j}", amount=True) for j in range(columns)]
        if not r.text(f"line-{i}-label") and not any(a for a in amounts):
            continue
        lines.append(
            BudgetLine(
                block=r.choice(f"line-{i}-block", BudgetBlock, BudgetBlock.ASSOCIATION),
                category=r.choice(f"line-{i}-category", CostCategory, CostCategory.OTHER),
                label=r.text(f"line-{i}-label"),
                fte_percent=r.integer(f"line-{i}-fte"),
                period_from=r.date(f"line-{i}-from"),
                period_to=r.date(f"line-{i}-to"),
                amounts=[a or 0 for a in amounts],
            )
        )
    years = [
        BudgetYear(
            label=r.text(f"year-{i}-label") or f"ÅR {n + 1}",
            year=r.integer(f"year-{i}-year"),
            salaries=r.integer(f"year-{i}-salaries", amount=True),
            premises=r.integer(f"year-{i}-premises", amount=True),
            other=r.integer(f"year-{i}-other", amount=True),
            total=r.integer(f"year-{i}-total", amount=True),
        )
        for n, i in enumerate(
            i
            for i in _indices(form, "year")
            if any(
                r.text(f"year-{i}-{f}") for f in ("year", "salaries", "premises", "other", "total")
            )
        )
    ]
    approvals = [
        Approval(
            organisation_id=r.integer(f"approval-{i}-org"),
            name=r.text(f"approval-{i}-name"),
            title=r.text(f"approval-{i}-title"),
            approved_on=r.date(f"approval-{i}-date"),
        )
        for i in _indices(form, "approval")
        if r.text(f"approval-{i}-name")
    ]
    answers = [
        RequirementAnswer(requirement_id=int(m.group(1)), answer=r.text(key))
        for key in form
        if (m := re.fullmatch(r"answer-(\d+)", key))
    ]
    content = ApplicationContent(
        **{name: r.text(name) for name in TEXT_FIELDS},
        initiative_kind=r.text("initiative_kind") or "individual",
        lead_owner=Party(contact_name=r.text("lead-contact"), contact_email=r.text("lead-email")),
        co_owners=co_owners,
        partners=partners,
        goals=goals,
        period_start=r.date("period_start"),
        period_end=r.date("period_end"),
        last_intake=r.date("last_intake"),
        expected_participants=r.integer("expected_participants"),
        anchored_on=r.date("anchored_on"),
        budget=Budget(owners=[], lines=lines, years=years),
        agreement_accepted=str(form.get("agreement_accepted", "")) in ("on", "true", "1"),
        approvals=approvals,
        requirement_answers=answers,
    )
    # What a page may bring that the API refuses too: control characters, texts beyond the
    # bound, dates outside 2000–2100. Such a field is not saved (the rest of the draft is), and
    # stays on the page as typed, named beside the field.
    refused = input_problems(content)
    dates = ("period_start", "period_end", "last_intake", "anchored_on")
    blanked = {
        p.field: "" if p.field in TEXT_FIELDS else None
        for p in refused
        if p.field in TEXT_FIELDS or p.field in dates
    }
    if blanked:
        content = msgspec.structs.replace(content, **blanked)
    return content, r.problems + refused


def _amount(value: int | None) -> str:
    return "" if value is None else str(value)


def to_form(content: ApplicationContent) -> dict[str, str]:
    """Content as the flat field values the page shows (the inverse of parse_form)."""
    values: dict[str, str] = {name: getattr(content, name) for name in TEXT_FIELDS}
    values["initiative_kind"] = content.initiative_kind
    values["lead-contact"] = content.lead_owner.contact_name
    values["lead-email"] = content.lead_owner.contact_email
    for prefix, parties in (("co", content.co_owners), ("partner", content.partners)):
        for i, p in enumerate(parties):
            values[f"{prefix}-{i}-org"] = _amount(p.organisation_id)
            values[f"{prefix}-{i}-contact"] = p.contact_name
            values[f"{prefix}-{i}-email"] = p.contact_email
    for i, g in enumerate(content.goals):
        values.update(
            {
                f"goal-{i}-kind": g.kind.value,
                f"goal-{i}-text": g.text,
                f"goal-{i}-target": _amount(g.target),
                f"goal-{i}-unit": g.unit,
            }
        )
    for name in ("period_start", "period_end", "last_intake", "anchored_on"):
        day = getattr(content, name)
        values[name] = day.isoformat() if day else ""
    values["expected_participants"] = _amount(content.expected_participants)
    for i, line in enumerate(content.budget.lines):
        values.update(
            {
                f"line-{i}-block": line.block.value,
                f"line-{i}-category": line.category.value,
                f"line-{i}-label": line.label,
                f"line-{i}-fte": _amount(line.fte_percent),
                f"line-{i}-from": line.period_from.isoformat() if line.period_from else "",
                f"line-{i}-to": line.period_to.isoformat() if line.period_to else "",
            }
        )
        for j, amount in enumerate(line.amounts):
            values[f"line-{i}-amount-{j}"] = str(amount)
    for i, year in enumerate(content.budget.years):
        values.update(
            {
                f"year-{i}-label": year.label,
                f"year-{i}-year": _amount(year.year),
                f"year-{i}-salaries": _amount(year.salaries),
                f"year-{i}-premises": _amount(year.premises),
                f"year-{i}-other": _amount(year.other),
                f"year-{i}-total": _amount(year.total),
            }
        )
    for i, a in enumerate(content.approvals):
        values.update(
            {
                f"approval-{i}-org": _amount(a.organisation_id),
                f"approval-{i}-name": a.name,
                f"approval-{i}-title": a.title,
                f"approval-{i}-date": a.approved_on.isoformat() if a.approved_on else "",
            }
        )
    for answer in content.requirement_answers:
        values[f"answer-{answer.requirement_id}"] = answer.answer
    if content.agreement_accepted:
        values["agreement_accepted"] = "on"
    return values


_SINGLE_LABELS = {
    "period_start": "Planerad start",
    "period_end": "Planerat slut",
    "last_intake": "Sista intag av deltagare",
    "expected_participants": "Förväntat antal deltagare",
    "anchored_on": "Datum för förankring",
}
_ROW_LABELS = {
    "goal": ("Mål", {"kind": "slag", "target": "målvärde", "unit": "enhet", "text": "text"}),
    "line": (
        "Budgetrad",
        {
            "block": "del",
            "category": "kostnadsslag",
            "label": "text",
            "fte": "tjänst i procent",
            "from": "från",
            "to": "till",
        },
    ),
    "year": (
        "År",
        {
            "label": "benämning",
            "year": "kalenderår",
            "salaries": "lönekostnader",
            "premises": "lokalkostnader",
            "other": "övriga kostnader",
            "total": "totalt",
        },
    ),
    "approval": ("Godkännande", {"org": "organisation", "date": "datum", "name": "namn"}),
    "co": ("Delinsatsägare", {"org": "organisation"}),
    "partner": ("Samverkanspart", {"org": "organisation"}),
}


def field_label(key: str, owner_names: list[str] | None = None) -> str:
    """A form field's name as the page shows it: "Förväntat antal deltagare",
    "Budgetrad 2: belopp Tierps kommun", "Mål 1: målvärde"."""
    if key in _SINGLE_LABELS:
        return _SINGLE_LABELS[key]
    match = re.fullmatch(r"([a-z]+)-(\d+)-([a-z]+)(?:-(\d+))?", key)
    if match and match.group(1) in _ROW_LABELS:
        group, parts = _ROW_LABELS[match.group(1)]
        row, part, column = int(match.group(2)) + 1, match.group(3), match.group(4)
        if part == "amount" and column is not None:
            names = owner_names or []
            index = int(column)
            owner = names[index] if index < len(names) else f"kolumn {index + 1}"
            return f"{group} {row}: belopp {owner}"
        return f"{group} {row}: {parts.get(part, part)}"
    return key


def row_count(values: Mapping[str, Any], prefix: str) -> int:
    """Rows to show for a repeated group: those typed plus a few blank ones to fill in."""
    indices = _indices(values, prefix)
    return (max(indices) + 1 if indices else 0) + SPARE_ROWS
