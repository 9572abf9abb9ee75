"""Decisions: the seed's att-satser, the conditions they set, commitments per year and vote tallies."""

from __future__ import annotations

import datetime as dt
import random

import msgspec
import pytest

from portfolio.core.domain import Body, ConditionKind
from portfolio.core.formatting import format_kronor
from portfolio.meetings.decisions import (
    CLAUSE_KIND_LABELS,
    COMPLIANCE_TEXT,
    FUNDING_RESERVATION_TEXT,
    OTHER_STANDARD_CLAUSES,
    OUTCOME_LABELS,
    VOTE_CHOICE_LABELS,
    Clause,
    ClauseKind,
    DecisionOutcome,
    ProposedGrant,
    VoteChoice,
    check_commitments,
    classify_clause,
    conditions_from_clauses,
    extension_requirements_clause,
    grant_clause,
    is_partly_granted,
    join_swedish,
    normalise_clause,
    other_clause,
    split_commitments,
    standard_clauses,
    supersede_label,
    whole_years,
)
from portfolio.meetings.votes import Vote, tally

NBSP = "\u00a0"
D = dt.date

# The seed's clauses (seeds/002) as the PDF text breaks them, line ends and trailing spaces kept.
SEED_EN_VAG_IN_GRANT = "\n".join(
    [
        "att bevilja finansiellt stöd för insatsen En väg in-steget vidare för perioden 1 januari 2022 ",
        "fram till 31 december 2022, maximalt 1 965 000 kronor, 1 år med eventuell option på ",
        "förlängning. ",
    ]
)
SEED_UNG_FRAMTID_GRANT = "\n".join(
    [
        "att bevilja finansiellt stöd för insatsen Ung framtid för perioden 1 januari 2022 fram till 31 ",
        "december 2022, maximalt 2 803 333 kronor, 1 år med eventuell option på förlängning. ",
    ]
)
SEED_ARBETSLIVSINTRO_GRANT = "\n".join(
    [
        "att bevilja finansiellt stöd enligt ansökan för insatsen Arbetslivsintro Uppsala  ",
        "för perioden 1 januari 2022 fram till 31 december 2022, maximalt 3 375 350 kronor, 1 år ",
        "med eventuell option på förlängning. ",
    ]
)
SEED_FRAMSTEGET_GRANT = "\n".join(
    [
        "att bevilja finansiellt stöd enligt ansökan för insatsen Framsteget 2.0, för perioden  ",
        "1 januari 2022 fram till 31 december 2022, maximalt 3 597 500 kronor,1 år med eventuell ",
        "option på förlängning. ",
    ]
)
SEED_EXTENSION = "\n".join(
    [
        "att vid ansökan om förlängning ska parternas egenfinansiering framgå, en tydligare ",
        "beskrivning av hur insatsen ska utvecklas gällande målgrupp, innehåll och implementering ",
        "formuleras. Samt ett förtydligande kring hur ordinarie verksamheter kompletterar insatsen. ",
    ]
)
SEED_FUNDING = "\n".join(
    [
        "att finansieringen av insatsen gäller under förutsättning att förbundet beviljas medel från ",
        "medlemsorganisationerna framöver. ",
    ]
)
SEED_COMPLIANCE = "\n".join(
    [
        "att finansiering av insatsen gäller under förutsättning att insatsen följer aktuell ansökan, ",
        "gällande lagstiftning och av förbundet antagna styrdokument. ",
    ]
)
# The Bedömning of the same proposals lists the requirements regularly; the clause follows it.
SEED_ASSESSMENT_LIST = (
    "parternas egenfinansiering i insatsen, en tydligare beskrivning av hur insatsen ska "
    "utvecklas gällande målgrupp, innehåll och implementering samt ett förtydligande kring hur "
    "ordinarie verksamheter kompletterar insatsen"
)
SEED_REQUIREMENTS = [
    "parternas egenfinansiering i insatsen",
    "en tydligare beskrivning av hur insatsen ska utvecklas gällande målgrupp, innehåll och "
    "implementering",
    "ett förtydligande kring hur ordinarie verksamheter kompletterar insatsen",
]


def norm(text: str) -> str:
    """One line, single spaces, the no-break spaces of our amounts read as plain spaces."""
    return " ".join(text.replace(NBSP, " ").split())


def one_year(initiative: str, amount: int, **kwargs: bool) -> ProposedGrant:
    """A seed-style proposal: calendar 2022, option on extension, the seed's requirements."""
    return ProposedGrant(
        initiative=initiative,
        period_start=D(2022, 1, 1),
        period_end=D(2022, 12, 31),
        amount=amount,
        extension_option=True,
        extension_requirements=SEED_REQUIREMENTS,
        **kwargs,
    )


def vote(
    member: str, choice: VoteChoice | None, *, conflict: bool = False, chair: bool = False
) -> Vote:
    """A member's vote."""
    return Vote(member=member, choice=choice, conflict=conflict, chair=chair)


def votes(yes: int, no: int, abstain: int = 0) -> list[Vote]:
    """Ordinary members' votes, none of them the chair."""
    choices = [VoteChoice.YES] * yes + [VoteChoice.NO] * no + [VoteChoice.ABSTAIN] * abstain
    return [vote(f"Ledamot {i}", choice) for i, choice in enumerate(choices, start=1)]


# Labels


def test_outcomes_and_vote_choices_have_swedish_labels() -> None:
    """Every outcome and vote choice has its Swedish label."""
    assert OUTCOME_LABELS == {
        DecisionOutcome.GRANTED: "Bifall",
        DecisionOutcome.PARTLY_GRANTED: "Delvis bifall",
        DecisionOutcome.REJECTED: "Avslag",
        DecisionOutcome.TABLED: "Bordlagt",
    }
    assert VOTE_CHOICE_LABELS == {
        VoteChoice.YES: "Ja",
        VoteChoice.NO: "Nej",
        VoteChoice.ABSTAIN: "Avstår",
    }
    assert set(CLAUSE_KIND_LABELS) == set(ClauseKind)


# The grant clauses of seeds/002


def test_en_vag_in_clauses_reproduce_the_seed() -> None:
    """En väg in-steget vidare: all four att-satser read as in the seed, apart from the extension one."""
    clauses = standard_clauses(one_year("En väg in-steget vidare", 1_965_000))
    assert [clause.kind for clause in clauses] == [
        ClauseKind.GRANT,
        ClauseKind.EXTENSION_REQUIREMENTS,
        ClauseKind.FUNDING_RESERVATION,
        ClauseKind.COMPLIANCE,
    ]
    assert norm(clauses[0].text) == norm(SEED_EN_VAG_IN_GRANT)
    assert norm(clauses[2].text) == norm(SEED_FUNDING)
    assert norm(clauses[3].text) == norm(SEED_COMPLIANCE)


def test_ung_framtid_grant_clause_reproduces_the_seed() -> None:
    """Ung framtid: 2 803 333 kronor for 2022 with an option, word for word."""
    clauses = standard_clauses(one_year("Ung framtid", 2_803_333))
    assert norm(clauses[0].text) == norm(SEED_UNG_FRAMTID_GRANT)
    assert [norm(c.text) for c in clauses[2:]] == [norm(SEED_FUNDING), norm(SEED_COMPLIANCE)]


def test_grant_amount_is_grouped_with_no_break_spaces() -> None:
    """The amount in the clause keeps its digits together with U+00A0, as format_kronor writes it."""
    text = grant_clause(one_year("Ung framtid", 2_803_333)).text
    assert f"maximalt 2{NBSP}803{NBSP}333 kronor" in text
    assert "2 803 333" not in text


def test_grant_according_to_application_reproduces_the_seed() -> None:
    """Arbetslivsintro Uppsala: the "enligt ansökan" wording of the seed."""
    grant = one_year("Arbetslivsintro Uppsala", 3_375_350, as_applied=True)
    assert norm(grant_clause(grant).text) == norm(SEED_ARBETSLIVSINTRO_GRANT)


def test_framsteget_seed_clause_differs_only_by_its_typing_slips() -> None:
    """Framsteget 2.0: the seed has a stray comma after the name and no space after "kronor,"."""
    ours = norm(grant_clause(one_year("Framsteget 2.0", 3_597_500, as_applied=True)).text)
    seed = norm(SEED_FRAMSTEGET_GRANT)
    assert ours != seed
    assert seed.replace("2.0, för", "2.0 för").replace("kronor,1", "kronor, 1") == ours


def test_option_names_the_period_in_whole_years() -> None:
    """Two whole years read "2 år"; a period of whole years starting mid-year counts too."""
    grant = ProposedGrant(
        initiative="X",
        period_start=D(2022, 7, 1),
        period_end=D(2024, 6, 30),
        amount=100,
        extension_option=True,
    )
    assert grant_clause(grant).text.endswith(", 2 år med eventuell option på förlängning.")


def test_option_omits_the_years_when_the_period_is_not_whole_years() -> None:
    """Eighteen months: the option is there, without a number of years."""
    grant = ProposedGrant(
        initiative="X",
        period_start=D(2022, 7, 1),
        period_end=D(2023, 12, 31),
        amount=100,
        extension_option=True,
    )
    assert grant_clause(grant).text.endswith("100 kronor, med eventuell option på förlängning.")


def test_grant_without_option_ends_at_the_amount() -> None:
    """No option: the clause ends with the ceiling."""
    grant = ProposedGrant(
        initiative="X", period_start=D(2022, 1, 1), period_end=D(2022, 12, 31), amount=5_000
    )
    assert grant_clause(grant).text.endswith(f"maximalt 5{NBSP}000 kronor.")


def test_whole_years() -> None:
    """Whole years are counted from the start day to the day before its anniversary."""
    assert whole_years(D(2022, 1, 1), D(2022, 12, 31)) == 1
    assert whole_years(D(2022, 1, 1), D(2024, 12, 31)) == 3
    assert whole_years(D(2022, 3, 15), D(2023, 3, 14)) == 1
    assert whole_years(D(2022, 1, 1), D(2022, 12, 30)) is None
    assert whole_years(D(2022, 1, 1), D(2022, 6, 30)) is None
    assert whole_years(D(2024, 2, 29), D(2025, 2, 28)) is None


def test_proposed_grant_refuses_negative_amount_and_reversed_period() -> None:
    """A proposal cannot grant a negative sum or end before it starts."""
    with pytest.raises(ValueError):
        ProposedGrant(
            initiative="X", period_start=D(2022, 1, 1), period_end=D(2022, 12, 31), amount=-1
        )
    with pytest.raises(ValueError):
        ProposedGrant(
            initiative="X", period_start=D(2022, 1, 1), period_end=D(2021, 12, 31), amount=1
        )


def test_proposed_grant_decodes_from_json() -> None:
    """A proposal travels as JSON with ISO dates and int kronor."""
    raw = b'{"initiative": "Ung framtid", "period_start": "2022-01-01", "period_end": "2022-12-31", "amount": 2803333}'
    grant = msgspec.json.decode(raw, type=ProposedGrant)
    assert grant.amount == 2_803_333 and grant.extension_requirements == []


# The extension requirement clause


def test_extension_clause_lists_the_seed_requirements_as_its_assessment_does() -> None:
    """Three requirements: "ska följande framgå:" then "a, b samt c", as the seed's Bedömning lists them."""
    clause = extension_requirements_clause(SEED_REQUIREMENTS)
    assert (
        clause.text
        == f"att vid ansökan om förlängning ska följande framgå: {SEED_ASSESSMENT_LIST}."
    )
    assert clause.items == SEED_REQUIREMENTS


def test_extension_clause_carries_the_seed_requirements_in_substance() -> None:
    """The seed's irregular att-sats holds the same requirements ("i insatsen" aside) in the same order."""
    seed = norm(SEED_EXTENSION)
    assert seed.startswith("att vid ansökan om förlängning ska ")
    positions = [
        seed.index(norm(item).removesuffix(" i insatsen").removeprefix("ett ").removeprefix("en "))
        for item in SEED_REQUIREMENTS
    ]
    assert positions == sorted(positions)


def test_single_extension_requirement_reads_as_one_sentence() -> None:
    """One requirement: "att vid ansökan om förlängning ska X framgå."."""
    clause = extension_requirements_clause(["parternas egenfinansiering "])
    assert clause.text == "att vid ansökan om förlängning ska parternas egenfinansiering framgå."


def test_extension_clause_needs_a_requirement() -> None:
    """No requirement, no clause; a grant without requirements gets three clauses."""
    with pytest.raises(ValueError):
        extension_requirements_clause([" "])
    grant = ProposedGrant(
        initiative="X", period_start=D(2022, 1, 1), period_end=D(2022, 12, 31), amount=1
    )
    assert [c.kind for c in standard_clauses(grant)] == [
        ClauseKind.GRANT,
        ClauseKind.FUNDING_RESERVATION,
        ClauseKind.COMPLIANCE,
    ]


def test_swedish_lists_join_with_och_unless_an_item_uses_och() -> None:
    """Lists read "a, b och c", or "samt" when an item has its own "och"; stray full stops go."""
    assert join_swedish(["a"]) == "a"
    assert join_swedish(["a", "b."]) == "a och b"
    assert join_swedish(["a", "b", "c"]) == "a, b och c"
    assert join_swedish(["mål och metod", "budget"]) == "mål och metod samt budget"
    assert join_swedish(["tidsplan", "jochen"]) == "tidsplan och jochen"


# Other clauses


def test_other_standard_clauses() -> None:
    """Information, rejection and tabling read as the office writes them."""
    assert set(OTHER_STANDARD_CLAUSES) == {
        ClauseKind.INFORMATION,
        ClauseKind.REJECT,
        ClauseKind.TABLE,
    }
    assert other_clause(ClauseKind.INFORMATION).text == "att lägga informationen till handlingarna"
    assert other_clause(ClauseKind.TABLE).text == "att bordlägga ärendet"
    rejection = other_clause(ClauseKind.REJECT, "Ung framtid")
    assert rejection == Clause(
        kind=ClauseKind.REJECT, text="att inte bevilja finansiellt stöd för insatsen Ung framtid"
    )


def test_rejection_needs_the_insats_name_and_a_grant_is_not_an_other_clause() -> None:
    """A rejection without a name, or a kind with no ready text, is refused."""
    with pytest.raises(ValueError):
        other_clause(ClauseKind.REJECT)
    with pytest.raises(ValueError):
        other_clause(ClauseKind.GRANT, "X")


def test_pasted_seed_clauses_are_recognised() -> None:
    """The seed's clauses, pasted from the PDF, get their kinds; unknown ones are free."""
    kinds = [
        classify_clause(text).kind
        for text in (SEED_EN_VAG_IN_GRANT, SEED_EXTENSION, SEED_FUNDING, SEED_COMPLIANCE)
    ]
    assert kinds == [
        ClauseKind.GRANT,
        ClauseKind.EXTENSION_REQUIREMENTS,
        ClauseKind.FUNDING_RESERVATION,
        ClauseKind.COMPLIANCE,
    ]
    nns = classify_clause("att inte förorda en höjning av serviceavgiften till NNS \n")
    assert nns == Clause(
        kind=ClauseKind.FREE, text="att inte förorda en höjning av serviceavgiften till NNS"
    )
    assert classify_clause("Att bordlägga ärendet").kind is ClauseKind.TABLE
    assert normalise_clause(SEED_FUNDING) == FUNDING_RESERVATION_TEXT
    assert normalise_clause(SEED_COMPLIANCE) == COMPLIANCE_TEXT


# Conditions


def test_conditions_of_a_seed_grant() -> None:
    """Each extension requirement apart, then the two reservations; the grant sets none."""
    conditions = conditions_from_clauses(standard_clauses(one_year("Ung framtid", 2_803_333)))
    assert conditions == [
        ("extension_requirement", SEED_REQUIREMENTS[0]),
        ("extension_requirement", SEED_REQUIREMENTS[1]),
        ("extension_requirement", SEED_REQUIREMENTS[2]),
        ("funding_reservation", FUNDING_RESERVATION_TEXT),
        ("funding_reservation", COMPLIANCE_TEXT),
    ]
    assert all(isinstance(kind, ConditionKind) for kind, _ in conditions)


def test_free_att_clauses_become_free_text_conditions() -> None:
    """A free clause starting "att" is a condition; a free grant, a note or an information clause is not."""
    clauses = [
        Clause(kind=ClauseKind.FREE, text="att  insatsen  redovisar\nlägesrapport i juni"),
        Clause(kind=ClauseKind.FREE, text="att bevilja finansiellt stöd för insatsen X"),
        Clause(kind=ClauseKind.FREE, text="Noteras att ärendet diskuterades."),
        other_clause(ClauseKind.INFORMATION),
        other_clause(ClauseKind.REJECT, "X"),
        other_clause(ClauseKind.TABLE),
    ]
    assert conditions_from_clauses(clauses) == [
        ("free_text", "att insatsen redovisar lägesrapport i juni")
    ]


def test_a_pasted_extension_clause_is_one_requirement() -> None:
    """Without an item list, the pasted seed clause becomes one requirement, whole."""
    conditions = conditions_from_clauses([classify_clause(SEED_EXTENSION)])
    assert conditions == [("extension_requirement", norm(SEED_EXTENSION))]


# Commitments per year


def test_calendar_year_is_one_commitment() -> None:
    """A grant for 2022 is committed in full to 2022."""
    assert split_commitments(1_965_000, D(2022, 1, 1), D(2022, 12, 31)) == {2022: 1_965_000}


def test_eighteen_months_from_july_split_six_and_twelve() -> None:
    """July 2022 to December 2023: 6/18 in 2022, 12/18 in 2023."""
    assert split_commitments(1_800_000, D(2022, 7, 1), D(2023, 12, 31)) == {
        2022: 600_000,
        2023: 1_200_000,
    }


def test_odd_amounts_put_the_remainder_in_the_last_year() -> None:
    """Ung framtid's 8 410 000 over three years: 2 803 333 twice, then 2 803 334."""
    split = split_commitments(8_410_000, D(2022, 1, 1), D(2024, 12, 31))
    assert split == {2022: 2_803_333, 2023: 2_803_333, 2024: 2_803_334}
    assert check_commitments(8_410_000, split, D(2022, 1, 1), D(2024, 12, 31)) == []


def test_a_started_month_counts_as_a_whole_one() -> None:
    """15 December 2022 to 14 January 2023 touches one month in each year."""
    assert split_commitments(101, D(2022, 12, 15), D(2023, 1, 14)) == {2022: 50, 2023: 51}


def test_splits_always_sum_to_the_grant() -> None:
    """Random periods and odd amounts: parts sum exactly, stay in the period, none negative."""
    rng = random.Random(20220101)
    for _ in range(500):
        start = D(2020, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
        end = start + dt.timedelta(days=rng.randrange(5 * 365))
        amount = rng.randrange(10_000_000)
        split = split_commitments(amount, start, end)
        assert sum(split.values()) == amount
        assert sorted(split) == list(range(start.year, end.year + 1))
        assert all(part >= 0 for part in split.values())
        assert check_commitments(amount, split, start, end) == []


def test_split_refuses_negative_amount_and_reversed_period() -> None:
    """Nothing to split for a negative grant or a period that ends before it starts."""
    with pytest.raises(ValueError):
        split_commitments(-1, D(2022, 1, 1), D(2022, 12, 31))
    with pytest.raises(ValueError):
        split_commitments(1, D(2022, 1, 1), D(2021, 12, 31))


def test_check_commitments_names_each_problem_in_swedish() -> None:
    """A wrong sum, a negative year and a year outside the period are each reported."""
    problems = check_commitments(
        1_000_000, {2022: 1_200_000, 2023: -100_000, 2025: 0}, D(2022, 1, 1), D(2023, 12, 31)
    )
    assert problems == [
        f"Åtagandena per år summerar till 1{NBSP}100{NBSP}000 kronor, "
        f"inte till beviljat belopp 1{NBSP}000{NBSP}000 kronor.",
        f"Åtagandet för 2023 är negativt: {format_kronor(-100_000)}.",
        "År 2025 ligger utanför den beviljade perioden 1 januari 2022–31 december 2023.",
    ]


def test_check_commitments_without_period_checks_only_the_sums() -> None:
    """Without a period, any year is accepted as long as the sum and signs are right."""
    assert check_commitments(10, {1999: 4, 2050: 6}) == []
    assert check_commitments(0, {}) == []
    assert len(check_commitments(10, {})) == 1


# Partly granted


def test_one_year_of_a_three_year_application_is_partly_granted() -> None:
    """Ung framtid: 8 410 000 applied for 2022-2024, 2 803 333 granted for 2022."""
    assert is_partly_granted(
        8_410_000, D(2022, 1, 1), D(2024, 12, 31), 2_803_333, D(2022, 1, 1), D(2022, 12, 31)
    )


def test_shorter_period_alone_is_partly_granted() -> None:
    """The full sum over a shorter period, or a later start, is still a partial grant."""
    applied = (1_000, D(2022, 1, 1), D(2023, 12, 31))
    assert is_partly_granted(*applied, 1_000, D(2022, 1, 1), D(2023, 6, 30))
    assert is_partly_granted(*applied, 1_000, D(2022, 4, 1), D(2023, 12, 31))


def test_lower_amount_alone_is_partly_granted() -> None:
    """The full period with less money is a partial grant."""
    assert is_partly_granted(
        1_000, D(2022, 1, 1), D(2022, 12, 31), 999, D(2022, 1, 1), D(2022, 12, 31)
    )


def test_granted_as_applied_or_nothing_is_not_partly_granted() -> None:
    """All that was applied for is a full grant; nothing granted is a rejection."""
    period = (D(2022, 1, 1), D(2022, 12, 31))
    assert not is_partly_granted(1_000, *period, 1_000, *period)
    assert not is_partly_granted(1_000, *period, 0, *period)


# Votes


def test_majority_carries() -> None:
    """Five yes against three no carries; abstentions are not counted but mentioned."""
    result = tally([*votes(5, 3, abstain=1), vote("Ordförande", VoteChoice.YES, chair=True)])
    assert (result.yes, result.no, result.abstain, result.recused) == (6, 3, 1, 0)
    assert result.carried and not result.casting_vote_used
    assert (
        result.summary
        == "Beslutet fattades med 6 ja-röster mot 3 nej-röster. 1 ledamot avstod från att rösta."
    )


def test_majority_against_rejects() -> None:
    """More no than yes: the proposal falls."""
    result = tally(votes(1, 4))
    assert not result.carried
    assert result.summary == "Förslaget avslogs med 4 nej-röster mot 1 ja-röst."


def test_tie_is_decided_by_the_chairs_casting_vote() -> None:
    """Four against four with the chair voting yes: carried by the casting vote."""
    result = tally([*votes(3, 4), vote("Ordförande", VoteChoice.YES, chair=True)])
    assert result.carried and result.casting_vote_used
    assert result.summary == (
        "Beslutet fattades med 4 ja-röster mot 4 nej-röster; ordförandens utslagsröst avgjorde."
    )


def test_tie_with_the_chair_voting_no_rejects_by_casting_vote() -> None:
    """Four against four with the chair voting no: rejected by the casting vote."""
    result = tally([*votes(4, 3), vote("Ordförande", VoteChoice.NO, chair=True)])
    assert not result.carried and result.casting_vote_used
    assert result.summary.startswith("Förslaget avslogs med 4 nej-röster mot 4 ja-röster;")


def test_tie_without_casting_vote_does_not_carry() -> None:
    """Four against four where the chair has no casting vote: the proposal falls."""
    result = tally(
        [*votes(3, 4), vote("Ordförande", VoteChoice.YES, chair=True)], chair_has_casting_vote=False
    )
    assert not result.carried and not result.casting_vote_used
    assert (
        result.summary
        == "Förslaget avslogs vid lika röstetal, 4 ja-röster mot 4 nej-röster, utan utslagsröst."
    )


def test_tie_where_the_chair_abstains_does_not_carry() -> None:
    """A chair who abstains casts no deciding vote."""
    result = tally([*votes(4, 4), vote("Ordförande", VoteChoice.ABSTAIN, chair=True)])
    assert not result.carried and not result.casting_vote_used


def test_members_with_jav_are_left_out_before_counting() -> None:
    """A member with jäv is not counted even if a choice was recorded, so 4-5 becomes a 4-4 tie."""
    members = [
        *votes(3, 4),
        vote("Jävig ledamot", VoteChoice.NO, conflict=True),
        vote("Ordförande", VoteChoice.YES, chair=True),
    ]
    result = tally(members)
    assert (result.yes, result.no, result.recused) == (4, 4, 1)
    assert result.carried and result.casting_vote_used
    assert result.summary.endswith("avgjorde. 1 ledamot deltog inte på grund av jäv.")


def test_a_chair_with_jav_has_no_casting_vote() -> None:
    """When the chair has jäv, a tie among the others is not decided."""
    result = tally([*votes(3, 3), vote("Ordförande", None, conflict=True, chair=True)])
    assert (result.yes, result.no, result.recused) == (3, 3, 1)
    assert not result.carried and not result.casting_vote_used


def test_members_without_a_vote_are_not_counted() -> None:
    """A member with no choice recorded is neither counted nor listed as abstaining."""
    result = tally([*votes(2, 1), vote("Frånvarande", None)])
    assert (result.yes, result.no, result.abstain) == (2, 1, 0)
    assert result.summary == "Beslutet fattades med 2 ja-röster mot 1 nej-röst."


def test_only_one_chair() -> None:
    """Two members marked as chair is an error."""
    with pytest.raises(ValueError):
        tally([vote("A", VoteChoice.YES, chair=True), vote("B", VoteChoice.NO, chair=True)])


# Changed decisions


def test_supersede_label() -> None:
    """An ändringsbeslut names the decision it replaces by date and paragraph."""
    assert (
        supersede_label(D(2022, 3, 10), 7)
        == "Beslutet ersätter förbundsstyrelsens beslut 2022-03-10, § 7."
    )
    assert (
        supersede_label(D(2022, 2, 1), 12, Body.WORKING_COMMITTEE)
        == "Beslutet ersätter arbetsutskottets beslut 2022-02-01, § 12."
    )


def test_vote_lines_are_read_with_the_chair_starred_and_jav_taking_no_part() -> None:
    from portfolio.meetings.decisions import VoteChoice
    from portfolio.meetings.votes import Vote, parse_vote_lines

    votes, problems = parse_vote_lines(
        "*Anna Ek: ja\n\nPer Lind: NEJ\nKarin Berg: avstår\nOmar: jäv"
    )
    assert problems == []
    assert votes == [
        Vote(member="Anna Ek", choice=VoteChoice.YES, chair=True),
        Vote(member="Per Lind", choice=VoteChoice.NO),
        Vote(member="Karin Berg", choice=VoteChoice.ABSTAIN),
        Vote(member="Omar", choice=None, conflict=True),
    ]
    _, problems = parse_vote_lines("Anna Ek ja\n: nej")
    assert [p.split(":")[0] for p in problems] == ["Rad 1", "Rad 2"]


def test_a_grant_follows_the_applications_own_years_where_they_fit_it() -> None:
    """Seed 002's Framsteget 2.0: ÅR 1–3 are 3 597 500, 2 937 500 and 2 822 500."""
    from portfolio.meetings.decisions import split_as_applied

    applied = {2022: 3_597_500, 2023: 2_937_500, 2024: 2_822_500}
    whole = split_as_applied(9_357_500, dt.date(2022, 1, 1), dt.date(2024, 12, 31), applied)
    assert whole == applied
    first = split_as_applied(3_597_500, dt.date(2022, 1, 1), dt.date(2022, 12, 31), applied)
    assert first == {2022: 3_597_500}  # the pack's proposal: the first year only
    # Less than applied, or a period the summary does not cover: pro rata by months.
    assert split_as_applied(3_000_000, dt.date(2022, 1, 1), dt.date(2022, 12, 31), applied) == {
        2022: 3_000_000
    }
    partly = split_as_applied(1_800_000, dt.date(2022, 7, 1), dt.date(2023, 12, 31), applied)
    assert partly == {2022: 600_000, 2023: 1_200_000}
    assert split_as_applied(1_200_000, dt.date(2025, 1, 1), dt.date(2025, 12, 31), applied) == {
        2025: 1_200_000
    }


def test_bifall_for_less_than_applied_is_named_partly_granted() -> None:
    from portfolio.meetings.decisions import outcome_problem, suggested_outcome

    start, end = dt.date(2027, 1, 1), dt.date(2028, 12, 31)
    assert suggested_outcome(1_000_000, start, end, 250_000, start, end).value == "partly_granted"
    assert suggested_outcome(1_000_000, start, end, 1_000_000, start, end).value == "granted"
    shorter = suggested_outcome(1_000_000, start, end, 1_000_000, start, dt.date(2027, 12, 31))
    assert shorter.value == "partly_granted"
    problem = outcome_problem(DecisionOutcome.GRANTED, 1_000_000, start, end, 250_000, start, end)
    assert problem == (
        f"Beviljat belopp {format_kronor(250_000)} är lägre än ansökt "
        f"{format_kronor(1_000_000)}: beslutet är delvis bifall, inte bifall."
    )
    assert (
        outcome_problem(DecisionOutcome.PARTLY_GRANTED, 1_000_000, start, end, 250_000, start, end)
        is None
    )


@pytest.mark.parametrize(
    "clause",
    [
        "att vid ansökan om förlängning ska följande framgå: parternas egenfinansiering, "
        "hur målgruppen nås samt hur insatsen följs upp och utvärderas.",
        "att vid ansökan om förlängning ska följande framgå:\n- parternas egenfinansiering\n"
        "- hur målgruppen nås\n- hur insatsen följs upp och utvärderas",
        "att vid ansökan om förlängning ska följande framgå:\nparternas egenfinansiering\n"
        "hur målgruppen nås\nhur insatsen följs upp och utvärderas.",
        "att vid ansökan om förlängning ska följande framgå: 1. parternas egenfinansiering "
        "2. hur målgruppen nås 3. hur insatsen följs upp och utvärderas.",
    ],
)
def test_a_clause_listing_several_extension_requirements_is_one_condition_each(
    clause: str,
) -> None:
    from portfolio.meetings.decisions import classify_clause, conditions_from_clauses

    assert conditions_from_clauses([classify_clause(clause)]) == [
        (ConditionKind.EXTENSION_REQUIREMENT, "parternas egenfinansiering"),
        (ConditionKind.EXTENSION_REQUIREMENT, "hur målgruppen nås"),
        (ConditionKind.EXTENSION_REQUIREMENT, "hur insatsen följs upp och utvärderas"),
    ]


def test_one_requirement_and_a_wrapped_clause_stay_one_and_written_lists_read_back() -> None:
    from portfolio.meetings.decisions import (
        classify_clause,
        extension_requirements_clause,
        split_requirements,
    )

    one = classify_clause("att vid ansökan om förlängning ska parternas egenfinansiering framgå.")
    assert one.items == ["parternas egenfinansiering"]
    wrapped = "att vid ansökan om förlängning ska följande framgå: egenfinansiering,\nmål samt uppföljning."
    assert split_requirements(wrapped) == ["egenfinansiering", "mål", "uppföljning"]
    for items in (["målgrupp och mål", "uppföljning"], ["a x", "b y", "c z"]):
        assert split_requirements(extension_requirements_clause(items).text) == items


def test_a_grant_clause_in_other_words_is_a_grant_never_a_condition() -> None:
    from portfolio.meetings.decisions import ClauseKind, classify_clause, conditions_from_clauses

    clause = classify_clause(
        "att, med ändring av beslut 2026-12-10 § 1, bevilja finansiellt stöd för insatsen X "
        "för perioden 1 januari 2022 fram till 31 december 2023, maximalt 6 535 000 kronor."
    )
    assert clause.kind is ClauseKind.GRANT
    assert conditions_from_clauses([clause]) == []
    refusal = classify_clause("att, efter omprövning, inte bevilja insatsen X.")
    assert refusal.kind is not ClauseKind.GRANT
