"""The shared input rules (issue 21) as plain functions: Swedish refusals, nesting, addresses,
and renderers that leave out what a document cannot hold."""

from __future__ import annotations

import io

import docx
import msgspec
import openpyxl
import pytest

from applications.budget import Budget
from applications.budget_xlsx import export_budget
from portfolio.core.schemas import email_problem, input_problems, scrub
from portfolio.core.web import json_too_deep, swedish_problem
from portfolio.documents.docx import render_proposal_docx
from portfolio.mail.domain import Message, UnsendableAddress, ascii_address, build_email
from tests.unit.board_documents import LETTERHEAD, proposal_document


@pytest.mark.parametrize(
    ("english", "swedish"),
    [
        ("Expected `int` <= 1000000000 - at `$.amount`", "Belopp får vara högst 1 000 000 000 kr."),
        (
            "Expected `int` >= 0 - at `$.member_contributions`",
            "Medlemsbidrag kan inte vara negativt.",
        ),
        ("Expected `str` of length <= 255 - at `$.title`", "Rubrik får vara högst 255 tecken."),
        ("Object missing required field `name`", "Namn måste fyllas i."),
        (
            "Expected `bool`, got `int` - at `$.is_member`",
            "Fältet is_member ska vara true eller false.",
        ),
        (
            "Invalid RFC3339 encoded date - at `$.meeting_date`",
            "Mötesdatum ska vara ett datum som ÅÅÅÅ-MM-DD.",
        ),
        (
            "Expected `int` <= 1000000000 - at `$.lines[2].amount`",
            "Belopp (lines[2].amount) får vara högst 1 000 000 000 kr.",
        ),
    ],
)
def test_msgspecs_english_is_said_in_swedish_naming_field_and_rule(
    english: str, swedish: str
) -> None:
    assert swedish_problem(english).message == swedish


def test_nesting_is_measured_without_counting_brackets_in_strings() -> None:
    assert not json_too_deep(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', limit=3)
    assert json_too_deep(b"[[[[]]]]", limit=3)
    assert not json_too_deep(b"[[[]]]", limit=3)


@pytest.mark.parametrize(
    "address", ["a@b.se", "kim@bücher.example", "namn.efternamn@xn--bcher-kva.example"]
)
def test_addresses_that_can_be_mailed(address: str) -> None:
    assert email_problem(address) is None


@pytest.mark.parametrize("address", ["å\u202e@x.example", "a@b", "a b@c.se", "@c.se", "a@-x.se"])
def test_addresses_that_cannot_be_mailed(address: str) -> None:
    assert email_problem(address)


def test_a_mail_to_an_internationalised_domain_is_built_as_idna_and_a_utf8_local_part_is_refused() -> (
    None
):
    built = build_email(
        Message("kim@bücher.example", "Kim Åberg", "Ämne", "Text"), "finsam@x.example"
    )
    assert "kim@xn--bcher-kva.example" in str(built["To"])
    with pytest.raises(UnsendableAddress):
        ascii_address("å\u202e@x.example")


def test_input_problems_walk_nested_structs_lists_and_dates() -> None:
    class Line(msgspec.Struct):
        text: str

    class Body(msgspec.Struct):
        lines: list[Line]

    problems = input_problems(Body(lines=[Line("ok"), Line("inte\u0000ok")]))
    assert [p.field for p in problems] == ["lines[1].text"]
    assert "U+0000" in problems[0].message


def test_a_proposal_with_stored_control_characters_and_a_long_title_renders() -> None:
    """What was stored before the checks: the Word document is made, the characters left out."""
    doc = msgspec.structs.replace(
        proposal_document(),
        title="Ärende\u0001 " + "x" * 300,
        letterhead=msgspec.structs.replace(LETTERHEAD, address="Storgatan\u000b 1"),
    )
    document = docx.Document(io.BytesIO(render_proposal_docx(doc)))
    assert len(document.core_properties.title) == 255
    footer = "\n".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "Storgatan 1" in footer
    assert scrub(["a\u0014b", ("c\u007f",)]) == ["ab", ("c",)]


def test_the_budget_workbook_is_made_for_an_insats_name_with_control_characters() -> None:
    workbook = openpyxl.load_workbook(
        io.BytesIO(export_budget(Budget(owners=[]), "Insats\u0001 Alfa"))
    )
    texts = [
        c.value
        for s in workbook.worksheets
        for r in s.iter_rows()
        for c in r
        if isinstance(c.value, str)
    ]
    assert any("Insats Alfa" in t for t in texts)
