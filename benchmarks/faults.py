"""Faults under a write load, on PostgreSQL: nothing acknowledged may be lost.

    .venv/bin/python benchmarks/faults.py                 # 8 writing clients, about 40 s
    FINSAM_BENCH_DATABASE=test_h2 .venv/bin/python benchmarks/faults.py

The real server (4 uvicorn workers) on 127.0.0.1 only, with the demo data in a database of its
own (emptied each run). The office's clients add contact persons, each with a name of its own,
and note every one the server acknowledged (201). Meanwhile, in turn:

1. one worker is stopped (SIGSTOP) for 8 s, as a worker starved of CPU would be, then let go:
   no connection may be dropped (the answers only come late);
2. one worker is killed with SIGKILL: its requests under way fail, nothing else; the
   supervisor starts another;
3. the whole server, parent and workers, is killed with SIGKILL, and started again.

Then every acknowledged contact is looked for in the database. Prints the writes acknowledged,
the acknowledged writes lost (must be 0), and the failed requests in each phase; exit 1 if any
acknowledged write was lost or the stall dropped a connection.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import FINSAM, PG_ADMIN, ROOT

DATABASE = os.environ.get("FINSAM_BENCH_DATABASE", "finsam_faults")
OFFICE = ("kansli@upplandsbygd.example", "kansli-demo-2026")
PREFIX = "Feltest"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _fresh_database() -> str:
    if not DATABASE.replace("_", "").isalnum() or not DATABASE.islower():
        raise SystemExit(f"not a plain database name: {DATABASE!r}")
    admin = await asyncpg.connect(PG_ADMIN, timeout=5)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {DATABASE}")
    finally:
        await admin.close()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{DATABASE}"


def _workers(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children")
    pids = [int(p) for p in children.read_text().split()] if children.exists() else []
    return [p for p in pids if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]


class Server:
    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path) -> None:
        self.env, self.port, self.workers, self.log = env, port, workers, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command: list[str | Path] = [FINSAM, "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--workers", str(self.workers)],
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        for _ in range(150):
            try:
                health = httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                if health.status_code == 200 and len(_workers(self.process.pid)) == self.workers:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit("the server did not start")

    def kill_all(self) -> None:
        assert self.process is not None
        for pid in [*_workers(self.process.pid), self.process.pid]:
            os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


async def _writer(
    base: str, n: int, phase: dict[str, str], acked: list[str], failed: dict[str, list[str]]
) -> None:
    """One office client adding contacts until told to stop; logs in again after a restart."""
    count = 0
    client: httpx.AsyncClient | None = None
    token = ""
    organisation = 0
    while phase["name"] != "stop":
        if client is None:
            client = httpx.AsyncClient(base_url=base, timeout=60)
            try:
                login = await client.post(
                    "/api/auth/login", json={"email": OFFICE[0], "password": OFFICE[1]}
                )
                token = login.headers["x-csrftoken"]
                organisation = (await client.get("/api/organisations")).json()[0]["id"]
            except (httpx.HTTPError, KeyError):
                await client.aclose()
                client = None
                await asyncio.sleep(0.5)
                continue
        count += 1
        name = f"{PREFIX} {n}-{count}"
        try:
            response = await client.post(
                f"/api/organisations/{organisation}/contacts",
                json={"name": name, "email": f"fel{n}.{count}@example.org"},
                headers={"x-csrftoken": token},
            )
            if response.status_code == 201:
                acked.append(name)
            elif response.status_code == 503 and "retry-after" in response.headers:
                await asyncio.sleep(float(response.headers["retry-after"]))
            else:
                failed.setdefault(phase["name"], []).append(f"{response.status_code}")
                if response.status_code == 401:
                    await client.aclose()
                    client = None
        except httpx.HTTPError as exc:
            # Counted in the phase it failed in: a request to the stalled worker fails (if at
            # all) while it is stalled, whenever it was sent.
            at = phase["name"]
            failed.setdefault(at, []).append(type(exc).__name__)
            if at == "down" and client is not None:  # gone: reconnect once it is back
                await client.aclose()
                client = None
                await asyncio.sleep(0.2)
    if client is not None:
        await client.aclose()


async def _run(server: Server, clients: int) -> tuple[list[str], dict[str, list[str]], float]:
    base = f"http://127.0.0.1:{server.port}"
    phase = {"name": "warm-up"}
    acked: list[str] = []
    failed: dict[str, list[str]] = {}
    tasks = [asyncio.create_task(_writer(base, n, phase, acked, failed)) for n in range(clients)]
    assert server.process is not None
    await asyncio.sleep(5)

    phase["name"] = "stall"  # one worker starved: stopped for 8 s
    stalled = _workers(server.process.pid)[0]
    os.kill(stalled, signal.SIGSTOP)
    await asyncio.sleep(8)
    try:
        os.kill(stalled, signal.SIGCONT)
    except ProcessLookupError:  # the supervisor took it for hung and killed it meanwhile
        failed.setdefault("stall", []).append("worker killed by the supervisor")
    await asyncio.sleep(4)  # its delayed answers arrive

    phase["name"] = "worker killed"
    os.kill(_workers(server.process.pid)[0], signal.SIGKILL)
    await asyncio.sleep(6)

    phase["name"] = "down"
    server.kill_all()
    await asyncio.sleep(1)
    restarted = time.monotonic()
    await asyncio.to_thread(server.start)
    recovery = time.monotonic() - restarted
    phase["name"] = "after restart"
    await asyncio.sleep(5)
    phase["name"] = "stop"
    await asyncio.gather(*tasks)
    return acked, failed, recovery


async def _stored(url: str) -> set[str]:
    connection = await asyncpg.connect(url, timeout=10)
    try:
        rows = await connection.fetch("SELECT name FROM contact WHERE name LIKE $1", f"{PREFIX} %")
    finally:
        await connection.close()
    return {r["name"] for r in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server-log", type=Path, default=ROOT / "data" / "faults" / "server.log")
    args = parser.parse_args(argv)

    url = asyncio.run(_fresh_database())
    env = {
        **os.environ,
        "FINSAM_DATABASE_URL": url,
        "FINSAM_DATA_DIR": str(ROOT / "data" / "faults"),
        "FINSAM_SECRET_KEY": "fault-test-only",
        "FINSAM_DB_POOL_SIZE": "5",
        "FINSAM_MAIL_INTERVAL": "0",
    }
    args.server_log.parent.mkdir(parents=True, exist_ok=True)
    args.server_log.write_bytes(b"")
    subprocess.run([FINSAM, "demo"], env=env, check=True, capture_output=True)
    server = Server(env, _free_port(), args.workers, args.server_log)
    server.start()
    try:
        acked, failed, recovery = asyncio.run(_run(server, args.clients))
    finally:
        server.stop()
    lost = sorted(set(acked) - asyncio.run(_stored(url)))
    killed_by_supervisor = args.server_log.read_text(errors="replace").count("died")
    print(
        f"faults: {args.clients} writers, {args.workers} workers: {len(acked)} writes "
        f"acknowledged, {len(lost)} acknowledged writes lost; restart took {recovery:.1f} s"
    )
    for name in ("warm-up", "stall", "worker killed", "down", "after restart"):
        kinds = failed.get(name, [])
        summary = ", ".join(f"{k} x{kinds.count(k)}" for k in sorted(set(kinds))) or "none"
        print(f"  failed requests, {name}: {len(kinds)} ({summary})")
    print(f"  workers the supervisor found dead and replaced: {killed_by_supervisor}")
    for name in lost[:10]:
        print(f"  lost: {name}", file=sys.stderr)
    return 1 if lost or failed.get("stall") else 0


if __name__ == "__main__":
    sys.exit(main())
