"""Checking an upload before and after it is read: the import's result and its warnings (where
in the workbook, and why), the bytes refused unread (not an .xlsx, an old .xls, an .ods, empty,
or unpacking to too much), and the Swedish messages that say what to do instead.
"""

from __future__ import annotations

import io
import zipfile

import msgspec

from applications.budget import Budget


class ImportWarning(msgspec.Struct, frozen=True, kw_only=True):
    """Something in an uploaded workbook read with doubt or left out: where it is, and why."""

    sheet: str
    cell: str  # e.g. "C14"; empty when the warning is about the whole file
    message: str


class ImportResult(msgspec.Struct, frozen=True, kw_only=True):
    """A budget read from a workbook, or None when the file is no budget template; and warnings."""

    budget: Budget | None
    warnings: list[ImportWarning] = []


_NOT_XLSX = (
    "Filen kunde inte läsas som en Excel-arbetsbok (.xlsx). Fyll i budgetmallen, spara den i "
    "Excel som ”Excel-arbetsbok (*.xlsx)” och ladda upp den igen."
)
_OLD_XLS = (
    "Filen är sparad i det äldre Excel-formatet .xls. Öppna den i Excel, spara den som "
    "”Excel-arbetsbok (*.xlsx)” och ladda upp den igen."
)
_ODS = (
    "Filen är ett OpenDocument-kalkylark (.ods). Spara den som ”Excel-arbetsbok (*.xlsx)” och "
    "ladda upp den igen."
)
_EMPTY = "Filen är tom. Välj den ifyllda budgetmallen (.xlsx) och ladda upp den igen."
# A filled template unpacks to well under a megabyte; reading one costs about 35 times its
# unpacked size in memory, so a small file that unpacks to much more is refused unread.
MAX_UNPACKED_BYTES = 5 * 1024 * 1024
MAX_MEMBERS = 200
_TOO_LARGE = (
    "Arbetsboken är för stor för en budget (mer än 5 MB uppackad). Använd budgetmallen från "
    "ansökan, med budgeten på ett eller två blad."
)
_NO_TEMPLATE = (
    "Arbetsboken ser inte ut som budgetmallen: ingen rad med kolumnrubriken "
    "”Alla insatsägare” hittades. Använd mallen ”Budget - detaljerad” från ansökan."
)
_UNEXPECTED = (
    "Budgeten kunde inte läsas ur filen på grund av ett oväntat fel. Kontrollera att det är "
    "budgetmallen och försök igen, eller fyll i budgeten direkt i ansökan."
)


def _file_problem(data: bytes) -> str | None:
    """Why the bytes cannot be an .xlsx workbook, in Swedish; None when they may be one."""
    if not data:
        return _EMPTY
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE container of Office 97-2003 files
        return _OLD_XLS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # Only the central directory: what each part says it unpacks to, which is also
            # as far as reading a part goes.
            members = archive.infolist()
            if len(members) > MAX_MEMBERS or (
                sum(member.file_size for member in members) > MAX_UNPACKED_BYTES
            ):
                return _TOO_LARGE
            names = {member.filename for member in members}
            if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
                return _ODS
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, RuntimeError):
        return _NOT_XLSX
    return None if "xl/workbook.xml" in names else _NOT_XLSX


def _failure(message: str) -> ImportResult:
    return ImportResult(budget=None, warnings=[ImportWarning(sheet="", cell="", message=message)])
