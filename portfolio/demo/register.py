"""Demo data: the organisations, the demo users of each role and the insatser (seed 002)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import msgspec

from portfolio.accounts.passwords import hash_password
from portfolio.core.domain import (
    ROLE_LABELS,
    ConditionKind,
    InitiativeKind,
    InitiativeStatus,
    OrganisationKind,
    PartyRole,
    Role,
)
from portfolio.core.tables import (
    Condition,
    Contact,
    Initiative,
    InitiativeParty,
    Organisation,
    User,
)
from portfolio.demo import seed
from portfolio.economy.contributions import key_from_populations

SEED = Path(__file__).with_name("seed002.json")


class DemoUser(msgspec.Struct, frozen=True):
    email: str
    password: str
    name: str
    role: Role
    organisation: str | None = None
    title: str = ""

    @property
    def role_label(self) -> str:
        label = ROLE_LABELS[self.role]
        return f"{label} ({self.organisation})" if self.organisation else label


DEMO_USERS = (
    DemoUser(
        "kansli@upplandsbygd.example",
        "kansli-demo-2026",
        "Eva Lindqvist",
        Role.OFFICE,
        title="Förbundschef",
    ),
    DemoUser(
        "agare@knivsta.example",
        "agare-demo-2026",
        "Johan Ek",
        Role.OWNER,
        "Knivsta kommun",
        "Enhetschef",
    ),
    DemoUser(
        "agare@tierp.example",
        "tierp-demo-2026",
        "Sara Holm",
        Role.OWNER,
        "Tierps kommun",
        "Verksamhetschef",
    ),
    DemoUser(
        "ledamot@upplandsbygd.example",
        "ledamot-demo-2026",
        "Anders Berg",
        Role.BOARD,
        title="Ordförande",
    ),
)

# Kommun populations on 1 November the year before, which set the kommun key (approximate).
KOMMUNER = {
    "Enköpings kommun": 46_400,
    "Heby kommun": 14_300,
    "Håbo kommun": 22_300,
    "Knivsta kommun": 20_300,
    "Tierps kommun": 21_300,
    "Uppsala kommun": 240_000,
    "Älvkarleby kommun": 9_600,
    "Östhammars kommun": 22_300,
}


# Each seed insats, its state in the demo, and how many years its dates move forward.
INITIATIVE_STATES = {
    "En väg in - steget vidare": (InitiativeStatus.RUNNING, 4),
    "Arbetslivsintro": (InitiativeStatus.GRANTED, 5),
    "Ung framtid": (InitiativeStatus.APPLIED, 5),
    "Framsteget 2.0": (InitiativeStatus.APPLIED, 5),
    "Jobbcentrum, din väg framåt": (InitiativeStatus.RUNNING, 4),
}


def _shift(day: str | None, years: int) -> dt.date | None:
    if not day:
        return None
    parsed = dt.date.fromisoformat(day)
    return parsed.replace(year=parsed.year + years)


def _org_name(name: str) -> str:
    return seed.org_name(name)


async def _organisation_ids() -> dict[str, int]:
    return {
        row["name"]: row["id"]
        for row in await Organisation.select(Organisation.id, Organisation.name)
    }


async def _ensure_organisations() -> dict[str, int]:
    kommun_key = {share.member: share.basis_points for share in key_from_populations(KOMMUNER)}
    wanted: list[dict[str, Any]] = [
        {"name": "Försäkringskassan", "kind": OrganisationKind.FK, "org_number": "202100-5521"},
        {"name": "Arbetsförmedlingen", "kind": OrganisationKind.AF, "org_number": "202100-2114"},
        {
            "name": "Region Uppsala",
            "kind": OrganisationKind.REGION,
            "org_number": "232100-0024",
            "contribution_share": 10_000,
        },
        *(
            {"name": name, "kind": OrganisationKind.KOMMUN, "contribution_share": kommun_key[name]}
            for name in KOMMUNER
        ),
        {
            "name": "Studieförbundet Vuxenskolan Uppland",
            "kind": OrganisationKind.OTHER,
            "is_member": False,
        },
    ]
    existing = await _organisation_ids()
    for org in wanted:
        if org["name"] not in existing:
            await Organisation.insert(Organisation(**org))
    return await _organisation_ids()


async def _ensure_users(orgs: dict[str, int]) -> None:
    for user in DEMO_USERS:
        if await User.exists().where(User.email == user.email):
            continue
        await User.insert(
            User(
                email=user.email,
                name=user.name,
                title=user.title,
                role=user.role,
                password_hash=hash_password(user.password),
                organisation=orgs[user.organisation] if user.organisation else None,
            )
        )


async def _ensure_initiatives(orgs: dict[str, int]) -> None:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    contacts_made: set[str] = set()
    for application in seed["applications"]:
        name = application["insats_name"]
        if await Initiative.exists().where(Initiative.name == name):
            continue
        status, years = INITIATIVE_STATES.get(name, (InitiativeStatus.APPLIED, 5))
        lead = _org_name(application["lead_owner"]["organisation"])
        initiative = (
            await Initiative.insert(
                Initiative(
                    name=name,
                    kind=InitiativeKind(application["initiative_kind"]),
                    status=status,
                    lead_owner=orgs[lead],
                    target_group=application.get("target_group") or "",
                    description=application.get("purpose") or "",
                    area=lead.replace(" kommun", "").replace("s kommun", ""),
                    period_start=_shift(application.get("period_start"), years),
                    period_end=_shift(application.get("period_end"), years),
                )
            ).returning(Initiative.id)
        )[0]["id"]
        if lead not in contacts_made:
            await Contact.insert(
                Contact(
                    organisation=orgs[lead],
                    name=f"Kontaktperson {lead}",
                    title="Enhetschef",
                    email=f"kontakt@{lead.split()[0].lower().replace('ö', 'o').replace('å', 'a')}.example",
                )
            )
            contacts_made.add(lead)
        if status is not InitiativeStatus.APPLIED:
            await _grant_conditions(initiative, application)
        seen = {lead}
        parties = [(p, PartyRole.CO_OWNER) for p in application.get("co_owners", [])]
        parties += [(p, PartyRole.PARTNER) for p in application.get("partners", [])]
        for party, role in parties:
            org_name = _org_name(party["organisation"])
            if org_name in seen or org_name not in orgs:
                continue
            seen.add(org_name)
            await InitiativeParty.insert(
                InitiativeParty(initiative=initiative, organisation=orgs[org_name], role=role)
            )
    if not await Initiative.exists().where(
        Initiative.name == "Gemensam kartläggning av målgrupper"
    ):
        await Initiative.insert(
            Initiative(
                name="Gemensam kartläggning av målgrupper",
                kind=InitiativeKind.STRUCTURAL,
                status=InitiativeStatus.ENDED,
                lead_owner=orgs["Region Uppsala"],
                target_group="Handläggare hos parterna som möter personer i behov av samordnat stöd.",
                description="En strukturinsats som kartlade målgrupperna och parternas arbetssätt i länet.",
                area="Hela länet",
                period_start=dt.date(2023, 1, 1),
                period_end=dt.date(2024, 6, 30),
            )
        )


def _shifted(payload: Any, years: int) -> Any:
    """Move every date (and budget year) in a content payload forward by `years`."""
    if isinstance(payload, dict):
        return {
            k: (v + years if k == "year" and isinstance(v, int) else _shifted(v, years))
            for k, v in payload.items()
        }
    if isinstance(payload, list):
        return [_shifted(v, years) for v in payload]
    if isinstance(payload, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", payload):
        return str(int(payload[:4]) + years) + payload[4:]
    return payload


async def _grant_conditions(initiative_id: int, app: dict[str, Any]) -> None:
    """The conditions the board set when it granted the insats, as written in the seed's proposal."""
    proposal = app.get("proposal") or {}
    for text in proposal.get("extension_requirements", []):
        await Condition.insert(
            Condition(
                initiative=initiative_id,
                kind=ConditionKind.EXTENSION_REQUIREMENT,
                text=text[:1].upper() + text[1:],
            )
        )
    for clause in proposal.get("att_clauses", []):
        if "under förutsättning" in clause:
            await Condition.insert(
                Condition(
                    initiative=initiative_id,
                    kind=ConditionKind.FUNDING_RESERVATION,
                    text=clause,
                    met=True,
                    met_note="Uppfyllt",
                )
            )
