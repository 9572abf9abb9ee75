"""`finsam backup` and `finsam restore`: a snapshot of database and uploads comes back whole."""

from __future__ import annotations

import asyncio
import tarfile
from pathlib import Path

import pytest

from applications import services as application_services
from portfolio.cli import main
from portfolio.settings import get_settings
from portfolio.tables import Organisation
from tests import factories


async def _state() -> tuple[list[str], list[tuple[str, bytes]]]:
    names = [
        r["name"] for r in await Organisation.select(Organisation.name).order_by(Organisation.id)
    ]
    upload_dir = get_settings().upload_dir
    files = sorted(
        (p.relative_to(upload_dir).as_posix(), p.read_bytes())
        for p in upload_dir.rglob("*")
        if p.is_file()
    )
    return names, files


def test_backup_then_changes_then_restore_gives_back_the_snapshot(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world = asyncio.run(factories.world())
    records = asyncio.run(factories.records(world))
    before = asyncio.run(_state())
    assert before[1], "the records put an attachment on disk"
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
        await application_services.add_attachment(
            world.owner_a, records.draft_a["id"], "efter.pdf", factories._pdf("efter backup")
        )

    asyncio.run(change())
    assert asyncio.run(_state()) != before

    assert main(["restore", str(archive)]) == 0
    assert asyncio.run(_state()) == before
    assert "Restored" in capsys.readouterr().out


def test_restore_refuses_what_is_not_a_backup(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    assert main(["restore", str(bogus)]) == 1
    assert "not a Finsam backup" in capsys.readouterr().err
