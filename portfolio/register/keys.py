"""Pure: the contribution keys (how the region and kommun quarters are split) and their checks."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import msgspec

from portfolio.core.formatting import format_percent

FULL_KEY = 10_000


class MemberGroup(StrEnum):
    """The three parts the law splits contributions into."""

    STATE = "state"  # Försäkringskassan, paying for Arbetsförmedlingen too
    REGION = "region"
    MUNICIPALITY = "municipality"


class KeyShare(msgspec.Struct, frozen=True):
    """One member's share of its group's quarter, in basis points (2550 = 25,50 %)."""

    member: str
    basis_points: int


class ContributionKey(msgspec.Struct, frozen=True, kw_only=True):
    """How the association splits the region quarter and the kommun quarter (a setting, not law)."""

    regions: tuple[KeyShare, ...]
    municipalities: tuple[KeyShare, ...]
    state_member: str = "Försäkringskassan"


class KeyProblemCode(StrEnum):
    """Why a key was refused."""

    EMPTY = "empty"
    BLANK_MEMBER = "blank_member"
    DUPLICATE_MEMBER = "duplicate_member"
    NEGATIVE_SHARE = "negative_share"
    WRONG_SUM = "wrong_sum"


class KeyProblem(msgspec.Struct, frozen=True, kw_only=True):
    """The first thing wrong with a key, said in Swedish for the page and in English for logs."""

    code: KeyProblemCode
    message_sv: str
    message_en: str
    member: str | None = None
    group: MemberGroup | None = None


class InvalidKeyError(ValueError):
    """Raised when a split is asked for with a key that does not validate."""

    def __init__(self, problem: KeyProblem) -> None:
        super().__init__(problem.message_en)
        self.problem = problem


# --------------------------------------------------------------------------- keys


def _percent_en(basis_points: int) -> str:
    sign = "-" if basis_points < 0 else ""
    whole, frac = divmod(abs(basis_points), 100)
    return f"{sign}{whole}.{frac:02d} %"


def validate_key(shares: Sequence[KeyShare], group: MemberGroup | None = None) -> KeyProblem | None:
    """The first problem with a key, or None if it is usable: members named once, shares >= 0,
    summing to exactly 10000 basis points (100,00 %)."""
    prefix_sv, prefix_en = _prefixes(group)

    def problem(code: KeyProblemCode, sv: str, en: str, member: str | None = None) -> KeyProblem:
        return KeyProblem(
            code=code,
            message_sv=prefix_sv + sv,
            message_en=prefix_en + en,
            member=member,
            group=group,
        )

    if not shares:
        return problem(
            KeyProblemCode.EMPTY, "Nyckeln har inga medlemmar.", "The key has no members."
        )
    seen: set[str] = set()
    for share in shares:
        name = share.member.strip()
        if not name:
            return problem(
                KeyProblemCode.BLANK_MEMBER,
                "En rad i nyckeln saknar medlem.",
                "A row of the key has no member.",
            )
        if name in seen:
            return problem(
                KeyProblemCode.DUPLICATE_MEMBER,
                f"{name} finns mer än en gång i nyckeln.",
                f"{name} appears more than once in the key.",
                name,
            )
        seen.add(name)
        if share.basis_points < 0:
            return problem(
                KeyProblemCode.NEGATIVE_SHARE,
                f"Andelen för {name} är negativ ({format_percent(share.basis_points)}).",
                f"The share of {name} is negative ({_percent_en(share.basis_points)}).",
                name,
            )
    total = sum(share.basis_points for share in shares)
    if total != FULL_KEY:
        gap = FULL_KEY - total
        missing_sv = "saknas" if gap > 0 else "för mycket"
        missing_en = "missing" if gap > 0 else "too much"
        return problem(
            KeyProblemCode.WRONG_SUM,
            f"Andelarna summerar till {format_percent(total)} men ska bli exakt "
            f"{format_percent(FULL_KEY)} ({format_percent(abs(gap))} {missing_sv}).",
            f"The shares sum to {_percent_en(total)} but must sum to exactly "
            f"{_percent_en(FULL_KEY)} ({_percent_en(abs(gap))} {missing_en}).",
        )
    return None


def validate_contribution_key(key: ContributionKey) -> KeyProblem | None:
    """The first problem with the region key or the kommun key, or None if both are usable."""
    if not key.state_member.strip():
        return KeyProblem(
            code=KeyProblemCode.BLANK_MEMBER,
            message_sv="Statens medlem (Försäkringskassan) saknar namn.",
            message_en="The state's member (Försäkringskassan) has no name.",
            group=MemberGroup.STATE,
        )
    return validate_key(key.regions, MemberGroup.REGION) or validate_key(
        key.municipalities, MemberGroup.MUNICIPALITY
    )


def _prefixes(group: MemberGroup | None) -> tuple[str, str]:
    if group is MemberGroup.REGION:
        return "Regionernas fördelningsnyckel: ", "Region key: "
    if group is MemberGroup.MUNICIPALITY:
        return "Kommunernas fördelningsnyckel: ", "Municipality key: "
    return "", ""
