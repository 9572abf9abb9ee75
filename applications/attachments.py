"""Checks on an uploaded attachment: its kind by content, its size, a safe name and a storage key.

Pure code (stdlib and msgspec only). `check_upload` never raises for a bad file: it returns an
`AttachmentRefused` carrying a Swedish message naming the file, so that the service can hand the
message straight to the form. Only a programming error (a malformed checksum given to
`storage_key`) raises.
"""

from __future__ import annotations

import enum
import hashlib
import io
import re
import unicodedata
import zipfile

import msgspec

MAX_BYTES = 20 * 1024 * 1024
# Limits on what an Office file (a ZIP) declares it unpacks to. We never inflate anything here,
# but whoever opens the file later (a preview, a reader) would, so a zip bomb is refused at the
# door.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000
MAX_FILENAME_LENGTH = 120
FALLBACK_STEM = "bilaga"

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"


class AttachmentKind(enum.StrEnum):
    """The kinds of file an application may carry; the value is also the stored extension."""

    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"


CONTENT_TYPES: dict[AttachmentKind, str] = {
    AttachmentKind.PDF: "application/pdf",
    AttachmentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    AttachmentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# The part each Office format cannot do without, besides [Content_Types].xml.
_MAIN_PARTS: dict[AttachmentKind, str] = {
    AttachmentKind.DOCX: "word/document.xml",
    AttachmentKind.XLSX: "xl/workbook.xml",
}
# A macro-enabled file (.docm, .xlsm) renamed to .docx still has the main part: refuse it, since
# the office opens these files on its own machines.
_MACRO_PARTS = frozenset({"word/vbaProject.bin", "xl/vbaProject.bin"})


class RefusalReason(enum.StrEnum):
    """Why an upload was refused, for code that wants more than the message."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    WRONG_KIND = "wrong_kind"
    DAMAGED = "damaged"
    ZIP_BOMB = "zip_bomb"
    MACROS = "macros"


class CheckedUpload(msgspec.Struct, frozen=True, kw_only=True):
    """An upload that passed every check, with what is needed to store and serve it."""

    filename: str
    kind: AttachmentKind
    content_type: str
    size: int
    sha256: str


class AttachmentRefused(msgspec.Struct, frozen=True, kw_only=True):
    """An upload that was refused, with a Swedish message for the person who sent it."""

    reason: RefusalReason
    message: str


def check_upload(
    filename: str, data: bytes, max_bytes: int = MAX_BYTES
) -> CheckedUpload | AttachmentRefused:
    """Accept a PDF, DOCX or XLSX up to max_bytes, judged by its content; refuse anything else."""
    shown = _clean_name(filename)[:MAX_FILENAME_LENGTH] or "utan namn"

    if not data:
        return AttachmentRefused(reason=RefusalReason.EMPTY, message=f"Filen {shown} är tom.")
    if len(data) > max_bytes:
        return AttachmentRefused(
            reason=RefusalReason.TOO_LARGE,
            message=f"Filen {shown} är för stor ({_megabytes(len(data))}). "
            f"Största tillåtna storlek är {_megabytes(max_bytes)}.",
        )
    kind = _detect_kind(data)
    if isinstance(kind, RefusalReason):
        messages = {
            RefusalReason.WRONG_KIND: f"Filen {shown} är inte en PDF-, Word- eller Excel-fil.",
            RefusalReason.DAMAGED: f"Filen {shown} är skadad och kan inte läsas.",
            RefusalReason.ZIP_BOMB: f"Filen {shown} packas upp till för mycket data för att kunna tas emot.",
            RefusalReason.MACROS: f"Filen {shown} innehåller makron. Spara den utan makron och försök igen.",
        }
        return AttachmentRefused(reason=kind, message=messages[kind])
    return CheckedUpload(
        filename=sanitise_filename(filename, kind),
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _detect_kind(data: bytes) -> AttachmentKind | RefusalReason:
    """The kind of file the bytes are, or why they are not one we take."""
    if data.startswith(PDF_MAGIC):
        return AttachmentKind.PDF
    if not data.startswith(ZIP_MAGIC):
        return RefusalReason.WRONG_KIND
    try:
        # Only the central directory is read: nothing is decompressed.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return RefusalReason.DAMAGED
    if len(members) > MAX_ZIP_MEMBERS:
        return RefusalReason.ZIP_BOMB
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        return RefusalReason.ZIP_BOMB
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names:
        return RefusalReason.WRONG_KIND
    for kind, main_part in _MAIN_PARTS.items():
        if main_part in names:
            return RefusalReason.MACROS if names & _MACRO_PARTS else kind
    return RefusalReason.WRONG_KIND


def sanitise_filename(name: str, kind: AttachmentKind | None = None) -> str:
    """A name safe to show and to offer for download, with the extension matching kind.

    Only the last path part is kept; letters of any script, digits, space, dot, dash and
    underscore survive. The result is never empty ("bilaga.pdf") and at most
    MAX_FILENAME_LENGTH characters. Without kind the name's own extension is kept.
    """
    stem, extension = _split_extension(_clean_name(name))
    if kind is not None:
        extension = kind.value
    suffix = f".{extension}" if extension else ""
    # A leading dot hides a file on Unix; trailing dots and spaces are dropped by Windows.
    stem = stem.strip(" .")[: MAX_FILENAME_LENGTH - len(suffix)].rstrip(" .")
    return f"{stem or FALLBACK_STEM}{suffix}"


def _clean_name(name: str) -> str:
    """The last path part of name with unsafe characters gone and whitespace collapsed."""
    # Browsers on macOS send å as a + combining ring; compose it so it stays one letter.
    name = unicodedata.normalize("NFC", name)
    # Old browsers on Windows sent the full path; either separator may come from any client.
    name = re.split(r"[/\\]", name)[-1]
    kept: list[str] = []
    for char in name:
        category = unicodedata.category(char)
        if char.isspace():
            kept.append(" ")
        elif category[0] == "C":
            # Control and format characters vanish; a right-to-left override could otherwise
            # show "exe.pdf" for a name that ends in "fdp.exe".
            continue
        elif category[0] in "LM" or category == "Nd" or char in ".-_":
            kept.append(char)
        elif category == "Pd":
            kept.append("-")  # "2025–2026" keeps its dash
        else:
            kept.append(" ")  # "budget (2)" becomes "budget 2", not "budget2"
    return " ".join("".join(kept).split())


def _split_extension(name: str) -> tuple[str, str]:
    """Stem and extension, where only a short run of letters and digits counts as an extension."""
    stem, dot, extension = name.rpartition(".")
    # "Protokoll 2025.03.01" has no extension to replace; "budget.xlsx" and ".pdf" do.
    if dot and re.fullmatch(r"[^\W_]{1,5}", extension) and not extension.isdigit():
        return stem, extension
    return name, ""


def _megabytes(size: int) -> str:
    """A size in whole or tenths of MB, Swedish style: "20 MB", "20,5 MB"."""
    tenths = round(size * 10 / (1024 * 1024))
    whole, rest = divmod(tenths, 10)
    number = f"{whole},{rest}" if rest else str(whole)
    return f"{number}\u00a0MB"


_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def storage_key(sha256: str) -> str:
    """The relative path "ab/cd/<sha256>" a file is stored under.

    Content addressing stores the same file once however often it is uploaded, and names never
    collide; two directory levels keep any one directory small.
    """
    # The key becomes a path on disk, so nothing but a checksum may pass.
    if not _SHA256_HEX.fullmatch(sha256):
        raise ValueError(f"not a lowercase hex SHA-256: {sha256!r}")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
