"""Uploaded attachments: kind by content, size limits, the zip-bomb guard, safe names, storage keys."""

from __future__ import annotations

import hashlib
import io
import struct
import unicodedata
import zipfile

import msgspec
import openpyxl
import pytest
from docx import Document
from reportlab.pdfgen import canvas

from applications.attachments import (
    CONTENT_TYPES,
    MAX_BYTES,
    MAX_FILENAME_LENGTH,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_MEMBERS,
    AttachmentKind,
    AttachmentRefused,
    CheckedUpload,
    RefusalReason,
    check_upload,
    sanitise_filename,
    storage_key,
)

# -- real files, made in memory ------------------------------------------------------------


def make_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 750, "Bilaga till ansökan")
    page.save()
    return buffer.getvalue()


def make_docx() -> bytes:
    document = Document()
    document.add_paragraph("Projektplan för Framsteget")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Lönekostnader"
    workbook.active["B1"] = 450_000
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_member(archive: bytes, name: str, content: bytes) -> bytes:
    """The ZIP archive with one more member added."""
    buffer = io.BytesIO(archive)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, content)
    return buffer.getvalue()


def declare_size(archive: bytes, name: str, size: int) -> bytes:
    """The archive with name's uncompressed size in the central directory set to size.

    This is what a zip bomb looks like to the guard, without spending time deflating 200 MB.
    """
    data = bytearray(archive)
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46 : offset + 46 + name_length] == name.encode():
            struct.pack_into("<I", data, offset + 24, size)
            return bytes(data)
        offset = data.find(b"PK\x01\x02", offset + 46)
    raise AssertionError(f"{name} not in the archive")


def accepted(filename: str, data: bytes, max_bytes: int = MAX_BYTES) -> CheckedUpload:
    result = check_upload(filename, data, max_bytes)
    assert isinstance(result, CheckedUpload), result
    return result


def refused(filename: str, data: bytes, max_bytes: int = MAX_BYTES) -> AttachmentRefused:
    result = check_upload(filename, data, max_bytes)
    assert isinstance(result, AttachmentRefused), result
    return result


# -- accepted kinds ------------------------------------------------------------------------


def test_a_pdf_is_accepted_with_its_mime_type_size_and_checksum() -> None:
    """A PDF is accepted as PDF with application/pdf, its byte size and its SHA-256."""
    data = make_pdf()
    upload = accepted("Protokoll styrelsen.pdf", data)
    assert upload == CheckedUpload(
        filename="Protokoll styrelsen.pdf",
        kind=AttachmentKind.PDF,
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_a_word_document_is_accepted_as_docx() -> None:
    """A document made by python-docx is accepted as DOCX with the Word MIME type."""
    upload = accepted("Projektplan.docx", make_docx())
    assert upload.kind is AttachmentKind.DOCX
    assert upload.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert upload.filename == "Projektplan.docx"


def test_an_excel_workbook_is_accepted_as_xlsx() -> None:
    """A workbook made by openpyxl is accepted as XLSX with the Excel MIME type."""
    upload = accepted("Budget 2026.xlsx", make_xlsx())
    assert upload.kind is AttachmentKind.XLSX
    assert upload.content_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert upload.filename == "Budget 2026.xlsx"


def test_every_kind_has_a_content_type() -> None:
    """No kind is left without a MIME type to serve it with."""
    assert set(CONTENT_TYPES) == set(AttachmentKind)


def test_the_checksum_is_the_sha256_of_the_bytes() -> None:
    """The checksum is hashlib's SHA-256 hex digest of exactly the uploaded bytes."""
    data = make_xlsx()
    assert accepted("a.xlsx", data).sha256 == hashlib.sha256(data).hexdigest()


def test_the_same_bytes_under_two_names_have_the_same_checksum() -> None:
    """Two uploads of one file share a checksum, so the file is stored once."""
    data = make_pdf()
    assert accepted("a.pdf", data).sha256 == accepted("b.pdf", data).sha256


def test_the_kind_is_decided_by_content_not_by_the_name() -> None:
    """A PDF named .docx is accepted as PDF and stored under a .pdf name."""
    upload = accepted("Protokoll.docx", make_pdf())
    assert upload.kind is AttachmentKind.PDF
    assert upload.content_type == "application/pdf"
    assert upload.filename == "Protokoll.pdf"


def test_a_workbook_named_pdf_is_stored_as_xlsx() -> None:
    """An Excel file named .pdf is accepted as XLSX and renamed to match."""
    assert accepted("budget.pdf", make_xlsx()).filename == "budget.xlsx"


def test_a_name_without_extension_gets_the_kind_s_extension() -> None:
    """A name with no extension gains the one its content calls for."""
    assert accepted("Projektplan", make_docx()).filename == "Projektplan.docx"


def test_the_checked_upload_is_frozen() -> None:
    """A checked upload cannot be altered after the checks."""
    upload = accepted("a.pdf", make_pdf())
    with pytest.raises(AttributeError):
        upload.filename = "b.exe"  # type: ignore[misc]


def test_the_checked_upload_serialises_with_the_kind_as_text() -> None:
    """Encoded to JSON, the kind reads "pdf", "docx" or "xlsx"."""
    upload = accepted("a.docx", make_docx())
    assert msgspec.to_builtins(upload)["kind"] == "docx"


# -- refused kinds -------------------------------------------------------------------------


def test_an_executable_named_like_an_attachment_is_refused_with_its_name() -> None:
    """An executable is refused with a Swedish message naming the file."""
    result = refused("budget.exe", b"MZ\x90\x00\x03\x00\x00\x00 not a document")
    assert result.reason is RefusalReason.WRONG_KIND
    assert result.message == "Filen budget.exe är inte en PDF-, Word- eller Excel-fil."


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00 this program", id="exe"),
        pytest.param("Hej, det här är bara text.\n".encode(), id="text"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), id="old-office-doc"),
        pytest.param(b"<html><body>%PDF-</body></html>", id="html-mentioning-pdf"),
    ],
)
def test_non_documents_renamed_to_pdf_are_refused(data: bytes) -> None:
    """Whatever the name says, bytes that are not PDF or Office are refused."""
    result = refused("budget.pdf", data)
    assert result.reason is RefusalReason.WRONG_KIND
    assert result.message == "Filen budget.pdf är inte en PDF-, Word- eller Excel-fil."


def test_a_plain_zip_renamed_to_pdf_is_refused() -> None:
    """A ZIP that is no Office document is refused, whatever its name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("readme.txt", "hej")
    result = refused("budget.pdf", buffer.getvalue())
    assert result.reason is RefusalReason.WRONG_KIND


def test_a_zip_with_word_parts_but_no_content_types_is_refused() -> None:
    """A ZIP that merely has a word/document.xml is not taken for a Word file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert refused("x.docx", buffer.getvalue()).reason is RefusalReason.WRONG_KIND


def test_a_truncated_word_file_is_refused_as_damaged() -> None:
    """A DOCX cut short (no central directory) is refused as damaged, without an exception."""
    data = make_docx()
    result = refused("Projektplan.docx", data[: len(data) // 2])
    assert result.reason is RefusalReason.DAMAGED
    assert result.message == "Filen Projektplan.docx är skadad och kan inte läsas."


def test_a_macro_enabled_workbook_renamed_xlsx_is_refused() -> None:
    """An Excel file carrying a VBA project is refused, even when named .xlsx."""
    data = with_member(make_xlsx(), "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros")
    result = refused("budget.xlsx", data)
    assert result.reason is RefusalReason.MACROS
    assert "makron" in result.message and "budget.xlsx" in result.message


def test_the_refusal_names_a_path_only_by_its_last_part() -> None:
    """The message shows the cleaned file name, never the client's path."""
    result = refused("C:\\Users\\anna\\program.exe", b"MZ\x90\x00")
    assert result.message == "Filen program.exe är inte en PDF-, Word- eller Excel-fil."


def test_a_refusal_for_a_file_without_a_name_still_reads_well() -> None:
    """With no usable name the message says so rather than showing an empty name."""
    assert refused("", b"MZ").message == "Filen utan namn är inte en PDF-, Word- eller Excel-fil."


# -- size ----------------------------------------------------------------------------------


def test_an_empty_file_is_refused() -> None:
    """A file of zero bytes is refused as empty."""
    result = refused("tom.pdf", b"")
    assert result.reason is RefusalReason.EMPTY
    assert result.message == "Filen tom.pdf är tom."


def test_the_default_size_limit_is_twenty_mebibytes() -> None:
    """The module's limit is 20 MiB."""
    assert MAX_BYTES == 20 * 1024 * 1024


def test_a_file_over_the_default_limit_is_refused() -> None:
    """One byte over 20 MiB is refused with the limit in the message."""
    data = b"%PDF-1.7\n" + bytes(MAX_BYTES - 8)
    result = refused("stor.pdf", data)
    assert result.reason is RefusalReason.TOO_LARGE
    assert result.message == (
        "Filen stor.pdf är för stor (20\u00a0MB). Största tillåtna storlek är 20\u00a0MB."
    )


def test_a_file_of_exactly_the_limit_is_accepted() -> None:
    """The limit itself is allowed; only more is refused."""
    data = make_pdf()
    assert accepted("a.pdf", data, max_bytes=len(data)).size == len(data)
    assert refused("a.pdf", data, max_bytes=len(data) - 1).reason is RefusalReason.TOO_LARGE


def test_the_size_limit_is_a_parameter() -> None:
    """A caller may set a smaller limit, and the message states it in MB."""
    data = b"%PDF-1.4\n" + bytes(3 * 1024 * 1024)
    result = refused("skannad.pdf", data, max_bytes=2 * 1024 * 1024 + 512 * 1024)
    assert result.message == (
        "Filen skannad.pdf är för stor (3\u00a0MB). Största tillåtna storlek är 2,5\u00a0MB."
    )


# -- zip bombs -----------------------------------------------------------------------------


def test_an_office_file_that_unpacks_to_too_much_is_refused() -> None:
    """A DOCX whose members declare more than 200 MB in all is refused without unpacking."""
    bomb = with_member(make_docx(), "word/media/zeros.bin", bytes(1024))
    bomb = declare_size(bomb, "word/media/zeros.bin", MAX_UNPACKED_BYTES + 1)
    result = refused("Projektplan.docx", bomb)
    assert result.reason is RefusalReason.ZIP_BOMB
    assert result.message == (
        "Filen Projektplan.docx packas upp till för mycket data för att kunna tas emot."
    )


def test_an_office_file_just_within_the_unpacked_limit_is_accepted() -> None:
    """Declared sizes that sum to the limit pass: the guard only refuses more than that."""
    data = with_member(make_docx(), "word/media/zeros.bin", bytes(1024))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        others = sum(m.file_size for m in zf.infolist() if m.filename != "word/media/zeros.bin")
    data = declare_size(data, "word/media/zeros.bin", MAX_UNPACKED_BYTES - others)
    assert accepted("Projektplan.docx", data).kind is AttachmentKind.DOCX


def test_a_real_deflated_bomb_is_refused() -> None:
    """A workbook with 201 MiB of zeros (200 kB when deflated) is refused."""
    buffer = io.BytesIO(make_xlsx())
    with zipfile.ZipFile(buffer, "a") as zf:
        member = zipfile.ZipInfo("xl/media/zeros.bin")
        member.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(member, "w", force_zip64=True) as out:
            chunk = bytes(1024 * 1024)
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                out.write(chunk)
    assert len(buffer.getvalue()) < MAX_BYTES
    assert refused("budget.xlsx", buffer.getvalue()).reason is RefusalReason.ZIP_BOMB


def test_an_office_file_with_too_many_members_is_refused() -> None:
    """More than MAX_ZIP_MEMBERS members is refused, however small each one is."""
    buffer = io.BytesIO(make_docx())
    with zipfile.ZipFile(buffer, "a") as zf:
        for number in range(MAX_ZIP_MEMBERS):
            zf.writestr(f"word/media/{number}.bin", b"")
    assert refused("Projektplan.docx", buffer.getvalue()).reason is RefusalReason.ZIP_BOMB


# -- file names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("../../etc/passwd", AttachmentKind.PDF, "passwd.pdf"),
        ("C:\\Users\\x\\budget.xlsx", AttachmentKind.XLSX, "budget.xlsx"),
        ("..\\..\\windows\\system32\\cmd.exe", AttachmentKind.PDF, "cmd.pdf"),
        ("/var/www/../../protokoll LOKUS.pdf", AttachmentKind.PDF, "protokoll LOKUS.pdf"),
        ("uppladdning/", AttachmentKind.DOCX, "bilaga.docx"),
    ],
)
def test_path_traversal_names_are_made_safe(name: str, kind: AttachmentKind, expected: str) -> None:
    """Only the last path part survives, whichever separator the client used."""
    cleaned = sanitise_filename(name, kind)
    assert cleaned == expected
    assert "/" not in cleaned and "\\" not in cleaned and ".." not in cleaned


def test_swedish_and_other_letters_are_kept() -> None:
    """Å, ä, ö and letters of other scripts stay as they are."""
    name = "Årsredovisning Östhammar Älvkarleby – Ελλάδα 東京.pdf"
    assert sanitise_filename(name, AttachmentKind.PDF) == (
        "Årsredovisning Östhammar Älvkarleby - Ελλάδα 東京.pdf"
    )


def test_decomposed_letters_from_macos_are_composed() -> None:
    """An å sent as a + combining ring is stored as the single letter å."""
    decomposed = unicodedata.normalize("NFD", "Lägesrapport Håbo.docx")
    assert len(decomposed) > len("Lägesrapport Håbo.docx")
    assert sanitise_filename(decomposed, AttachmentKind.DOCX) == "Lägesrapport Håbo.docx"


def test_control_characters_are_dropped_and_whitespace_collapsed() -> None:
    """Control characters vanish; tabs, newlines and runs of spaces become one space."""
    name = "  Budget\x00\x07 \t\n 2026\r\n  slutlig.xlsx  "
    assert sanitise_filename(name, AttachmentKind.XLSX) == "Budget 2026 slutlig.xlsx"


def test_a_right_to_left_override_cannot_disguise_the_extension() -> None:
    """The invisible U+202E that makes "fdp.exe" look like "exe.pdf" is removed."""
    assert sanitise_filename("faktura\u202efdp.exe", AttachmentKind.PDF) == "fakturafdp.pdf"


def test_other_punctuation_becomes_a_space() -> None:
    """Brackets, colons and the like are replaced, keeping words apart."""
    assert sanitise_filename("budget (2): <slutlig>.xlsx", AttachmentKind.XLSX) == (
        "budget 2 slutlig.xlsx"
    )


def test_digits_dash_underscore_and_inner_dots_are_kept() -> None:
    """Dates and version marks in names survive."""
    assert sanitise_filename("Protokoll_2025-03-01.v2.pdf", AttachmentKind.PDF) == (
        "Protokoll_2025-03-01.v2.pdf"
    )


def test_a_date_with_dots_is_not_taken_for_an_extension() -> None:
    """ "Protokoll 2025.03.01" keeps its date; the kind's extension is added after it."""
    assert sanitise_filename("Protokoll 2025.03.01", AttachmentKind.PDF) == (
        "Protokoll 2025.03.01.pdf"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (".htaccess", "htaccess.pdf"),
        ("...budget.pdf", "budget.pdf"),
        (".pdf", "bilaga.pdf"),
        ("budget. .pdf", "budget.pdf"),
    ],
)
def test_leading_dots_are_dropped(name: str, expected: str) -> None:
    """No stored name is hidden by a leading dot or ends its stem with dots."""
    assert sanitise_filename(name, AttachmentKind.PDF) == expected


@pytest.mark.parametrize("name", ["", "   ", "...", "/", "\\\\", "\x00\x01", "<>:|?*"])
def test_a_name_is_never_empty(name: str) -> None:
    """With nothing usable left, the name falls back to bilaga plus the extension."""
    assert sanitise_filename(name, AttachmentKind.XLSX) == "bilaga.xlsx"
    assert sanitise_filename(name) == "bilaga"


def test_a_long_name_is_cut_but_keeps_its_extension() -> None:
    """Over MAX_FILENAME_LENGTH characters the stem is cut and the extension kept."""
    cleaned = sanitise_filename("Å" * 300 + ".docx", AttachmentKind.DOCX)
    assert len(cleaned) == MAX_FILENAME_LENGTH
    assert cleaned.endswith("Å.docx")


def test_a_cut_name_does_not_end_its_stem_in_a_space() -> None:
    """Cutting inside a run of words leaves no stray space before the extension."""
    stem = "ord " * 100
    cleaned = sanitise_filename(stem + ".pdf", AttachmentKind.PDF)
    assert len(cleaned) <= MAX_FILENAME_LENGTH
    assert not cleaned.removesuffix(".pdf").endswith(" ")


def test_without_a_kind_the_name_keeps_its_own_extension() -> None:
    """Called without a kind, the cleaned name keeps the extension it came with."""
    assert sanitise_filename("../Budget (slutlig).XLSX") == "Budget slutlig.XLSX"


def test_the_detected_kind_replaces_a_misleading_extension() -> None:
    """The extension always follows the content: x.docx holding a PDF becomes x.pdf."""
    assert sanitise_filename("x.docx", AttachmentKind.PDF) == "x.pdf"
    assert sanitise_filename("x.PDF", AttachmentKind.PDF) == "x.pdf"


# -- storage -------------------------------------------------------------------------------


def test_the_storage_key_spreads_files_over_two_directory_levels() -> None:
    """A checksum is stored at ab/cd/<checksum>."""
    digest = hashlib.sha256(b"bilaga").hexdigest()
    assert storage_key(digest) == f"{digest[:2]}/{digest[2:4]}/{digest}"


def test_the_storage_key_of_a_checked_upload_is_relative() -> None:
    """The key from a real upload is a relative path with no way out of the upload folder."""
    key = storage_key(accepted("a.pdf", make_pdf()).sha256)
    assert not key.startswith("/") and ".." not in key
    assert key.count("/") == 2


@pytest.mark.parametrize(
    "value",
    ["", "../../etc/passwd", "ABCDEF" + "0" * 58, "0" * 63, "0" * 65, "g" * 64, "0" * 63 + "\n"],
)
def test_the_storage_key_refuses_anything_but_a_checksum(value: str) -> None:
    """Only a 64-character lowercase hex string becomes a path on disk."""
    with pytest.raises(ValueError):
        storage_key(value)
