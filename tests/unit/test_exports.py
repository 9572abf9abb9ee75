"""The export formats as pure functions: commitments per year and 360Giving."""

from __future__ import annotations

import csv
import datetime as dt
import io

from portfolio.economy.exports import (
    GIVING360_CSV_COLUMNS,
    CommitmentLine,
    Grant,
    commitments_table,
    giving360,
    giving360_csv,
    org_identifier,
)


def test_commitments_table_has_a_column_per_year_and_exact_sums() -> None:
    header, rows = commitments_table(
        [
            CommitmentLine(initiative_id=1, name="A", owner="X", amounts={2030: 1, 2032: 2}),
            CommitmentLine(initiative_id=2, name="B", owner="Y", amounts={2031: 5}),
        ]
    )
    assert header == ["Id", "Insats", "Huvudinsatsägare", "2030", "2031", "2032", "Totalt"]
    assert rows == [
        [1, "A", "X", 1, 0, 2, 3],
        [2, "B", "Y", 0, 5, 0, 5],
        ["", "Summa", "", 1, 5, 2, 8],
    ]


def test_org_identifiers_follow_org_id_guide_for_swedish_org_numbers() -> None:
    assert org_identifier("212000-0142", "fallback") == "SE-BLV-2120000142"
    assert org_identifier("", "fallback") == "fallback"
    assert org_identifier("12-34", "fallback") == "fallback"


def test_360giving_json_and_csv_carry_the_required_fields() -> None:
    grant = Grant(
        decision_id=7,
        title="Ung framtid",
        description="",
        amount=1_965_000,
        award_date=dt.date(2021, 9, 16),
        start=dt.date(2022, 1, 1),
        end=None,
        recipient_name="Tierps kommun",
        recipient_org_number="212000-0142",
        modified=dt.datetime(2021, 9, 16, 14, 0, tzinfo=dt.UTC),
    )
    package = giving360([grant], "Samordningsförbundet", "222000-2261")
    (entry,) = package["grants"]
    required = {"id", "title", "description", "currency", "amountAwarded", "awardDate"}
    assert required <= set(entry)
    assert entry["id"] == "360G-finsam-SE-BLV-2220002261-7"
    assert entry["description"] == "Ung framtid"  # never empty: the standard requires it
    assert entry["plannedDates"] == [{"startDate": "2022-01-01"}]
    assert entry["recipientOrganization"] == [{"id": "SE-BLV-2120000142", "name": "Tierps kommun"}]
    rows = list(csv.reader(io.StringIO(giving360_csv(package).decode())))
    assert tuple(rows[0]) == GIVING360_CSV_COLUMNS
    assert rows[1][4] == "1965000" and rows[1][8] == "SE-BLV-2120000142"


def test_a_funder_without_an_org_number_does_not_double_the_360giving_prefix() -> None:
    """An association without an org number: 360G-finsam-funder-7, not 360G-finsam-360G-…."""
    grant = Grant(
        decision_id=7,
        title="Ung framtid",
        description="",
        amount=1,
        award_date=dt.date(2021, 9, 16),
        start=None,
        end=None,
        recipient_name="Tierps kommun",
        recipient_org_number="",
        modified=dt.datetime(2021, 9, 16, 14, 0, tzinfo=dt.UTC),
    )
    (entry,) = giving360([grant], "Samordningsförbundet", "")["grants"]
    assert entry["id"] == "360G-finsam-funder-7"
    assert entry["id"].count("360G") == 1


def test_csv_and_workbooks_never_carry_a_formula_from_user_text() -> None:
    """OWASP's CSV injection: a name starting with = + - @ reaches Excel as text."""
    from openpyxl import load_workbook

    from portfolio.core.spreadsheets import to_csv, to_xlsx

    names = ['=HYPERLINK("http://evil.example")', "+1", "-2+3", "@SUM(A1)", "Vanlig"]
    rows = [(n, 1_000) for n in names]
    text = to_csv(["Namn", "Belopp"], rows).decode("utf-8-sig")
    read = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [r[0] for r in read[1:]] == ["'" + n for n in names[:4]] + ["Vanlig"]
    assert [r[1] for r in read[1:]] == ["1000"] * 5  # numbers untouched
    sheet = load_workbook(io.BytesIO(to_xlsx([("Blad", ["Namn", "Belopp"], rows)])))["Blad"]
    assert [(c.value, c.data_type) for c in sheet["A"][1:]] == [(n, "s") for n in names]
    assert [c.value for c in sheet["B"][1:]] == [1_000] * 5
