"""The image's PostgreSQL client is of the compose file's server version, so `finsam backup`
(pg_dump) and `finsam restore` (pg_restore) work inside the container (no Docker engine here:
this reads the two files)."""

from __future__ import annotations

import re

from portfolio.core.settings import ROOT

DOCKER = ROOT / "docker"


def test_the_image_carries_the_client_of_the_compose_servers_major_version() -> None:
    compose = (DOCKER / "compose.yaml").read_text()
    dockerfile = (DOCKER / "Dockerfile").read_text()
    server = re.search(r"image:\s*postgres:(\d+)", compose)
    client = re.search(r"apt-get install[^\n]*\bpostgresql-client-(\d+)\b", dockerfile)
    assert server and client, "compose names postgres:N and the Dockerfile installs its client"
    assert client.group(1) == server.group(1)
    # Debian's own archive has that client only in the release that ships the version.
    debian = {"15": "bookworm", "17": "trixie"}.get(server.group(1))
    assert debian and re.search(rf"^FROM python:3\.11-slim-{debian}\b", dockerfile, re.M)


def test_the_readme_shows_a_backup_and_a_restore_in_the_container() -> None:
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"docker compose [^\n]*exec web finsam backup /data/\S+\.tar\.gz", readme)
    assert re.search(r"docker compose [^\n]*run --rm web finsam restore /data/\S+\.tar\.gz", readme)
