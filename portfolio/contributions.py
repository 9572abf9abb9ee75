"""Member contributions (medlemsavgifter): split a total between the members, exact to the krona."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

import msgspec

from portfolio.formatting import format_percent

FULL_KEY = 10_000
"""A key's shares are basis points (hundredths of a percent) and must sum to exactly this."""


class MemberGroup(StrEnum):
    """The three parts the law splits contributions into."""

    STATE = "state"  # Försäkringskassan, paying for Arbetsförmedlingen too
    REGION = "region"
    MUNICIPALITY = "municipality"


# Lag (2003:1210): the state pays half, the region(s) a quarter, the kommuner together a quarter.
LAW_SHARES: dict[MemberGroup, int] = {
    MemberGroup.STATE: 5_000,
    MemberGroup.REGION: 2_500,
    MemberGroup.MUNICIPALITY: 2_500,
}


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


class GroupPart(msgspec.Struct, frozen=True, kw_only=True):
    """The state's, the regions' or the kommuner's part of the total."""

    group: MemberGroup
    basis_points: int  # of the total, by law
    amount: int
    exact_ore: int  # the exact share in öre (half up), to show beside the rounded amount
    adjustment: int  # kronor added by rounding: amount minus the exact share rounded down


class MemberPart(msgspec.Struct, frozen=True, kw_only=True):
    """One member's contribution; exact_ore and adjustment are relative to its group's amount."""

    member: str
    group: MemberGroup
    basis_points: int  # of the group's amount, from the key
    amount: int
    exact_ore: int
    adjustment: int


class ContributionSplit(msgspec.Struct, frozen=True, kw_only=True):
    """A total split per group and per member; both levels sum exactly to the total."""

    total: int
    groups: tuple[GroupPart, ...]
    members: tuple[MemberPart, ...]

    @property
    def adjustments(self) -> tuple[MemberPart, ...]:
        """The members whose amount rounding moved by a krona, for the page to list."""
        return tuple(part for part in self.members if part.adjustment)

    def amount_of(self, member: str) -> int:
        """One member's amount; KeyError if it is not in the split."""
        for part in self.members:
            if part.member == member:
                return part.amount
        raise KeyError(member)

    def group_amount(self, group: MemberGroup) -> int:
        """The amount of one of the three law groups."""
        return next(part.amount for part in self.groups if part.group is group)


# --------------------------------------------------------------------------- rounding


class _Share(msgspec.Struct, frozen=True):
    amount: int
    exact_ore: int
    adjustment: int


def largest_remainder(total: int, weights: Sequence[int]) -> tuple[int, ...]:
    """Split an integer total in proportion to weights so that the parts sum exactly to it.

    Largest remainder (Hare) method: every part first gets its exact share rounded down; the
    kronor left over (fewer than there are parts) go one each to the largest remainders.
    Ties are broken deterministically: larger weight first, then earlier position in the
    list. A negative total is split as its absolute value and negated, so the rule is
    symmetric.
    """
    return tuple(share.amount for share in _allocate(total, weights))


def _allocate(total: int, weights: Sequence[int]) -> list[_Share]:
    if not weights:
        raise ValueError("nothing to split between: no weights")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    denominator = sum(weights)
    if denominator == 0:
        raise ValueError("weights must not all be zero")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    floors: list[int] = []
    remainders: list[int] = []
    for weight in weights:
        floor, remainder = divmod(magnitude * weight, denominator)
        floors.append(floor)
        remainders.append(remainder)
    leftover = magnitude - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], -weights[i], i))
    winners = set(order[:leftover])
    shares: list[_Share] = []
    for i, weight in enumerate(weights):
        adjustment = 1 if i in winners else 0
        # Exact share in öre, half up: (200 * m * w + d) // (2 * d).
        exact_ore = (200 * magnitude * weight + denominator) // (2 * denominator)
        shares.append(
            _Share(
                amount=sign * (floors[i] + adjustment),
                exact_ore=sign * exact_ore,
                adjustment=sign * adjustment,
            )
        )
    return shares


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


def key_from_populations(populations: Mapping[str, int]) -> tuple[KeyShare, ...]:
    """A key in basis points from populations (e.g. per kommun on 1 November the year before).

    The shares sum to exactly 10000 by the largest remainder rule of largest_remainder(), in
    the mapping's order. A basis point of a kommun quarter is worth total / 40 000 kronor, so
    a key in basis points is coarser than splitting by the populations themselves.
    """
    if not populations:
        raise ValueError("no populations to derive a key from")
    if any(count < 0 for count in populations.values()):
        raise ValueError("a population must not be negative")
    if sum(populations.values()) == 0:
        raise ValueError("the populations must not all be zero")
    points = largest_remainder(FULL_KEY, list(populations.values()))
    return tuple(KeyShare(member, bp) for member, bp in zip(populations, points, strict=True))


# --------------------------------------------------------------------------- splits


def split_by_key(
    total: int, shares: Sequence[KeyShare], group: MemberGroup = MemberGroup.MUNICIPALITY
) -> tuple[MemberPart, ...]:
    """Split an amount within one group by its key, e.g. the kommun quarter or a kommun-only
    extra contribution; the parts sum exactly to the amount."""
    problem = validate_key(shares, group)
    if problem is not None:
        raise InvalidKeyError(problem)
    allocated = _allocate(total, [share.basis_points for share in shares])
    return tuple(
        MemberPart(
            member=share.member.strip(),
            group=group,
            basis_points=share.basis_points,
            amount=part.amount,
            exact_ore=part.exact_ore,
            adjustment=part.adjustment,
        )
        for share, part in zip(shares, allocated, strict=True)
    )


def split_contribution(total: int, key: ContributionKey) -> ContributionSplit:
    """Split a year's total (or a one-off extra contribution) between all members.

    First by law into the state's half and the regions' and kommuner's quarters, then each
    quarter by its key; both steps use largest_remainder(), so the groups sum exactly to the
    total and each group's members exactly to the group. On a tie the state comes before
    the regions, and the regions before the kommuner.
    """
    problem = validate_contribution_key(key)
    if problem is not None:
        raise InvalidKeyError(problem)
    order = (MemberGroup.STATE, MemberGroup.REGION, MemberGroup.MUNICIPALITY)
    allocated = _allocate(total, [LAW_SHARES[group] for group in order])
    groups = tuple(
        GroupPart(
            group=group,
            basis_points=LAW_SHARES[group],
            amount=part.amount,
            exact_ore=part.exact_ore,
            adjustment=part.adjustment,
        )
        for group, part in zip(order, allocated, strict=True)
    )
    state, regions, municipalities = (part.amount for part in groups)
    members = (
        *split_by_key(state, (KeyShare(key.state_member, FULL_KEY),), MemberGroup.STATE),
        *split_by_key(regions, key.regions, MemberGroup.REGION),
        *split_by_key(municipalities, key.municipalities, MemberGroup.MUNICIPALITY),
    )
    return ContributionSplit(total=total, groups=groups, members=members)
