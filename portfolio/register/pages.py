"""The register's Swedish pages: settings, organisations and contacts, insatser, the log."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from portfolio.accounts.access import SIGNED_IN, Who, access
from portfolio.accounts.guards import office_only, signed_in
from portfolio.accounts.permissions import (
    can_manage,
    can_view_organisation_contacts,
)
from portfolio.core import queries as core_queries
from portfolio.core.domain import (
    FieldProblem,
    InitiativeStatus,
    OrganisationKind,
    Principal,
    Role,
)
from portfolio.core.errors import DomainError, ValidationFailed
from portfolio.core.web import (
    AnyRequest,
    Form,
    choice,
    form_to_struct,
    me,
    problems_by_field,
    this_year,
)
from portfolio.register import people, queries, services
from portfolio.register.schemas import (
    AssociationSetup,
    AssociationUpdate,
    ConditionCreate,
    ConditionUpdate,
    ContactCreate,
    ContributionKeyIn,
    InitiativeCreate,
    OrganisationCreate,
    OrganisationUpdate,
    PartyIn,
    PersonCreate,
    PersonUpdate,
    ShareIn,
    audit_out,
)


class AssociationPages(Controller):
    path = "/installningar"
    include_in_schema = False
    guards = [office_only]

    @get("/")
    async def form(self) -> Template | Redirect:
        if not await services.association_exists():
            return Redirect("/installningar/start")
        return Template("association.html", context=await _association_context())

    @get("/start")
    async def setup_form(self) -> Template | Redirect:
        """The first-run set-up, on one page; once done, the settings page takes over."""
        if await services.association_exists():
            return Redirect("/installningar")
        return Template("association_setup.html", context=_setup_context({}))

    @post("/start")
    async def set_up(self, request: AnyRequest, data: Form) -> Template | Redirect:
        try:
            setup = setup_from_form(data)
            await services.set_up_association(me(request), setup)
        except DomainError as exc:
            context = _setup_context(data)
            errors = problems_by_field(exc)
            for key, field in (("key_region", "regions"), ("key_kommun", "kommuner")):
                if key in errors:
                    errors[field] = errors.pop(key)
            context.update(errors=errors, error=exc.message)
            if isinstance(exc, ValidationFailed):
                context["problems"] = [p.message for p in exc.problems]
            return Template("association_setup.html", context=context, status_code=exc.status_code)
        flash(request, "Förbundet är upplagt. Välkommen!", category="success")
        return Redirect("/")

    @post("/")
    async def save(self, request: AnyRequest, data: Form) -> Template | Redirect:
        try:
            update = form_to_struct(data, AssociationUpdate)
            await services.update_association(me(request), update)
        except DomainError as exc:
            context = await _association_context()
            context.update(values=data, errors=problems_by_field(exc), error=exc.message)
            return Template("association.html", context=context, status_code=exc.status_code)
        flash(request, "Förbundets uppgifter är sparade.", category="success")
        return Redirect("/installningar")

    @post("/nyckel/{kind:str}")
    async def save_key(
        self, request: AnyRequest, kind: FromPath[OrganisationKind], data: Form
    ) -> Template | Redirect:
        try:
            shares = []
            for key, value in data.items():
                if key.startswith("share_"):
                    org_id = key.removeprefix("share_")
                    version = str(data.get(f"version_{org_id}", ""))
                    shares.append(
                        ShareIn(
                            organisation_id=int(org_id),
                            share=_percent_to_bp(value),
                            version=int(version) if version.isdigit() else None,
                        )
                    )
            await services.set_contribution_key(
                me(request), ContributionKeyIn(kind=kind, shares=shares)
            )
        except (DomainError, ValueError) as exc:
            message = (
                exc.message
                if isinstance(exc, DomainError)
                else "Ange andelar som tal, till exempel 12,5."
            )
            context = await _association_context()
            context.update(key_values=data, key_error=message)
            status = exc.status_code if isinstance(exc, DomainError) else 422
            return Template("association.html", context=context, status_code=status)
        flash(request, "Fördelningsnyckeln är sparad.", category="success")
        return Redirect("/installningar")


SETUP_YEAR_ROWS = 3


def _setup_context(values: dict[str, Any]) -> dict[str, Any]:
    year = this_year()
    defaults = {
        "fk_name": "Försäkringskassan",
        "af_name": "Arbetsförmedlingen",
        **{f"year_{i}": str(year + i) for i in range(SETUP_YEAR_ROWS)},
    }
    return {
        "values": {**defaults, **values},
        "year_rows": range(SETUP_YEAR_ROWS),
        "errors": {},
        "error": None,
        "problems": [],
    }


def _kronor(value: Any, label: str) -> int:
    text = str(value or "").replace(" ", "").replace("\u00a0", "").strip() or "0"
    if not text.isdigit():
        raise ValidationFailed([FieldProblem("year_budgets", f"{label}: ange hela kronor.")])
    return int(text)


def setup_from_form(form: dict[str, Any]) -> AssociationSetup:
    """The set-up page's fields as the API's struct: members one per line ("Namn; andel %")."""
    organisations: list[dict[str, Any]] = []
    for kind in (OrganisationKind.FK, OrganisationKind.AF):
        name = str(form.get(f"{kind.value}_name", "")).strip()
        if name:
            organisations.append({"name": name, "kind": kind})
    for kind, field in (
        (OrganisationKind.REGION, "regions"),
        (OrganisationKind.KOMMUN, "kommuner"),
    ):
        for number, line in enumerate(str(form.get(field, "")).splitlines(), start=1):
            if not line.strip():
                continue
            name, _, share = line.partition(";")
            entry: dict[str, Any] = {"name": name.strip(), "kind": kind}
            if share.strip():
                try:
                    entry["share"] = _percent_to_bp(share)
                except ValueError:
                    raise ValidationFailed(
                        [
                            FieldProblem(
                                field,
                                f"Rad {number}: ange andelen i procent, till exempel "
                                f"{name.strip()}; 12,5.",
                            )
                        ]
                    ) from None
            organisations.append(entry)
    budgets = []
    for i in range(SETUP_YEAR_ROWS):
        amounts = {
            column: form.get(f"{column}_{i}", "")
            for column in ("member_contributions", "elected_members", "administration")
        }
        year = str(form.get(f"year_{i}", "")).strip()
        if not year or not any(str(v).strip() for v in amounts.values()):
            continue
        if not year.isdigit():
            raise ValidationFailed([FieldProblem("year_budgets", f"Ange året som {this_year()}.")])
        budgets.append(
            {
                "year": int(year),
                **{column: _kronor(value, year) for column, value in amounts.items()},
            }
        )
    fields = {
        name: str(form.get(name, "")).strip()
        for name in ("name", "org_number", "address", "postal_address", "email", "phone")
    }
    fields["director_name"] = str(form.get("director_name", "")).strip()
    try:
        return msgspec.convert(
            {**fields, "organisations": organisations, "year_budgets": budgets}, AssociationSetup
        )
    except msgspec.ValidationError as exc:
        field = "name" if "$.name" in str(exc) else "organisations"
        raise ValidationFailed([FieldProblem(field, _setup_message(field))]) from None


def _setup_message(field: str) -> str:
    if field == "name":
        return "Ange förbundets namn (högst 200 tecken)."
    return "Kontrollera medlemmarna och budgetåren: namn högst 200 tecken, andelar 0–100 %."


def _percent_to_bp(value: Any) -> int:
    """ "12,5" or "12.5" percent to 1250 hundredths of a percent, exactly (no floats)."""
    text = str(value).strip().replace(",", ".").replace("%", "").strip() or "0"
    whole, _, frac = text.partition(".")
    if not whole.lstrip("-").isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
        raise ValueError(text)
    return int(whole) * 100 + int((frac + "00")[:2])


async def _association_context() -> dict[str, Any]:
    return {
        "association": await services.get_association(),
        "kommuner": await services.contribution_key(OrganisationKind.KOMMUN),
        "regions": await services.contribution_key(OrganisationKind.REGION),
        "values": None,
        "errors": {},
        "error": None,
        "key_values": None,
        "key_error": None,
    }


class BoardPeoplePages(Controller):
    """The register of the board's people: who is called to meetings, account or not."""

    path = "/styrelse"
    include_in_schema = False
    guards = [office_only]

    @get("/")
    async def list_page(self) -> Template:
        return Template("board_people.html", context=await _people_context())

    @post("/")
    async def create(self, request: AnyRequest, data: Form) -> Template | Redirect:
        try:
            row = await people.create_person(me(request), form_to_struct(data, PersonCreate))
        except DomainError as exc:
            context = await _people_context()
            context.update(values=data, errors=problems_by_field(exc), error=exc.message)
            return Template("board_people.html", context=context, status_code=exc.status_code)
        flash(request, f"{row['name']} är tillagd i styrelseregistret.", category="success")
        return Redirect("/styrelse")

    @get("/{person_id:int}")
    async def edit_page(self, person_id: FromPath[int]) -> Template:
        context = await _people_context()
        context.update(person=await people.get_person(person_id))
        return Template("board_person.html", context=context)

    @post("/{person_id:int}")
    async def update(
        self, request: AnyRequest, person_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        try:
            await people.update_person(me(request), person_id, form_to_struct(data, PersonUpdate))
        except DomainError as exc:
            context = await _people_context()
            context.update(
                person=await people.get_person(person_id),
                values=data,
                errors=problems_by_field(exc),
                error=exc.message,
            )
            return Template("board_person.html", context=context, status_code=exc.status_code)
        flash(request, "Uppgifterna är sparade.", category="success")
        return Redirect("/styrelse")


async def _people_context() -> dict[str, Any]:
    return {
        "people": await people.person_rows(),
        "organisations": [r for r in await core_queries.organisation_rows() if r["is_member"]],
        "values": None,
        "errors": {},
        "error": None,
    }


class OrganisationPages(Controller):
    path = "/organisationer"
    include_in_schema = False
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def list_page(self, request: AnyRequest) -> Template:
        rows = await core_queries.organisation_rows()
        return Template(
            "organisations.html",
            context={"organisations": rows, "can_manage": bool(can_manage(me(request)))},
        )

    @post("/", guards=[office_only])
    async def create(self, request: AnyRequest, data: Form) -> Template | Redirect:
        try:
            row = await services.create_organisation(
                me(request), form_to_struct(data, OrganisationCreate)
            )
        except DomainError as exc:
            rows = await core_queries.organisation_rows()
            return Template(
                "organisations.html",
                context={
                    "organisations": rows,
                    "can_manage": True,
                    "values": data,
                    "errors": problems_by_field(exc),
                    "error": exc.message,
                },
                status_code=exc.status_code,
            )
        flash(request, f"{row['name']} är tillagd.", category="success")
        return Redirect(f"/organisationer/{row['id']}")

    @get("/{organisation_id:int}")
    async def detail(self, request: AnyRequest, organisation_id: FromPath[int]) -> Template:
        return Template(
            "organisation.html", context=await _organisation_context(me(request), organisation_id)
        )

    @post("/{organisation_id:int}", guards=[office_only])
    async def update(
        self, request: AnyRequest, organisation_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        try:
            await services.update_organisation(
                me(request), organisation_id, form_to_struct(data, OrganisationUpdate)
            )
        except DomainError as exc:
            context = await _organisation_context(me(request), organisation_id)
            context.update(values=data, errors=problems_by_field(exc), error=exc.message)
            return Template("organisation.html", context=context, status_code=exc.status_code)
        flash(request, "Organisationen är sparad.", category="success")
        return Redirect(f"/organisationer/{organisation_id}")

    @post("/{organisation_id:int}/kontakter", opt=access(Who.OFFICE, Who.OWN))
    async def add_contact(
        self, request: AnyRequest, organisation_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        try:
            await services.create_contact(
                me(request), organisation_id, form_to_struct(data, ContactCreate)
            )
        except DomainError as exc:
            context = await _organisation_context(me(request), organisation_id)
            context.update(contact_values=data, contact_error=exc.message)
            return Template("organisation.html", context=context, status_code=exc.status_code)
        flash(request, "Kontaktpersonen är tillagd.", category="success")
        return Redirect(f"/organisationer/{organisation_id}")

    @post(
        "/{organisation_id:int}/kontakter/{contact_id:int}/ta-bort", opt=access(Who.OFFICE, Who.OWN)
    )
    async def remove_contact(
        self, request: AnyRequest, organisation_id: FromPath[int], contact_id: FromPath[int]
    ) -> Redirect:
        await services.delete_contact(me(request), contact_id)
        flash(request, "Kontaktpersonen är borttagen.", category="success")
        return Redirect(f"/organisationer/{organisation_id}")


async def _organisation_context(user: Principal, organisation_id: FromPath[int]) -> dict[str, Any]:
    organisation = await services.get_organisation(organisation_id)
    show_contacts = bool(can_view_organisation_contacts(user, organisation_id))
    return {
        "organisation": organisation,
        "contacts": await queries.contact_rows(organisation_id) if show_contacts else [],
        "show_contacts": show_contacts,
        "can_manage": bool(can_manage(user)),
        "can_edit_contacts": user.is_office
        or (user.role is Role.OWNER and user.organisation_id == organisation_id),
        "values": None,
        "errors": {},
        "error": None,
        "contact_values": None,
        "contact_error": None,
    }


class InitiativePages(Controller):
    path = "/insatser"
    include_in_schema = False
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def list_page(
        self,
        request: AnyRequest,
        status_text: Annotated[str | None, QueryParameter(name="status")] = None,
        owner_text: Annotated[str | None, QueryParameter(name="owner")] = None,
        kommun_text: Annotated[str | None, QueryParameter(name="kommun")] = None,
        year_text: Annotated[str | None, QueryParameter(name="year")] = None,
    ) -> Template:
        # A plain GET form sends "status=&owner=" for "Alla": empty means no filter.
        user = me(request)
        status = choice(InitiativeStatus, status_text, "status")
        owner_id = choice(int, owner_text, "owner")
        kommun_id = choice(int, kommun_text, "kommun")
        year = choice(int, year_text, "year")
        if year is not None and not 1900 <= year <= 2200:
            raise ValidationFailed([FieldProblem("year", "Okänt värde i urvalet.")])
        rows = await queries.initiative_rows(user, status, owner_id, kommun_id, year)
        organisations = await core_queries.organisation_rows()
        return Template(
            "initiatives.html",
            context={
                "initiatives": rows,
                "status": status,
                "owner_id": owner_id,
                "kommun_id": kommun_id,
                "year": year,
                "years": range(this_year() - 6, this_year() + 5),
                "owners": [o for o in organisations if o["is_member"]],
                "kommuner": [o for o in organisations if o["kind"] == OrganisationKind.KOMMUN],
                # Only the filters in use: the export's API takes "owner=" for no owner as an error.
                "query": urlencode(
                    {
                        key: value
                        for key, value in (
                            ("status", status.value if status else None),
                            ("owner", owner_id),
                            ("kommun", kommun_id),
                            ("year", year),
                        )
                        if value is not None
                    }
                ),
                "can_manage": bool(can_manage(user)),
            },
        )

    @get("/ny", guards=[office_only])
    async def new_form(self) -> Template:
        return Template("initiative_form.html", context=await _initiative_form_context(None))

    @post("/", guards=[office_only])
    async def create(self, request: AnyRequest, data: Form) -> Template | Redirect:
        try:
            row = await services.create_initiative(
                me(request), form_to_struct(data, InitiativeCreate)
            )
        except DomainError as exc:
            context = await _initiative_form_context(None)
            context.update(values=data, errors=problems_by_field(exc), error=exc.message)
            return Template("initiative_form.html", context=context, status_code=exc.status_code)
        flash(request, "Insatsen är registrerad.", category="success")
        return Redirect(f"/insatser/{row['id']}")

    @get("/{initiative_id:int}/redigera", guards=[office_only])
    async def edit_form(self, request: AnyRequest, initiative_id: FromPath[int]) -> Template:
        initiative = await services.get_initiative(me(request), initiative_id)
        return Template("initiative_form.html", context=await _initiative_form_context(initiative))

    @post("/{initiative_id:int}/villkor", guards=[office_only])
    async def add_condition(
        self, request: AnyRequest, initiative_id: FromPath[int], data: Form
    ) -> Redirect:
        try:
            await services.add_condition(
                me(request), initiative_id, form_to_struct(data, ConditionCreate)
            )
            flash(request, "Villkoret är tillagt.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/insatser/{initiative_id}")

    @post("/{initiative_id:int}/villkor/{condition_id:int}", guards=[office_only])
    async def update_condition(
        self,
        request: AnyRequest,
        initiative_id: FromPath[int],
        condition_id: FromPath[int],
        data: Form,
    ) -> Redirect:
        try:
            await services.update_condition(
                me(request), condition_id, form_to_struct(data, ConditionUpdate)
            )
            flash(request, "Villkoret är sparat.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/insatser/{initiative_id}")

    @post("/{initiative_id:int}/parter", guards=[office_only])
    async def add_party(
        self, request: AnyRequest, initiative_id: FromPath[int], data: Form
    ) -> Redirect:
        try:
            await services.add_party(me(request), initiative_id, form_to_struct(data, PartyIn))
            flash(request, "Parten är tillagd.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/insatser/{initiative_id}")

    @post("/{initiative_id:int}/parter/{party_id:int}/ta-bort", guards=[office_only])
    async def remove_party(
        self, request: AnyRequest, initiative_id: FromPath[int], party_id: FromPath[int]
    ) -> Redirect:
        await services.remove_party(me(request), initiative_id, party_id)
        flash(request, "Parten är borttagen.", category="success")
        return Redirect(f"/insatser/{initiative_id}")


async def _initiative_form_context(initiative: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "initiative": initiative,
        "owners": [o for o in await core_queries.organisation_rows() if o["is_member"]],
        "values": None,
        "errors": {},
        "error": None,
    }


class AuditPages(Controller):
    path = "/logg"
    include_in_schema = False
    guards = [office_only]

    @get("/")
    async def list_page(
        self, entity: FromQuery[str | None] = None, page: Annotated[int, QueryParameter(ge=1)] = 1
    ) -> Template:
        rows = await queries.audit_rows(entity, None, limit=100, offset=(page - 1) * 100)
        return Template(
            "audit.html",
            context={"entries": [audit_out(r) for r in rows], "entity": entity, "page": page},
        )
