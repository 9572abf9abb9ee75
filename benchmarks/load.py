"""Load test on loopback: the real server (uvicorn, several workers) on PostgreSQL with demo data.

    .venv/bin/python benchmarks/load.py            # 32 clients for 30 s
    .venv/bin/python benchmarks/load.py --short    # 32 clients for 5 s (CI)

The database `finsam_load` (created if missing, emptied each run) gets the demo data; the
server listens on 127.0.0.1 only. Office, board and owner clients log in and mix the common
reads (lists, details, the start page, the budget room) with writes (a board member's private
note on a case). Prints requests/s, p50/p99, errors (must be 0), refusals and the server's
memory; the exit code is 1 on any error. A 503 with `Retry-After` (overload refused in words,
portfolio/shell/overload.py) is counted apart and waited out, as a client should: a busy
machine may make the run slow or refused, never failed; a dropped connection, a timeout or any
other status is an error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
# The project's own .venv, or else the environment running this script (a git worktree
# sharing another checkout's .venv, with PYTHONPATH pointing at the worktree).
FINSAM = next(
    p
    for p in (ROOT / ".venv" / "bin" / "finsam", Path(sys.executable).parent / "finsam")
    if p.exists() or p.parent == Path(sys.executable).parent
)
PG_ADMIN = os.environ.get("FINSAM_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
# Emptied each run: a database of its own (FINSAM_BENCH_DATABASE to share a server safely).
DATABASE = os.environ.get("FINSAM_BENCH_DATABASE", "finsam_load")
USERS = [
    ("kansli@upplandsbygd.example", "kansli-demo-2026"),
    ("ledamot@upplandsbygd.example", "ledamot-demo-2026"),
    ("agare@knivsta.example", "agare-demo-2026"),
    ("agare@tierp.example", "tierp-demo-2026"),
]


async def _fresh_database() -> str:
    import asyncpg

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", DATABASE):
        raise SystemExit(f"not a plain database name: {DATABASE!r}")
    admin = await asyncpg.connect(PG_ADMIN, timeout=5)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {DATABASE}")
    finally:
        await admin.close()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{DATABASE}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mib(pid: int) -> float:
    """Resident memory of the server and its worker processes, from /proc."""
    total, pids = 0, [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        status = Path(f"/proc/{p}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


_LOG_IN_ONE_AT_A_TIME = asyncio.Lock()


async def _client(
    base: str,
    user: tuple[str, str],
    start: asyncio.Barrier,
    clock: dict[str, float],
    latencies: list[float],
    errors: list[str],
    refused: list[str],
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        # One log-in at a time: the log-in limit counts a password check under way against its
        # account, so eight clients sharing an account cannot all check at the same moment.
        async with _LOG_IN_ONE_AT_A_TIME:
            login = await client.post(
                "/api/auth/login", json={"email": user[0], "password": user[1]}
            )
        if login.status_code != 200:
            errors.append(f"log-in {user[0]}: {login.status_code}")
            await start.wait()
            return
        headers = {"x-csrftoken": login.headers["x-csrftoken"]}
        role = login.json()["role"]
        initiatives = [i["id"] for i in (await client.get("/api/initiatives")).json()]
        cases = (
            [c["id"] for c in (await client.get("/api/cases")).json()] if role != "owner" else []
        )
        await start.wait()  # log-ins (Argon2, deliberately slow) are not measured
        year = time.localtime().tm_year
        reads = ["/api/initiatives", "/api/applications", "/api/dashboard", "/"]
        reads += ["/api/reports", "/api/requisitions"]  # the money: reports and claims
        if role != "owner":
            reads += ["/api/meetings", f"/api/economy/budget-room?from={year}", "/insatser"]
        while time.monotonic() < clock["until"]:
            roll = random.random()
            if roll < 0.15 and initiatives:
                method, path, body = "GET", f"/api/initiatives/{random.choice(initiatives)}", None
            elif roll < 0.25 and cases and role == "board":
                case = random.choice(cases)
                method, path, body = "PUT", f"/api/cases/{case}/note", {"text": f"Läst {roll:.3f}"}
            else:
                method, path, body = "GET", random.choice(reads), None
            started = time.perf_counter()
            try:
                response = await client.request(method, path, json=body, headers=headers)
                if response.status_code == 503 and "retry-after" in response.headers:
                    # Refused in words under overload: a busy machine, not a fault. A client
                    # waits as told; what is counted against the service is anything else.
                    refused.append(f"{method} {path}")
                    await asyncio.sleep(float(response.headers["retry-after"]))
                    continue
                if response.status_code >= 400:
                    errors.append(f"{method} {path}: {response.status_code}")
            except httpx.HTTPError as exc:
                errors.append(f"{method} {path}: {exc!r}")
            latencies.append(time.perf_counter() - started)


async def _load(
    base: str, clients: int, seconds: float
) -> tuple[list[float], list[str], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    refused: list[str] = []
    start = asyncio.Barrier(clients + 1)
    clock = {"until": 0.0}
    running = [
        asyncio.create_task(
            _client(base, USERS[n % len(USERS)], start, clock, latencies, errors, refused)
        )
        for n in range(clients)
    ]
    clock["until"] = time.monotonic() + 3600  # set properly once everyone is logged in
    await start.wait()
    started = time.monotonic()
    clock["until"] = started + seconds
    await asyncio.gather(*running)
    return latencies, errors, refused, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="5 seconds, for CI")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server-log", type=Path, help="keep the server's output in this file")
    args = parser.parse_args(argv)
    seconds = 5.0 if args.short else args.seconds

    url = asyncio.run(_fresh_database())
    port = _free_port()
    env = {
        **os.environ,
        "FINSAM_DATABASE_URL": url,
        "FINSAM_DATA_DIR": str(ROOT / "data" / "load"),
        "FINSAM_SECRET_KEY": "load-test-only",
        "FINSAM_DB_POOL_SIZE": "5",
    }
    subprocess.run([FINSAM, "demo"], env=env, check=True, capture_output=True)
    log = args.server_log.open("wb") if args.server_log else subprocess.DEVNULL
    server = subprocess.Popen(
        [
            FINSAM,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            print("the server did not start", file=sys.stderr)
            return 1
        latencies, errors, refused, elapsed = asyncio.run(_load(base, args.clients, seconds))
        rss = _rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if not latencies:
        print(f"no requests were made: {errors[:3]}", file=sys.stderr)
        return 1
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"load: {args.clients} clients, {args.workers} workers, {elapsed:.1f} s: "
        f"{len(latencies) / elapsed:.0f} requests/s, p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, errors {len(errors)}, refused 503 {len(refused)}, "
        f"server RSS {rss:.0f} MiB"
    )
    for error in errors[:10]:
        print(f"  error: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
