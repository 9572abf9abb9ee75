"""The dossier of an insats: one zip of everything it has on record, for auditors.

Every submitted application version (as PDF and as the JSON it was frozen with) with its
attachments, every tjänsteskrivelse, every decision's protokollsutdrag, the conditions, and the
audit trail of the insats, with a table of contents (innehall.csv) naming each file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

import msgspec

from applications import queries as application_queries
from applications.attachment_services import sent_attachments
from applications.documents import render_application_pdf
from applications.files import attachment_path
from applications.services import application_document, applications_of_initiative
from portfolio.core import audit
from portfolio.core.domain import CONDITION_KIND_LABELS, ConditionKind, Principal
from portfolio.core.formatting import format_date_iso, format_timestamp
from portfolio.core.spreadsheets import to_csv
from portfolio.core.tables import Case
from portfolio.documents.pdf_papers import render_extract_pdf, render_proposal_pdf
from portfolio.meetings import papers as meetings_papers
from portfolio.meetings import queries as meetings_queries
from portfolio.register import queries as register_queries
from portfolio.register import services

DossierFile = tuple[str, bytes, str]  # path in the zip, content, what it is (Swedish)


def safe_name(text: str) -> str:
    """A file or folder name that every unzip tool accepts: no separators or control characters."""
    cleaned = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", text).strip(" .")
    return re.sub(r"\s+", " ", cleaned)[:80] or "namnlös"


def build_zip(files: Sequence[DossierFile], readme: str) -> bytes:
    """The zip: the files, innehall.csv listing each with what it is, and LASMIG.txt."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LASMIG.txt", readme)
        archive.writestr(
            "innehall.csv",
            to_csv(["Fil", "Innehåll", "Storlek (byte)"], ((p, w, len(d)) for p, d, w in files)),
        )
        for path, data, _ in files:
            archive.writestr(path, data)
    return buffer.getvalue()


def _pretty_json(value: Any) -> bytes:
    raw = value.encode() if isinstance(value, str) else msgspec.json.encode(value)
    return msgspec.json.format(raw, indent=2)


async def _application_files(actor: Principal, initiative_id: int) -> list[DossierFile]:
    """What was sent in: each version, and the attachments that went with one. A draft, or a
    file added during a completion, is not on record yet (and not the board's to read)."""
    files: list[DossierFile] = []
    for app in await applications_of_initiative(actor, initiative_id):
        versions = await application_queries.version_rows(app["id"])
        if not versions:
            continue
        folder = f"ansokningar/{app['id']} {safe_name(app['title'] or 'Ansökan')}"
        for version in versions:
            number = version["number"]
            document, _ = await application_document(actor, app["id"], number)
            submitted = format_date_iso(version["submitted_at"].date())
            files.append(
                (
                    f"{folder}/version {number}.pdf",
                    render_application_pdf(document),
                    f"Ansökan, version {number}, inskickad {submitted}",
                )
            )
            files.append(
                (
                    f"{folder}/version {number}.json",
                    _pretty_json(version["content"]),
                    f"Ansökan, version {number}, som den frystes (data)",
                )
            )
        for attachment in await sent_attachments(app["id"]):
            path = attachment_path(attachment["sha256"])
            if path.exists():
                files.append(
                    (
                        f"{folder}/bilagor/{attachment['id']} {safe_name(attachment['filename'])}",
                        path.read_bytes(),
                        f"Bilaga {attachment['filename']}",
                    )
                )
    return files


async def _case_files(actor: Principal, initiative_id: int) -> list[DossierFile]:
    files: list[DossierFile] = []
    cases = await Case.select().where(Case.initiative == initiative_id).order_by(Case.id)
    for case in cases:
        dnr = case["case_number"].replace(":", "-")
        if await meetings_queries.get_proposal(case["id"]) is not None:
            proposal = await meetings_papers.proposal_document(case["id"])
            files.append(
                (
                    f"arenden/{dnr} tjänsteskrivelse.pdf",
                    render_proposal_pdf(proposal),
                    f"Tjänsteskrivelse Dnr {case['case_number']}: {case['title']}",
                )
            )
        for decision in await meetings_queries.case_decisions(case["id"]):
            extract = await meetings_papers.extract_document(actor, decision["id"])
            day = format_date_iso(extract.minutes.meeting_date)
            files.append(
                (
                    f"beslut/{day} § {decision['paragraph']} Dnr {dnr}.pdf",
                    render_extract_pdf(extract),
                    f"Protokollsutdrag {extract.minutes.body} {day} § {decision['paragraph']}",
                )
            )
    return files


async def _record_files(initiative: dict[str, Any]) -> list[DossierFile]:
    conditions = await register_queries.condition_rows(initiative["id"])
    trail = await register_queries.audit_rows("initiative", initiative["id"], limit=10_000)
    return [
        (
            "villkor.csv",
            to_csv(
                ["Slag", "Villkor"],
                ((CONDITION_KIND_LABELS[ConditionKind(c["kind"])], c["text"]) for c in conditions),
            ),
            "Villkor som följer insatsen",
        ),
        (
            "logg.csv",
            to_csv(
                ["Tid", "Vem", "Händelse", "Sammanfattning"],
                (
                    (
                        format_timestamp(e["at"]),
                        e["actor_email"],
                        audit.describe(e["action"], e["entity"]),
                        e["summary"],
                    )
                    for e in trail
                ),
            ),
            "Ändringar av insatsen: vem och när",
        ),
    ]


async def dossier(actor: Principal, initiative_id: int) -> tuple[bytes, str]:
    """The zip and its file name; 404 unless the actor may see the insats."""
    initiative = await services.get_initiative(actor, initiative_id)
    files = [
        *await _application_files(actor, initiative_id),
        *await _case_files(actor, initiative_id),
        *await _record_files(initiative),
    ]
    today = dt.date.today()
    readme = (
        f"Akt för insatsen {initiative['name']}\n"
        f"Sammanställd {format_date_iso(today)} av {actor.name or actor.email} i Finsam Portfolio.\n\n"
        "innehall.csv förtecknar varje fil. Ansökningarnas versioner är de som skickades in och\n"
        "frystes; JSON-filerna är samma uppgifter i maskinläsbar form.\n"
    )
    name = f"Akt {safe_name(initiative['name'])} {today.isoformat()}.zip"
    return build_zip(files, readme), name
