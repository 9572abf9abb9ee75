"""The workbook's layout as both directions share it: the sheet names, the headings and labels
the template prints, the Excel number formats, the columns export_budget writes and the limits
on how much of an uploaded sheet is read.
"""

from __future__ import annotations

from applications.budget import BudgetBlock

DETAILED_SHEET = "Budget - detaljerad"
SUMMARY_SHEET = "Budgetsammanställning"
LABEL_HEADER = "Kostnadsslag"
FTE_HEADER = "Tjänst %"
FROM_HEADER = "Period från"
TO_HEADER = "Period till"
ALL_OWNERS_HEADER = "Alla insatsägare"
PERIOD_LABEL = "Insatsens löptid"
BLOCK_TOTAL_LABELS = {
    BudgetBlock.ASSOCIATION: "Totalt från Samordningsförbundet",
    BudgetBlock.COFUNDING: "Summa egenfinansiering",
}
GRAND_TOTAL_LABEL = "Total kostnad för insatsen"
YEARS_HEADING = "Kostnader per år att rekvirera från Samordningsförbundet"
YEAR_ROW_LABELS = {
    "year": "År",
    "salaries": "Lönekostnader inkl. PO-pålägg",
    "premises": "Lokalkostnader",
    "other": "Övriga kostnader",
    "total": "Totalt",
}

# Excel stores digit grouping as "," whatever the language; Swedish Excel shows "#,##0" as
# "# ##0", i.e. 1 200 000. A literal space in the code would not group millions.
KRONOR_FORMAT = "#,##0"
PERCENT_FORMAT = "0%"  # tjänst % as Excel's own percent, so typing "50" in the cell gives 50 %
DATE_FORMAT = "yyyy-mm-dd"

# The template's columns, as export_budget writes them.
_LABEL_COL, _FTE_COL, _FROM_COL, _TO_COL, _FIRST_OWNER_COL = 1, 2, 3, 4, 5
_MIN_SALARY_ROWS = 5  # like the template: room to add roles inside the sums' ranges

# What the importer reads at most; a budget is a page or two, not a database.
_MAX_ROWS = 2000
_MAX_COLUMNS = 60
_MAX_RANGE_CELLS = 20_000


def owner_role(index: int) -> str:
    """The template's name for an owner column: Huvudinsatsägare, Delinsatsägare 1, …"""
    return "Huvudinsatsägare" if index == 0 else f"Delinsatsägare {index}"
