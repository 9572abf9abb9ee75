"""Pure: what a first-run set-up must hold before the association can be created."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from portfolio.core.domain import FieldProblem, OrganisationKind
from portfolio.register.keys import FULL_KEY, KeyShare, MemberGroup, validate_key

KEYED_KINDS = {
    OrganisationKind.KOMMUN: MemberGroup.MUNICIPALITY,
    OrganisationKind.REGION: MemberGroup.REGION,
}
REQUIRED_KINDS = (
    (OrganisationKind.FK, "Försäkringskassan"),
    (OrganisationKind.AF, "Arbetsförmedlingen"),
    (OrganisationKind.REGION, "minst en region"),
    (OrganisationKind.KOMMUN, "minst en kommun"),
)


class SetupMember(msgspec.Struct, frozen=True):
    name: str
    kind: OrganisationKind
    share: int | None = None


def setup_shares(members: Sequence[SetupMember]) -> dict[str, int | None]:
    """Each member's share as it will be saved: a kind with a single member gets the whole key."""
    shares: dict[str, int | None] = {}
    for kind in KEYED_KINDS:
        of_kind = [m for m in members if m.kind is kind]
        if len(of_kind) == 1 and of_kind[0].share is None:
            shares[of_kind[0].name.strip()] = FULL_KEY
        else:
            for member in of_kind:
                shares[member.name.strip()] = member.share
    return shares


def setup_problems(
    name: str, members: Sequence[SetupMember], years: Sequence[int]
) -> list[FieldProblem]:
    """Every problem with a set-up, not only the first: names, the members by kind, the keys."""
    problems: list[FieldProblem] = []
    if not name.strip():
        problems.append(FieldProblem("name", "Ange förbundets namn."))
    kinds = {m.kind for m in members}
    missing = [label for kind, label in REQUIRED_KINDS if kind not in kinds]
    if missing:
        problems.append(
            FieldProblem(
                "organisations",
                "Förbundets medlemmar ska vara Försäkringskassan, Arbetsförmedlingen, minst en "
                "region och minst en kommun. Saknas: " + ", ".join(missing) + ".",
            )
        )
    seen: set[str] = set()
    for member in members:
        key = member.name.strip().casefold()
        if key in seen:
            problems.append(
                FieldProblem("organisations", f"{member.name.strip()} finns med mer än en gång.")
            )
        seen.add(key)
        if member.share is not None and member.kind not in KEYED_KINDS:
            problems.append(
                FieldProblem(
                    "organisations",
                    f"{member.name.strip()}: andel i fördelningsnyckeln finns bara för kommuner "
                    "och regioner.",
                )
            )
    shares = setup_shares(members)
    for kind, group in KEYED_KINDS.items():
        of_kind = [m.name.strip() for m in members if m.kind is kind]
        if not of_kind:
            continue
        problem = validate_key([KeyShare(n, shares.get(n) or 0) for n in of_kind], group)
        if problem is not None:
            problems.append(FieldProblem(f"key_{kind.value}", problem.message_sv))
    if len(set(years)) != len(years):
        problems.append(FieldProblem("year_budgets", "Varje år kan bara ha en budget."))
    return problems
