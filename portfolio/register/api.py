"""The register's JSON API: association, organisations, contacts, the key, insatser, conditions, audit."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from portfolio.accounts.access import SIGNED_IN, Who, access
from portfolio.accounts.guards import office_only, portfolio_readers, signed_in
from portfolio.accounts.permissions import (
    can_view_organisation_contacts,
)
from portfolio.core import queries as core_queries
from portfolio.core.domain import (
    InitiativeStatus,
    OrganisationKind,
)
from portfolio.core.errors import NotFound
from portfolio.core.web import AnyRequest, csv_response, me
from portfolio.register import people, queries, services
from portfolio.register.exports import initiatives_csv
from portfolio.register.schemas import (
    AssociationOut,
    AssociationSetup,
    AssociationUpdate,
    AuditEntryOut,
    ConditionCreate,
    ConditionOut,
    ConditionUpdate,
    ContactCreate,
    ContactOut,
    ContactUpdate,
    ContributionKeyIn,
    ContributionKeyOut,
    InitiativeCreate,
    InitiativeOut,
    InitiativeUpdate,
    OrganisationCreate,
    OrganisationOut,
    OrganisationUpdate,
    PartyIn,
    PersonCreate,
    PersonOut,
    PersonUpdate,
    ShareIn,
    association_out,
    audit_out,
    condition_out,
    contact_out,
    initiative_out,
    organisation_out,
    person_out,
)


class AssociationApi(Controller):
    path = "/api/association"
    tags = ["Förbundet"]
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def show(self) -> AssociationOut:
        return association_out(await services.get_association())

    @post("/", guards=[office_only])
    async def set_up(self, request: AnyRequest, data: JSONBody[AssociationSetup]) -> AssociationOut:
        """The first-run set-up: the association, its members and keys, the year budgets.
        409 once the association exists (change it with PATCH then)."""
        return association_out(await services.set_up_association(me(request), data))

    @patch("/", guards=[office_only])
    async def update(
        self, request: AnyRequest, data: JSONBody[AssociationUpdate]
    ) -> AssociationOut:
        return association_out(await services.update_association(me(request), data))


class BoardPeopleApi(Controller):
    """The board's people (ledamöter, ersättare, officials), with or without an account."""

    path = "/api/board-people"
    tags = ["Styrelsen"]
    guards = [portfolio_readers]

    @get("/")
    async def list_people(self) -> list[PersonOut]:
        return [person_out(row) for row in await people.person_rows()]

    @post("/", guards=[office_only])
    async def create(self, request: AnyRequest, data: JSONBody[PersonCreate]) -> PersonOut:
        return person_out(await people.create_person(me(request), data))

    @get("/{person_id:int}")
    async def show(self, person_id: FromPath[int]) -> PersonOut:
        return person_out(await people.get_person(person_id))

    @patch("/{person_id:int}", guards=[office_only])
    async def update(
        self, request: AnyRequest, person_id: FromPath[int], data: JSONBody[PersonUpdate]
    ) -> PersonOut:
        return person_out(await people.update_person(me(request), person_id, data))


class OrganisationApi(Controller):
    path = "/api/organisations"
    tags = ["Organisationer"]
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def list_organisations(
        self, kind: FromQuery[OrganisationKind | None] = None
    ) -> list[OrganisationOut]:
        return [organisation_out(row) for row in await core_queries.organisation_rows(kind)]

    @post("/", guards=[office_only])
    async def create(
        self, request: AnyRequest, data: JSONBody[OrganisationCreate]
    ) -> OrganisationOut:
        return organisation_out(await services.create_organisation(me(request), data))

    @get("/{organisation_id:int}")
    async def show(self, organisation_id: FromPath[int]) -> OrganisationOut:
        return organisation_out(await services.get_organisation(organisation_id))

    @patch("/{organisation_id:int}", guards=[office_only])
    async def update(
        self,
        request: AnyRequest,
        organisation_id: FromPath[int],
        data: JSONBody[OrganisationUpdate],
    ) -> OrganisationOut:
        return organisation_out(
            await services.update_organisation(me(request), organisation_id, data)
        )

    @get("/{organisation_id:int}/contacts", opt=access(Who.OFFICE, Who.BOARD, Who.OWN))
    async def contacts(
        self, request: AnyRequest, organisation_id: FromPath[int]
    ) -> list[ContactOut]:
        decision = can_view_organisation_contacts(me(request), organisation_id)
        if not decision:
            raise NotFound("Organisationen finns inte.")
        return [contact_out(row) for row in await queries.contact_rows(organisation_id)]

    @post("/{organisation_id:int}/contacts", opt=access(Who.OFFICE, Who.OWN))
    async def add_contact(
        self, request: AnyRequest, organisation_id: FromPath[int], data: JSONBody[ContactCreate]
    ) -> ContactOut:
        return contact_out(await services.create_contact(me(request), organisation_id, data))


class ContactApi(Controller):
    path = "/api/contacts"
    tags = ["Organisationer"]
    guards = [signed_in]
    opt = access(Who.OFFICE, Who.OWN)  # an owner keeps their own organisation's contacts

    @patch("/{contact_id:int}")
    async def update(
        self, request: AnyRequest, contact_id: FromPath[int], data: JSONBody[ContactUpdate]
    ) -> ContactOut:
        return contact_out(await services.update_contact(me(request), contact_id, data))

    @delete("/{contact_id:int}")
    async def remove(self, request: AnyRequest, contact_id: FromPath[int]) -> None:
        await services.delete_contact(me(request), contact_id)


class ContributionKeyApi(Controller):
    path = "/api/contribution-keys"
    tags = ["Förbundet"]
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/{kind:str}")
    async def show(self, kind: FromPath[OrganisationKind]) -> ContributionKeyOut:
        return _key_out(kind, await services.contribution_key(kind))

    @put("/{kind:str}", guards=[office_only])
    async def replace(
        self, request: AnyRequest, kind: FromPath[OrganisationKind], data: JSONBody[list[ShareIn]]
    ) -> ContributionKeyOut:
        rows = await services.set_contribution_key(
            me(request), ContributionKeyIn(kind=kind, shares=data)
        )
        return _key_out(kind, rows)


def _key_out(kind: OrganisationKind, rows: list[dict[str, Any]]) -> ContributionKeyOut:
    shares = [
        ShareIn(
            organisation_id=row["id"], share=row["contribution_share"] or 0, version=row["version"]
        )
        for row in rows
    ]
    return ContributionKeyOut(kind=kind, shares=shares, total=sum(s.share for s in shares))


class InitiativeApi(Controller):
    path = "/api/initiatives"
    tags = ["Insatser"]
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def list_initiatives(
        self,
        request: AnyRequest,
        status: FromQuery[InitiativeStatus | None] = None,
        owner_id: Annotated[int | None, QueryParameter(name="owner")] = None,
        kommun_id: Annotated[int | None, QueryParameter(name="kommun")] = None,
        year: Annotated[int | None, QueryParameter(ge=1900, le=2200)] = None,
    ) -> list[InitiativeOut]:
        """The insatser you may see, filtered by status, lead owner, kommun (owner or party) and year."""
        rows = await queries.initiative_rows(me(request), status, owner_id, kommun_id, year)
        return [initiative_out(row) for row in rows]

    @get("/export.csv", media_type="text/csv")
    async def export_csv(
        self,
        request: AnyRequest,
        status: FromQuery[InitiativeStatus | None] = None,
        owner_id: Annotated[int | None, QueryParameter(name="owner")] = None,
        kommun_id: Annotated[int | None, QueryParameter(name="kommun")] = None,
        year: Annotated[int | None, QueryParameter(ge=1900, le=2200)] = None,
    ) -> Response[bytes]:
        """The same list as CSV for Excel (semicolon separated, UTF-8 with BOM)."""
        rows = await queries.initiative_rows(me(request), status, owner_id, kommun_id, year)
        return csv_response(initiatives_csv(rows), "insatser.csv")

    @post("/", guards=[office_only])
    async def create(self, request: AnyRequest, data: JSONBody[InitiativeCreate]) -> InitiativeOut:
        return initiative_out(await services.create_initiative(me(request), data))

    @get("/{initiative_id:int}", opt=access(Who.OFFICE, Who.BOARD, Who.OWN))
    async def show(self, request: AnyRequest, initiative_id: FromPath[int]) -> InitiativeOut:
        return initiative_out(await services.get_initiative(me(request), initiative_id))

    @patch(
        "/{initiative_id:int}",
        opt=access(Who.OFFICE, refusal="Ändringar av insatsen görs genom en ansökan."),
    )
    async def update(
        self, request: AnyRequest, initiative_id: FromPath[int], data: JSONBody[InitiativeUpdate]
    ) -> InitiativeOut:
        return initiative_out(await services.update_initiative(me(request), initiative_id, data))

    @post("/{initiative_id:int}/parties", guards=[office_only])
    async def add_party(
        self, request: AnyRequest, initiative_id: FromPath[int], data: JSONBody[PartyIn]
    ) -> InitiativeOut:
        return initiative_out(await services.add_party(me(request), initiative_id, data))

    @delete(
        "/{initiative_id:int}/parties/{party_id:int}", guards=[office_only], status_code=HTTP_200_OK
    )
    async def remove_party(
        self, request: AnyRequest, initiative_id: FromPath[int], party_id: FromPath[int]
    ) -> InitiativeOut:
        return initiative_out(await services.remove_party(me(request), initiative_id, party_id))


class ConditionApi(Controller):
    path = "/api"
    tags = ["Insatser"]
    guards = [signed_in]
    opt = access(Who.OFFICE, Who.BOARD, Who.OWN)

    @get("/initiatives/{initiative_id:int}/conditions")
    async def list_conditions(
        self, request: AnyRequest, initiative_id: FromPath[int]
    ) -> list[ConditionOut]:
        """The insats's conditions: extension requirements, funding reservations, free text."""
        return [condition_out(r) for r in await services.conditions(me(request), initiative_id)]

    @post("/initiatives/{initiative_id:int}/conditions", guards=[office_only])
    async def add_condition(
        self, request: AnyRequest, initiative_id: FromPath[int], data: JSONBody[ConditionCreate]
    ) -> ConditionOut:
        return condition_out(await services.add_condition(me(request), initiative_id, data))

    @patch("/conditions/{condition_id:int}", guards=[office_only])
    async def update_condition(
        self, request: AnyRequest, condition_id: FromPath[int], data: JSONBody[ConditionUpdate]
    ) -> ConditionOut:
        """Edit a condition or record that it is met (with a note on how)."""
        return condition_out(await services.update_condition(me(request), condition_id, data))


class AuditApi(Controller):
    path = "/api/audit"
    tags = ["Logg"]
    guards = [office_only]

    @get("/")
    async def list_entries(
        self,
        entity: FromQuery[str | None] = None,
        entity_id: FromQuery[int | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 200,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000_000)] = 0,
    ) -> list[AuditEntryOut]:
        return [
            audit_out(row) for row in await queries.audit_rows(entity, entity_id, limit, offset)
        ]
