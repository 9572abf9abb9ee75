"""Pure: member contributions (medlemsavgifter) split by law and key, exact to the krona."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

from portfolio.register.keys import (
    FULL_KEY,
    ContributionKey,
    InvalidKeyError,
    KeyShare,
    MemberGroup,
    validate_contribution_key,
    validate_key,
)

"""A key's shares are basis points (hundredths of a percent) and must sum to exactly this."""


# Lag (2003:1210): the state pays half, the region(s) a quarter, the kommuner together a quarter.
LAW_SHARES: dict[MemberGroup, int] = {
    MemberGroup.STATE: 5_000,
    MemberGroup.REGION: 2_500,
    MemberGroup.MUNICIPALITY: 2_500,
}


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


def largest_remainder(total: int, weights: Sequence[int]) -> tuple[int, ...]:
    """Split an integer total in proportion to weights so that the parts sum exactly to it.

    Largest remainder (Hare) method: every part first gets its exact share rounded down; the
    kronor left over (fewer than there are parts) go one each to the largest remainders.
    Ties are broken deterministically: larger weight first, then earlier position in the
    list. A negative total is split as its absolute value and negated, so the rule is
    symmetric.
    """
    return tuple(share.amount for share in _allocate(total, weights))
