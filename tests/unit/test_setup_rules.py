"""The first-run set-up's rules as plain functions: the members the law names, the keys."""

from __future__ import annotations

from portfolio.core.domain import OrganisationKind as K
from portfolio.register.setup import SetupMember, setup_problems, setup_shares

LAWFUL = [
    SetupMember("Försäkringskassan", K.FK),
    SetupMember("Arbetsförmedlingen", K.AF),
    SetupMember("Region Nordväst", K.REGION),
    SetupMember("Alfa kommun", K.KOMMUN, 7000),
    SetupMember("Beta kommun", K.KOMMUN, 3000),
]


def test_a_lawful_set_up_has_no_problems_and_a_lone_region_takes_the_whole_key() -> None:
    assert setup_problems("Förbundet", LAWFUL, [2027, 2028]) == []
    assert setup_shares(LAWFUL)["Region Nordväst"] == 10_000
    assert setup_shares(LAWFUL)["Alfa kommun"] == 7000
    assert "Försäkringskassan" not in setup_shares(LAWFUL)


def test_every_problem_is_named_at_once() -> None:
    members = [SetupMember("Alfa kommun", K.KOMMUN, 6000), SetupMember("Beta kommun", K.KOMMUN)]
    messages = [p.message for p in setup_problems(" ", members, [2027, 2027])]
    assert "Ange förbundets namn." in messages
    assert any("Försäkringskassan, Arbetsförmedlingen, minst en region" in m for m in messages)
    assert any(m.startswith("Kommunernas fördelningsnyckel: Andelarna summerar") for m in messages)
    assert "Varje år kan bara ha en budget." in messages


def test_a_share_for_fk_and_a_member_named_twice_are_refused() -> None:
    members = [*LAWFUL, SetupMember("Alfa kommun", K.KOMMUN, 0)]
    members[0] = SetupMember("Försäkringskassan", K.FK, 5000)
    fields = [p.message for p in setup_problems("Förbundet", members, [])]
    assert any("finns bara för kommuner och regioner" in m for m in fields)
    assert any(m == "Alfa kommun finns med mer än en gång." for m in fields)
