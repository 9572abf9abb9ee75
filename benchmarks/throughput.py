"""Benchmark: throughput and latency of our main list and detail endpoints against a bare
Litestar + Piccolo app reading the same rows, on the same machine in one run.

    .venv/bin/python benchmarks/throughput.py              # SQLite, 5 s per endpoint
    .venv/bin/python benchmarks/throughput.py --postgres   # PostgreSQL (database finsam_throughput)
    .venv/bin/python benchmarks/throughput.py --short      # 2 s per endpoint

Both servers run with one uvicorn worker on 127.0.0.1 against one database filled with the demo
data. Ours is asked as the logged-in office (session, guards, the access rule, services and
msgspec out); the bare app selects the same rows with Piccolo and returns them. It prints
requests/s, p50 and p99 per endpoint and the ratio ours/bare (target at least 0.5).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 16
PG_URL = "postgres://postgres@127.0.0.1:5432/finsam_throughput"


def bare_app() -> Any:
    """The baseline: Litestar and Piccolo with the same engine, no sessions, guards or services."""
    from litestar import Litestar, get

    from portfolio.core.db import close_database, current_engine, open_database
    from portfolio.core.tables import Initiative

    engine = current_engine()

    @get("/initiatives")
    async def initiatives() -> list[dict[str, Any]]:
        return await Initiative.select().order_by(Initiative.name)

    @get("/initiatives/{initiative_id:int}")
    async def initiative(initiative_id: int) -> dict[str, Any] | None:
        return await Initiative.select().where(Initiative.id == initiative_id).first()

    async def startup() -> None:
        await open_database(engine, 5)

    async def shutdown() -> None:
        await close_database(engine)

    return Litestar([initiatives, initiative], on_startup=[startup], on_shutdown=[shutdown])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(base: str) -> None:
    for _ in range(200):
        try:
            httpx.get(base + "/", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"no server at {base}")


async def _load(
    base: str, path: str, seconds: float, cookies: httpx.Cookies
) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=30) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await client.get(path)
                latencies.append(time.perf_counter() - start)
                errors += response.status_code != 200

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - began
    return len(latencies) / elapsed, latencies, errors


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--short", action="store_true", help="2 s per endpoint")
    args = parser.parse_args()
    seconds = 2.0 if args.short else args.seconds
    data = tempfile.mkdtemp(prefix="finsam-throughput-")
    url = PG_URL if args.postgres else f"sqlite:///{data}/throughput.sqlite"
    env = {
        **os.environ,
        "FINSAM_DATA_DIR": data,
        "FINSAM_DATABASE_URL": url,
        "FINSAM_MAIL_INTERVAL": "0",
    }
    if args.postgres:
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "finsam_throughput"],
            capture_output=True,
        )
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                "finsam_throughput",
                "-c",
                "DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
            ],
            capture_output=True,
            check=True,
        )
    subprocess.run(
        [sys.executable, "-m", "portfolio.shell.cli", "demo"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    ours_port, bare_port = _free_port(), _free_port()
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "portfolio.shell.cli",
                "serve",
                "--port",
                str(ours_port),
                "--workers",
                "1",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "--app-dir",
                str(ROOT / "benchmarks"),
                "throughput:bare_app",
                "--port",
                str(bare_port),
                "--log-level",
                "warning",
            ],
            env={**env, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        ours, bare = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{bare_port}"
        _wait(ours)
        _wait(bare)
        login = httpx.post(
            ours + "/api/auth/login",
            json={"email": "kansli@upplandsbygd.example", "password": "kansli-demo-2026"},
        )
        login.raise_for_status()
        pairs = [
            ("list of insatser", "/api/initiatives/", "/initiatives"),
            ("one insats", "/api/initiatives/1", "/initiatives/1"),
        ]
        print(
            f"throughput: {'PostgreSQL' if args.postgres else 'SQLite'}, {CLIENTS} clients, {seconds:.0f} s each, 1 worker"
        )
        print(
            f"  {'endpoint':18} {'ours req/s':>10} {'p50 ms':>7} {'p99 ms':>7} | {'bare req/s':>10} {'p50 ms':>7} {'p99 ms':>7} | ratio"
        )
        failures = 0
        for label, our_path, bare_path in pairs:
            rate, lat, errors = asyncio.run(_load(ours, our_path, seconds, login.cookies))
            base_rate, base_lat, base_errors = asyncio.run(
                _load(bare, bare_path, seconds, httpx.Cookies())
            )
            failures += errors + base_errors
            print(
                f"  {label:18} {rate:10.0f} {_quantile(lat, 0.5):7.1f} {_quantile(lat, 0.99):7.1f} | "
                f"{base_rate:10.0f} {_quantile(base_lat, 0.5):7.1f} {_quantile(base_lat, 0.99):7.1f} | "
                f"{rate / base_rate:.2f} (target >= 0.5)"
            )
        print(f"  errors: {failures}")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
