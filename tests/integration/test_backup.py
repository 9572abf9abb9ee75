"""`finsam backup` and `finsam restore`: a snapshot of database and uploads comes back whole."""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from piccolo.conf.apps import Finder

from applications import attachment_services
from portfolio.core.settings import get_settings
from portfolio.core.tables import Organisation
from portfolio.shell.cli import main
from tests import factories

State = tuple[dict[str, list[dict[str, Any]]], list[tuple[str, bytes]]]


async def _state() -> State:
    """Every row of every table of every app, and every uploaded file."""
    tables = {
        table._meta.tablename: await table.select().order_by(table._meta.primary_key)
        for table in Finder().get_table_classes()
    }
    upload_dir = get_settings().upload_dir
    files = sorted(
        (p.relative_to(upload_dir).as_posix(), p.read_bytes())
        for p in upload_dir.rglob("*")
        if p.is_file()
    )
    return tables, files


def test_backup_then_changes_then_restore_gives_back_the_snapshot(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world = asyncio.run(factories.world())
    records = asyncio.run(factories.records(world))
    before = asyncio.run(_state())
    assert before[1], "the records put an attachment on disk"
    filled = {name for name, rows in before[0].items() if rows}
    assert {"application_version", "decision", "commitment", "audit_entry"} <= filled
    archive = tmp_path / "finsam.tar.gz"

    assert main(["backup", str(archive)]) == 0
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "manifest.json" in names and any(n.startswith("uploads/") for n in names)

    async def change() -> None:
        await Organisation.update({Organisation.name: "Omdöpt"}).where(
            Organisation.id == world.kommun_a["id"]
        )
        await factories.organisation("Ny efter backup")
        await attachment_services.add_attachment(
            world.owner_a, records.draft_a["id"], "efter.pdf", factories._pdf("efter backup")
        )

    asyncio.run(change())
    assert asyncio.run(_state()) != before

    assert main(["restore", str(archive)]) == 0
    after = asyncio.run(_state())
    assert after[1] == before[1]
    for name, rows in before[0].items():
        assert after[0][name] == rows, name
    assert "Restored" in capsys.readouterr().out
    # The id sequences came back too: a new row takes the next id, not one already used.
    highest = max(r["id"] for r in before[0]["organisation"])
    assert asyncio.run(factories.organisation("Ny efter återläsning"))["id"] > highest


def test_restore_refuses_what_is_not_a_backup(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    assert main(["restore", str(bogus)]) == 1
    assert "not a Finsam backup" in capsys.readouterr().err


def test_restore_refuses_a_manifest_pointing_outside_the_archive(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A crafted archive whose manifest names another database file (an absolute path, or one
    up and out of the unpacked folder) is refused, and the live database is left alone."""
    world = asyncio.run(factories.world())
    archive = tmp_path / "finsam.tar.gz"
    assert main(["backup", str(archive)]) == 0
    for outside in ("/etc/passwd", "../../outside.sqlite"):
        crafted = tmp_path / "crafted.tar.gz"
        with tarfile.open(archive) as original, tarfile.open(crafted, "w:gz") as copy:
            for member in original.getmembers():
                data = original.extractfile(member) if member.isfile() else None
                if member.name == "manifest.json" and data is not None:
                    manifest = json.loads(data.read())
                    raw = json.dumps({**manifest, "database_file": outside}).encode()
                    member.size = len(raw)
                    copy.addfile(member, io.BytesIO(raw))
                else:
                    copy.addfile(member, data)
        assert main(["restore", str(crafted)]) == 1
        assert "not a Finsam backup" in capsys.readouterr().err
    names = [r["name"] for r in asyncio.run(Organisation.select(Organisation.name).run())]
    assert world.kommun_a["name"] in names
