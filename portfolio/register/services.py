"""Use cases for the register: the association, organisations, the contribution key, contacts,
insatser and their parties and conditions. Each loads, applies the pure rules, saves and audits in
one transaction.
"""

from __future__ import annotations

from typing import Any

import msgspec
from piccolo.engine.postgres import PostgresEngine

from portfolio.accounts.permissions import (
    Decision,
    can_edit_initiative,
    can_manage,
    can_view_initiative,
    require,
)
from portfolio.core import audit
from portfolio.core import queries as core_queries
from portfolio.core.db import current_engine, write_transaction
from portfolio.core.domain import (
    FieldProblem,
    InitiativeStatus,
    OrganisationKind,
    Principal,
    Role,
    can_move_initiative,
    check_period,
)
from portfolio.core.errors import Conflict, NotFound, StaleVersion, ValidationFailed
from portfolio.core.rows import _columns, _now
from portfolio.core.schemas import set_fields
from portfolio.core.tables import (
    Association,
    Condition,
    Contact,
    Initiative,
    InitiativeParty,
    Organisation,
    YearBudget,
)
from portfolio.core.versioning import update_versioned
from portfolio.register import queries
from portfolio.register.keys import KeyShare, validate_key
from portfolio.register.schemas import (
    AssociationSetup,
    AssociationUpdate,
    CoFinancier,
    ConditionCreate,
    ConditionUpdate,
    ContactCreate,
    ContactUpdate,
    ContributionKeyIn,
    InitiativeCreate,
    InitiativeUpdate,
    OrganisationCreate,
    OrganisationUpdate,
    PartyIn,
)
from portfolio.register.setup import SetupMember, setup_problems, setup_shares

# -- the association ------------------------------------------------------------------------


async def get_association() -> dict[str, Any]:
    row = await core_queries.association_row()
    if row is None:
        raise NotFound("Förbundets uppgifter är inte registrerade ännu.")
    return row


async def update_association(actor: Principal, update: AssociationUpdate) -> dict[str, Any]:
    require(can_manage(actor))
    async with write_transaction():
        before = await get_association()
        after = await update_versioned(
            Association,
            before["id"],
            update.version,
            _columns(Association, set_fields(update)),
            what="Förbundets uppgifter",
        )
        await audit.record(actor, "update", "association", before["id"], before, after)
    return after


async def association_exists() -> bool:
    return await core_queries.association_row() is not None


async def set_up_association(actor: Principal, data: AssociationSetup) -> dict[str, Any]:
    """The first-run set-up in one transaction: the association, its members with their keys,
    and the year budgets; refused (409) once an association exists."""
    require(can_manage(actor))
    members = [SetupMember(o.name, o.kind, o.share) for o in data.organisations]
    problems = setup_problems(data.name, members, [b.year for b in data.year_budgets])
    if problems:
        raise ValidationFailed(problems)
    shares = setup_shares(members)
    async with write_transaction():
        await _lock_association()
        if await association_exists():
            raise Conflict(
                "Förbundet är redan upplagt. Ändra uppgifterna under Inställningar.", field="name"
            )
        association = (
            await Association.insert(
                Association(
                    name=data.name.strip(),
                    org_number=data.org_number.strip(),
                    address=data.address.strip(),
                    postal_address=data.postal_address.strip(),
                    email=data.email.strip(),
                    phone=data.phone.strip(),
                    director_name=data.director_name.strip(),
                )
            ).returning(*Association._meta.columns)
        )[0]
        await audit.record(
            actor, "create", "association", association["id"], None, association, data.name
        )
        for given in data.organisations:
            name = given.name.strip()
            await _name_is_free(name)
            row = (
                await Organisation.insert(
                    Organisation(
                        name=name,
                        kind=given.kind,
                        is_member=True,
                        org_number=given.org_number.strip(),
                        contribution_share=shares.get(name),
                    )
                ).returning(*Organisation._meta.columns)
            )[0]
            await audit.record(actor, "create", "organisation", row["id"], None, row, name)
        for budget in data.year_budgets:
            row = (
                await YearBudget.insert(
                    YearBudget(
                        year=budget.year,
                        member_contributions=budget.member_contributions,
                        elected_members=budget.elected_members,
                        administration=budget.administration,
                    )
                ).returning(*YearBudget._meta.columns)
            )[0]
            await audit.record(
                actor, "create", "year_budget", row["id"], None, row, str(budget.year)
            )
    return association


async def _lock_association() -> None:
    """On PostgreSQL two set-ups at once queue on the table (SQLite's IMMEDIATE already does)."""
    if isinstance(current_engine(), PostgresEngine):
        await Association.raw("LOCK TABLE association IN SHARE ROW EXCLUSIVE MODE")


# -- organisations --------------------------------------------------------------------------


async def get_organisation(organisation_id: int) -> dict[str, Any]:
    row = await core_queries.organisation_row(organisation_id)
    if row is None:
        raise NotFound("Organisationen finns inte.")
    return row


async def _name_is_free(name: str, except_id: int | None = None) -> None:
    query = Organisation.exists().where(Organisation.name == name)
    if except_id is not None:
        query = query.where(Organisation.id != except_id)
    if await query:
        raise Conflict(f"Det finns redan en organisation som heter {name}.", field="name")


async def create_organisation(actor: Principal, data: OrganisationCreate) -> dict[str, Any]:
    require(can_manage(actor))
    async with write_transaction():
        await _name_is_free(data.name)
        row = (
            await Organisation.insert(
                Organisation(
                    name=data.name.strip(),
                    kind=data.kind,
                    is_member=data.is_member,
                    org_number=data.org_number,
                )
            ).returning(*Organisation._meta.columns)
        )[0]
        await audit.record(actor, "create", "organisation", row["id"], None, row, data.name)
    return row


async def update_organisation(
    actor: Principal, organisation_id: int, update: OrganisationUpdate
) -> dict[str, Any]:
    require(can_manage(actor))
    async with write_transaction():
        before = await get_organisation(organisation_id)
        values = set_fields(update)
        if "name" in values:
            await _name_is_free(str(values["name"]), except_id=organisation_id)
        after = await update_versioned(
            Organisation,
            organisation_id,
            update.version,
            _columns(Organisation, values),
            what="Organisationen",
        )
        await audit.record(actor, "update", "organisation", organisation_id, before, after)
    return after


async def contribution_key(kind: OrganisationKind) -> list[dict[str, Any]]:
    return [
        row
        for row in await core_queries.organisation_rows(kind)
        if row["is_member"] and row["active"]
    ]


async def set_contribution_key(actor: Principal, data: ContributionKeyIn) -> list[dict[str, Any]]:
    """Set the shares of the kommun (or region) quarter; all or nothing, summing to 100 %."""
    require(can_manage(actor))
    if data.kind not in (OrganisationKind.KOMMUN, OrganisationKind.REGION):
        raise ValidationFailed(
            [FieldProblem("kind", "Fördelningsnyckel finns bara för kommuner och regioner.")]
        )
    async with write_transaction():
        members = {row["id"]: row for row in await contribution_key(data.kind)}
        given = {share.organisation_id: share.share for share in data.shares}
        unknown = set(given) - set(members)
        if unknown:
            raise ValidationFailed(
                [
                    FieldProblem(
                        "shares",
                        "Nyckeln nämner organisationer som inte är medlemmar av rätt slag.",
                    )
                ]
            )
        if any(
            share.version is not None and share.version != members[share.organisation_id]["version"]
            for share in data.shares
        ):
            raise StaleVersion("Fördelningsnyckeln")
        shares = {members[org_id]["name"]: given.get(org_id, 0) for org_id in members}
        problem = validate_key([KeyShare(name, share) for name, share in shares.items()])
        if problem is not None:
            raise ValidationFailed([FieldProblem("shares", problem.message_sv)])
        for org_id, row in members.items():
            new_share = given.get(org_id, 0)
            if row["contribution_share"] != new_share:
                await Organisation.update(
                    {
                        Organisation.contribution_share: new_share,
                        Organisation.version: Organisation.version + 1,
                    }
                ).where(Organisation.id == org_id)
        await audit.record(
            actor,
            "update",
            "contribution_key",
            None,
            {row["name"]: row["contribution_share"] for row in members.values()},
            shares,
            f"Fördelningsnyckel ({data.kind.value})",
        )
    return await contribution_key(data.kind)


# -- contacts -------------------------------------------------------------------------------


async def get_contact(contact_id: int) -> dict[str, Any]:
    row = await queries.contact_row(contact_id)
    if row is None:
        raise NotFound("Kontaktpersonen finns inte.")
    return row


def _may_edit_contacts(actor: Principal, organisation_id: int) -> Decision:
    """The office, or an owner keeping their own organisation's contact people up to date."""
    if actor.role is Role.OFFICE or (
        actor.role is Role.OWNER and actor.organisation_id == organisation_id
    ):
        return Decision(True)
    return Decision(False, "Du kan bara ändra kontaktpersoner i din egen organisation.")


async def create_contact(
    actor: Principal, organisation_id: int, data: ContactCreate
) -> dict[str, Any]:
    require(_may_edit_contacts(actor, organisation_id))
    async with write_transaction():
        await get_organisation(organisation_id)
        row = (
            await Contact.insert(
                Contact(organisation=organisation_id, **msgspec.structs.asdict(data))
            ).returning(*Contact._meta.columns)
        )[0]
        await audit.record(actor, "create", "contact", row["id"], None, row, data.name)
    return row


async def update_contact(
    actor: Principal, contact_id: int, update: ContactUpdate
) -> dict[str, Any]:
    async with write_transaction():
        before = await get_contact(contact_id)
        require(_may_edit_contacts(actor, before["organisation"]))
        after = await update_versioned(
            Contact,
            contact_id,
            update.version,
            _columns(Contact, set_fields(update)),
            what="Kontaktpersonen",
        )
        await audit.record(actor, "update", "contact", contact_id, before, after)
    return after


async def delete_contact(actor: Principal, contact_id: int) -> None:
    async with write_transaction():
        before = await get_contact(contact_id)
        require(_may_edit_contacts(actor, before["organisation"]))
        await InitiativeParty.update({InitiativeParty.contact: None}).where(
            InitiativeParty.contact == contact_id
        )
        await Contact.delete().where(Contact.id == contact_id)
        await audit.record(actor, "delete", "contact", contact_id, before, None)


# -- insatser -------------------------------------------------------------------------------


async def get_initiative(actor: Principal, initiative_id: int) -> dict[str, Any]:
    """An insats with its parties, if `actor` may see it; 404 either way otherwise.

    An owner asking for another organisation's insats gets "not found", not "forbidden",
    so that ids do not reveal what other organisations have.
    """
    row = await queries.initiative_row(initiative_id)
    if row is None:
        raise NotFound("Insatsen finns inte.")
    parties = await queries.party_rows(initiative_id)
    if not can_view_initiative(actor, row["lead_owner"], {p["organisation"] for p in parties}):
        raise NotFound("Insatsen finns inte.")
    return {**row, "parties": parties}


async def _check_lead_owner(organisation_id: int) -> None:
    org = await core_queries.organisation_row(organisation_id)
    if org is None:
        raise ValidationFailed([FieldProblem("lead_owner_id", "Huvudinsatsägaren finns inte.")])
    if not org["is_member"]:
        raise ValidationFailed(
            [FieldProblem("lead_owner_id", "Huvudinsatsägaren måste vara en medlemsorganisation.")]
        )


def co_financing_problems(total_cost: int | None, co_financiers: list[Any]) -> list[FieldProblem]:
    """The other financiers' shares fit within the project's total cost, which they need."""
    others = sum(c.amount for c in co_financiers)
    if co_financiers and total_cost is None:
        return [
            FieldProblem(
                "total_cost", "Total projektkostnad: ange den när andra finansiärer finns med."
            )
        ]
    if total_cost is not None and others > total_cost:
        return [
            FieldProblem(
                "co_financiers",
                f"Övriga finansiärers andelar ({others} kr) är större än "
                f"den totala projektkostnaden ({total_cost} kr).",
            )
        ]
    return []


async def create_initiative(actor: Principal, data: InitiativeCreate) -> dict[str, Any]:
    require(can_manage(actor))
    problems = check_period(data.period_start, data.period_end)
    problems += co_financing_problems(data.total_cost, data.co_financiers)
    if problems:
        raise ValidationFailed(problems)
    async with write_transaction():
        await _check_lead_owner(data.lead_owner_id)
        values = msgspec.structs.asdict(data)
        values["lead_owner"] = values.pop("lead_owner_id")
        values["co_financiers"] = msgspec.json.encode(data.co_financiers).decode()
        row = (await Initiative.insert(Initiative(**values)).returning(*Initiative._meta.columns))[
            0
        ]
        await audit.record(actor, "create", "initiative", row["id"], None, row, data.name)
    return await get_initiative(actor, row["id"])


async def update_initiative(
    actor: Principal, initiative_id: int, update: InitiativeUpdate
) -> dict[str, Any]:
    async with write_transaction():
        before = await get_initiative(actor, initiative_id)
        require(can_edit_initiative(actor, before["lead_owner"]))
        values = set_fields(update)
        problems = check_period(
            values.get("period_start", before["period_start"]),  # type: ignore[arg-type]
            values.get("period_end", before["period_end"]),  # type: ignore[arg-type]
        )
        if "total_cost" in values or "co_financiers" in values:
            financiers = values.get("co_financiers", None)
            problems += co_financing_problems(
                values.get("total_cost", before["total_cost"]),  # type: ignore[arg-type]
                financiers  # type: ignore[arg-type]
                if financiers is not None
                else msgspec.convert(
                    msgspec.json.decode(before["co_financiers"] or "[]")
                    if isinstance(before["co_financiers"], str)
                    else before["co_financiers"] or [],
                    list[CoFinancier],
                ),
            )
            if financiers is not None:
                values["co_financiers"] = msgspec.json.encode(financiers).decode()
        if "status" in values and not can_move_initiative(
            InitiativeStatus(before["status"]), InitiativeStatus(str(values["status"]))
        ):
            problems.append(
                FieldProblem("status", "Insatsen kan inte gå tillbaka till den statusen.")
            )
        if problems:
            raise ValidationFailed(problems)
        if "lead_owner_id" in values:
            await _check_lead_owner(int(values["lead_owner_id"]))  # type: ignore[call-overload]
            values["lead_owner"] = values.pop("lead_owner_id")
        values["updated_at"] = _now()
        after = await update_versioned(
            Initiative,
            initiative_id,
            update.version,
            _columns(Initiative, values),
            what="Insatsen",
        )
        before_plain = {k: v for k, v in before.items() if k != "parties"}
        await audit.record(actor, "update", "initiative", initiative_id, before_plain, after)
    return await get_initiative(actor, initiative_id)


async def add_party(actor: Principal, initiative_id: int, data: PartyIn) -> dict[str, Any]:
    require(can_manage(actor))
    async with write_transaction():
        initiative = await get_initiative(actor, initiative_id)
        await get_organisation(data.organisation_id)
        if data.organisation_id == initiative["lead_owner"] or any(
            p["organisation"] == data.organisation_id for p in initiative["parties"]
        ):
            raise Conflict("Organisationen är redan part i insatsen.", field="organisation_id")
        if data.contact_id is not None:
            contact = await get_contact(data.contact_id)
            if contact["organisation"] != data.organisation_id:
                raise ValidationFailed(
                    [FieldProblem("contact_id", "Kontaktpersonen hör till en annan organisation.")]
                )
        row = (
            await InitiativeParty.insert(
                InitiativeParty(
                    initiative=initiative_id,
                    organisation=data.organisation_id,
                    role=data.role,
                    contact=data.contact_id,
                )
            ).returning(*InitiativeParty._meta.columns)
        )[0]
        await audit.record(actor, "create", "initiative_party", row["id"], None, row)
    return await get_initiative(actor, initiative_id)


async def remove_party(actor: Principal, initiative_id: int, party_id: int) -> dict[str, Any]:
    require(can_manage(actor))
    async with write_transaction():
        before = (
            await InitiativeParty.select()
            .where((InitiativeParty.id == party_id) & (InitiativeParty.initiative == initiative_id))
            .first()
        )
        if before is None:
            raise NotFound("Parten finns inte i insatsen.")
        await InitiativeParty.delete().where(InitiativeParty.id == party_id)
        await audit.record(actor, "delete", "initiative_party", party_id, before, None)
    return await get_initiative(actor, initiative_id)


# -- conditions ----------------------------------------------------------------------------


async def conditions(actor: Principal, initiative_id: int) -> list[dict[str, Any]]:
    await get_initiative(actor, initiative_id)
    return await queries.condition_rows(initiative_id)


async def add_condition(
    actor: Principal, initiative_id: int, data: ConditionCreate
) -> dict[str, Any]:
    require(can_manage(actor))
    async with write_transaction():
        await get_initiative(actor, initiative_id)
        row = (
            await Condition.insert(
                Condition(initiative=initiative_id, kind=data.kind, text=data.text.strip())
            ).returning(*Condition._meta.columns)
        )[0]
        await audit.record(actor, "create", "condition", row["id"], None, row, data.text[:200])
    return row


async def update_condition(
    actor: Principal, condition_id: int, update: ConditionUpdate
) -> dict[str, Any]:
    require(can_manage(actor))
    async with write_transaction():
        before = await queries.condition_row(condition_id)
        if before is None:
            raise NotFound("Villkoret finns inte.")
        after = await update_versioned(
            Condition,
            condition_id,
            update.version,
            _columns(Condition, set_fields(update)),
            what="Villkoret",
        )
        await audit.record(actor, "update", "condition", condition_id, before, after)
    return after
