"""Member contributions: the law's split, keys in basis points and exact rounding to the krona."""

from __future__ import annotations

import random

import msgspec
import pytest

from portfolio.economy.contributions import (
    ContributionSplit,
    key_from_populations,
    largest_remainder,
    split_by_key,
    split_contribution,
)
from portfolio.register.keys import (
    FULL_KEY,
    ContributionKey,
    InvalidKeyError,
    KeyProblemCode,
    KeyShare,
    MemberGroup,
    validate_contribution_key,
    validate_key,
)

SEED_KOMMUN_AMOUNTS = {
    # Preliminära medlemsavgifter 2022 in seeds/002: the kommun quarter of 22 770 000 kronor.
    "Håbo": 322_150,
    "Älvkarleby": 139_615,
    "Knivsta": 279_729,
    "Heby": 206_063,
    "Tierp": 313_100,
    "Uppsala": 3_428_693,
    "Enköping": 677_334,
    "Östhammar": 325_817,
}


def uppsala_key() -> ContributionKey:
    """One region and eight kommuner, the kommun key derived from the seed's amounts."""
    return ContributionKey(
        regions=(KeyShare("Region Uppsala", FULL_KEY),),
        municipalities=key_from_populations(SEED_KOMMUN_AMOUNTS),
    )


def random_key(rng: random.Random, size: int, prefix: str) -> tuple[KeyShare, ...]:
    """A valid key of the given size with arbitrary (possibly zero) shares."""
    cuts = sorted(rng.randint(0, FULL_KEY) for _ in range(size - 1))
    points = [b - a for a, b in zip([0, *cuts], [*cuts, FULL_KEY], strict=True)]
    return tuple(KeyShare(f"{prefix} {i}", bp) for i, bp in enumerate(points))


def assert_exact(split: ContributionSplit, key: ContributionKey) -> None:
    """Both levels sum exactly and every part is within a krona of its exact share."""
    assert sum(g.amount for g in split.groups) == split.total
    assert sum(m.amount for m in split.members) == split.total
    for group in split.groups:
        # |amount - total * bp / 10000| < 1, kept in integers.
        assert abs(group.amount * FULL_KEY - split.total * group.basis_points) < FULL_KEY
        members = [m for m in split.members if m.group is group.group]
        assert sum(m.amount for m in members) == group.amount
        for member in members:
            assert abs(member.amount * FULL_KEY - group.amount * member.basis_points) < FULL_KEY
            assert member.adjustment in (0, 1, -1)
    assert [m.member for m in split.members] == [
        key.state_member,
        *(s.member for s in key.regions),
        *(s.member for s in key.municipalities),
    ]


# --------------------------------------------------------------------------- the law's split


def test_state_pays_half_and_region_and_kommuner_a_quarter_each() -> None:
    """The seed's 22 770 000 kronor: FK 11 385 000, region and kommuner 5 692 500 each."""
    split = split_contribution(22_770_000, uppsala_key())
    assert split.group_amount(MemberGroup.STATE) == 11_385_000
    assert split.group_amount(MemberGroup.REGION) == 5_692_500
    assert split.group_amount(MemberGroup.MUNICIPALITY) == 5_692_500
    assert split.amount_of("Försäkringskassan") == 11_385_000
    assert split.amount_of("Region Uppsala") == 5_692_500


def test_seed_kommun_split_is_matched_within_a_basis_point() -> None:
    """A basis-point key reproduces the seed's kommun amounts to within 0,01 % of the quarter."""
    split = split_contribution(22_770_000, uppsala_key())
    for member, seed_amount in SEED_KOMMUN_AMOUNTS.items():
        assert abs(split.amount_of(member) - seed_amount) <= 5_692_500 // FULL_KEY + 1, member


def test_seed_kommun_rows_sum_to_one_krona_too_many_and_ours_do_not() -> None:
    """The seed's kommun rows sum to 5 692 501; split by the same weights ours sum to 5 692 500."""
    assert sum(SEED_KOMMUN_AMOUNTS.values()) == 5_692_501
    amounts = dict(
        zip(
            SEED_KOMMUN_AMOUNTS,
            largest_remainder(5_692_500, list(SEED_KOMMUN_AMOUNTS.values())),
            strict=True,
        )
    )
    assert sum(amounts.values()) == 5_692_500
    differences = {k: amounts[k] - v for k, v in SEED_KOMMUN_AMOUNTS.items() if amounts[k] != v}
    assert differences == {"Uppsala": -1}  # the largest remainder gives way


def test_odd_total_gives_the_spare_krona_to_the_state() -> None:
    """1 krona: the state's exact half has the largest remainder."""
    split = split_contribution(1, uppsala_key())
    assert [g.amount for g in split.groups] == [1, 0, 0]


def test_law_level_tie_goes_to_the_region_before_the_kommuner() -> None:
    """10 kronor: 5 to the state, the tied half krona of 2,5 + 2,5 to the region."""
    split = split_contribution(10, uppsala_key())
    assert [g.amount for g in split.groups] == [5, 3, 2]
    assert [g.adjustment for g in split.groups] == [0, 1, 0]
    assert [g.exact_ore for g in split.groups] == [500, 250, 250]


def test_three_kronor_go_one_to_each_group() -> None:
    """3 kronor: 1,5 / 0,75 / 0,75; the two largest remainders are the quarters'."""
    split = split_contribution(3, uppsala_key())
    assert [g.amount for g in split.groups] == [1, 1, 1]


def test_zero_total_gives_zero_to_everyone() -> None:
    """Nothing to split gives nothing to anyone, with no adjustments."""
    split = split_contribution(0, uppsala_key())
    assert {m.amount for m in split.members} == {0}
    assert split.adjustments == ()


def test_negative_total_is_split_symmetrically() -> None:
    """A reduction of 10 kronor mirrors an increase of 10 kronor."""
    up = split_contribution(10, uppsala_key())
    down = split_contribution(-10, uppsala_key())
    assert [m.amount for m in down.members] == [-m.amount for m in up.members]
    assert [m.adjustment for m in down.members] == [-m.adjustment for m in up.members]


def test_several_regions_split_the_region_quarter_by_their_key() -> None:
    """Two regions at 60/40 share the region quarter of 1 000 000 kronor."""
    key = ContributionKey(
        regions=(KeyShare("Region Norr", 6_000), KeyShare("Region Söder", 4_000)),
        municipalities=(KeyShare("Kommun A", FULL_KEY),),
    )
    split = split_contribution(1_000_000, key)
    assert split.amount_of("Region Norr") == 150_000
    assert split.amount_of("Region Söder") == 100_000
    assert split.amount_of("Kommun A") == 250_000


def test_one_off_extra_contribution_is_split_the_same_way() -> None:
    """An extra 333 333 kronor uses the same rule and key as the yearly contribution."""
    split = split_contribution(333_333, uppsala_key())
    assert_exact(split, uppsala_key())
    assert split.group_amount(MemberGroup.STATE) == 166_667


def test_kommun_only_extra_contribution_is_split_by_the_kommun_key() -> None:
    """split_by_key splits an amount among the kommuner alone, summing exactly."""
    parts = split_by_key(100_001, uppsala_key().municipalities)
    assert sum(p.amount for p in parts) == 100_001
    assert {p.group for p in parts} == {MemberGroup.MUNICIPALITY}


def test_split_round_trips_through_json() -> None:
    """The split is a plain Struct the API can send as JSON."""
    split = split_contribution(22_770_000, uppsala_key())
    assert msgspec.json.decode(msgspec.json.encode(split), type=ContributionSplit) == split


# --------------------------------------------------------------------------- rounding adjustments


def test_adjustments_report_which_members_got_the_spare_kronor() -> None:
    """100 kronor over 33,33 / 33,33 / 33,34 %: the spare krona goes to the largest remainder."""
    parts = split_by_key(100, (KeyShare("A", 3_333), KeyShare("B", 3_333), KeyShare("C", 3_334)))
    assert [p.amount for p in parts] == [33, 33, 34]
    assert [p.exact_ore for p in parts] == [3_333, 3_333, 3_334]
    assert [p.adjustment for p in parts] == [0, 0, 1]


def test_split_lists_its_adjusted_members() -> None:
    """ContributionSplit.adjustments holds exactly the members whose amount was rounded up."""
    key = ContributionKey(
        regions=(KeyShare("Region", FULL_KEY),),
        municipalities=(KeyShare("A", 3_333), KeyShare("B", 3_333), KeyShare("C", 3_334)),
    )
    split = split_contribution(400, key)
    assert [(m.member, m.amount) for m in split.adjustments] == [("C", 34)]


def test_tie_on_remainder_goes_to_the_larger_share() -> None:
    """2 kronor over 25/75 %: 0,5 and 1,5 tie on remainder, the larger share takes the krona."""
    assert largest_remainder(2, [2_500, 7_500]) == (0, 2)
    assert largest_remainder(2, [7_500, 2_500]) == (2, 0)


def test_tie_on_remainder_and_share_goes_to_the_earlier_member() -> None:
    """1 krona over two equal shares goes to the member listed first."""
    parts = split_by_key(1, (KeyShare("Östhammar", 5_000), KeyShare("Håbo", 5_000)))
    assert [(p.member, p.amount) for p in parts] == [("Östhammar", 1), ("Håbo", 0)]


def test_zero_share_gets_nothing_even_when_kronor_are_spare() -> None:
    """A member with 0,00 % never receives a rounding krona."""
    assert largest_remainder(1, [0, 1, 1]) == (0, 1, 0)


def test_largest_remainder_refuses_what_cannot_be_split() -> None:
    """No weights, negative weights or all-zero weights are refused."""
    for weights in ([], [-1, 2], [0, 0]):
        with pytest.raises(ValueError):
            largest_remainder(10, weights)


@pytest.mark.parametrize(
    "total", [0, 1, 2, 3, 7, 99, 101, 999_999, 1_000_001, 22_770_001, 123_456_789, 10**12 + 7]
)
def test_awkward_totals_sum_exactly(total: int) -> None:
    """Totals that do not divide by 4 or by the key still sum exactly, at every level."""
    assert_exact(split_contribution(total, uppsala_key()), uppsala_key())


def test_random_totals_and_keys_always_sum_exactly() -> None:
    """Property: for 2 000 random totals and keys, every split sums exactly and stays within a krona."""
    rng = random.Random(20301)
    for _ in range(2_000):
        key = ContributionKey(
            regions=random_key(rng, rng.randint(1, 3), "Region"),
            municipalities=random_key(rng, rng.randint(1, 20), "Kommun"),
        )
        total = rng.choice([rng.randint(0, 100), rng.randint(0, 10**6), rng.randint(0, 10**9)])
        split = split_contribution(total, key)
        assert_exact(split, key)
        municipal = [m for m in split.members if m.group is MemberGroup.MUNICIPALITY]
        # The spare kronor are fewer than the members sharing them.
        assert sum(m.adjustment for m in municipal) < len(municipal)


def test_random_splits_are_deterministic() -> None:
    """Property: the same total and key always give the same amounts."""
    rng = random.Random(7)
    for _ in range(200):
        key = ContributionKey(
            regions=random_key(rng, 2, "Region"), municipalities=random_key(rng, 9, "Kommun")
        )
        total = rng.randint(0, 10**8)
        assert split_contribution(total, key) == split_contribution(total, key)


# --------------------------------------------------------------------------- key validation


def test_valid_key_has_no_problem() -> None:
    """A key of named members summing to 100,00 % is accepted."""
    assert validate_key((KeyShare("A", 2_550), KeyShare("B", 7_450))) is None
    assert validate_contribution_key(uppsala_key()) is None


def test_key_not_summing_to_100_percent_is_refused_with_the_gap() -> None:
    """99,98 % is refused, and the reason says how much is missing, in Swedish and English."""
    problem = validate_key((KeyShare("A", 4_999), KeyShare("B", 4_999)), MemberGroup.MUNICIPALITY)
    assert problem is not None
    assert problem.code is KeyProblemCode.WRONG_SUM
    assert problem.message_sv == (
        "Kommunernas fördelningsnyckel: Andelarna summerar till 99,98\u00a0% men ska bli exakt "
        "100,00\u00a0% (0,02\u00a0% saknas)."
    )
    assert problem.message_en == (
        "Municipality key: The shares sum to 99.98 % but must sum to exactly 100.00 % "
        "(0.02 % missing)."
    )


def test_key_over_100_percent_says_too_much() -> None:
    """100,01 % is refused as too much."""
    problem = validate_key((KeyShare("A", 5_001), KeyShare("B", 5_000)))
    assert problem is not None and problem.code is KeyProblemCode.WRONG_SUM
    assert problem.message_sv.endswith("(0,01\u00a0% för mycket).")


def test_empty_key_is_refused() -> None:
    """A key with no members is refused."""
    problem = validate_key(())
    assert problem is not None and problem.code is KeyProblemCode.EMPTY


def test_negative_share_is_refused_naming_the_member() -> None:
    """A negative share is refused even if the sum is right."""
    problem = validate_key((KeyShare("Heby", -100), KeyShare("Tierp", 10_100)))
    assert problem is not None
    assert problem.code is KeyProblemCode.NEGATIVE_SHARE
    assert problem.member == "Heby"
    assert "Heby" in problem.message_sv and "-1,00" in problem.message_sv


def test_member_twice_in_a_key_is_refused() -> None:
    """The same kommun twice (even with different spacing) is refused."""
    problem = validate_key((KeyShare("Knivsta", 5_000), KeyShare(" Knivsta ", 5_000)))
    assert problem is not None
    assert problem.code is KeyProblemCode.DUPLICATE_MEMBER
    assert problem.member == "Knivsta"


def test_blank_member_is_refused() -> None:
    """A key row without a member name is refused."""
    problem = validate_key((KeyShare("  ", 10_000),))
    assert problem is not None and problem.code is KeyProblemCode.BLANK_MEMBER


def test_contribution_key_names_the_group_at_fault() -> None:
    """A bad region key is reported as the region key's problem."""
    key = ContributionKey(
        regions=(KeyShare("Region", 9_000),), municipalities=uppsala_key().municipalities
    )
    problem = validate_contribution_key(key)
    assert problem is not None
    assert problem.group is MemberGroup.REGION
    assert problem.message_sv.startswith("Regionernas fördelningsnyckel:")


def test_contribution_key_needs_at_least_one_kommun() -> None:
    """An association without kommuner in its key cannot split the kommun quarter."""
    key = ContributionKey(regions=(KeyShare("Region", FULL_KEY),), municipalities=())
    problem = validate_contribution_key(key)
    assert problem is not None
    assert (problem.group, problem.code) == (MemberGroup.MUNICIPALITY, KeyProblemCode.EMPTY)


def test_split_with_an_invalid_key_raises_with_the_reason() -> None:
    """Splitting with a bad key raises InvalidKeyError carrying the problem."""
    key = ContributionKey(
        regions=(KeyShare("Region", FULL_KEY),), municipalities=(KeyShare("A", 1),)
    )
    with pytest.raises(InvalidKeyError, match="Municipality key") as raised:
        split_contribution(1_000, key)
    assert raised.value.problem.code is KeyProblemCode.WRONG_SUM


# --------------------------------------------------------------------------- keys from populations


def test_key_from_populations_sums_to_100_percent() -> None:
    """Populations 1/1/1 give 33,34 / 33,33 / 33,33 %: the first in order takes the spare point."""
    key = key_from_populations({"A": 1, "B": 1, "C": 1})
    assert key == (KeyShare("A", 3_334), KeyShare("B", 3_333), KeyShare("C", 3_333))


def test_key_from_seed_amounts_is_a_valid_key() -> None:
    """The eight Uppsala kommuner give a valid key in basis points."""
    key = key_from_populations(SEED_KOMMUN_AMOUNTS)
    assert validate_key(key) is None
    assert dict((s.member, s.basis_points) for s in key)["Uppsala"] == 6_023


def test_random_populations_give_valid_monotone_keys() -> None:
    """Property: derived keys always sum to 10000, and a larger population never gets a smaller share."""
    rng = random.Random(1101)
    for _ in range(1_000):
        populations = {f"Kommun {i}": rng.randint(0, 300_000) for i in range(rng.randint(1, 30))}
        if not any(populations.values()):
            continue
        key = key_from_populations(populations)
        assert validate_key(key) is None
        by_population = sorted(key, key=lambda s: populations[s.member])
        shares = [s.basis_points for s in by_population]
        assert shares == sorted(shares)


def test_key_from_populations_refuses_no_or_negative_populations() -> None:
    """No populations, a negative population or only zeros cannot make a key."""
    for populations in ({}, {"A": -1, "B": 2}, {"A": 0}):
        with pytest.raises(ValueError):
            key_from_populations(populations)
