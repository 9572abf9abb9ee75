"""Benchmark: our endpoints against the true anchors, driven by wrk, in one run on this machine.

    .venv/bin/python benchmarks/throughput.py              # ours on SQLite: 3 rounds of 10 s a target
    .venv/bin/python benchmarks/throughput.py --postgres   # ours on PostgreSQL, with the pool anchor
    .venv/bin/python benchmarks/throughput.py --short      # 1 round of 3 s a target

Every server runs one uvicorn worker on 127.0.0.1; wrk (Debian's package, installed here when
missing) sends 32 connections on 2 threads. The anchors (`anchor_apps.py`) are a bare Litestar
route, 50 narrow rows through one kept-open aiosqlite connection (the SQLite ceiling), the same
rows through Piccolo's own SQLite engine, and (with --postgres) through Piccolo with a PostgreSQL
pool of 4 to 10. Ours is asked as the logged-in office. The rounds interleave ours and the anchors,
so a busy machine slows both alike; the medians of the rounds are printed with the CPU each
request cost its server, and the ratios issue #22 aims at (list and detail >= 0.5 of the SQLite
ceiling and >= 0.8 of the pool, p99 within 2x the anchor's; start page and budget room >= 0.3).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PG_URL = "postgres://postgres@127.0.0.1:5432/finsam_throughput"
CONNECTIONS = 32
TICKS = os.sysconf("SC_CLK_TCK")
FINSAM = [sys.executable, "-m", "portfolio.shell.cli"]
UVICORN = [sys.executable, "-m", "uvicorn", "--factory", "--app-dir", str(ROOT / "benchmarks")]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found is None and shutil.which("apt-get") and os.geteuid() == 0:
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=quiet, capture_output=True)
        found = shutil.which("wrk")
    if found is None:
        sys.exit("throughput: wrk is missing (apt-get install -y wrk)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str) -> None:
    for _ in range(300):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"no server at {url}")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its children (uvicorn may fork one worker)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(binary: str, url: str, seconds: float, cookie: str) -> dict[str, float]:
    command = [binary, "-t2", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    bad_count = int(bad.group(1)) if bad else 0
    socket_count = sum(map(int, sockets.groups())) if sockets else 0
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(re.search(r"50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "requests": float(requests),
        "errors": float(bad_count + socket_count),
    }


def _bench_rows_sqlite(path: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE IF NOT EXISTS bench_row (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("DELETE FROM bench_row")
        db.executemany(
            "INSERT INTO bench_row (id, name) VALUES (?, ?)",
            [(i, f"Rad {i}") for i in range(1, 51)],
        )


def _psql(sql: str, database: str = "finsam_throughput") -> None:
    subprocess.run(
        ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-c", sql],
        check=True,
        capture_output=True,
    )


def _serve(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="ours on PostgreSQL")
    parser.add_argument("--short", action="store_true", help="1 round of 3 s a target")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    rounds, seconds = (1, 3.0) if args.short else (args.rounds, args.seconds)
    binary = ensure_wrk()

    data = tempfile.mkdtemp(prefix="finsam-throughput-")
    sqlite_path = f"{data}/throughput.sqlite"
    base_env = {**os.environ, "FINSAM_DATA_DIR": data, "FINSAM_MAIL_INTERVAL": "0"}
    sqlite_env = {**base_env, "FINSAM_DATABASE_URL": f"sqlite:///{sqlite_path}"}
    demo = [*FINSAM, "demo"]
    subprocess.run(demo, env=sqlite_env, check=True, capture_output=True, cwd=ROOT)
    _bench_rows_sqlite(sqlite_path)
    ours_env = sqlite_env
    if args.postgres:
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "finsam_throughput"],
            capture_output=True,
        )
        _psql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        ours_env = {**base_env, "FINSAM_DATABASE_URL": PG_URL}
        subprocess.run(demo, env=ours_env, check=True, capture_output=True, cwd=ROOT)
        _psql("CREATE TABLE bench_row (id serial PRIMARY KEY, name varchar(100));")
        _psql("INSERT INTO bench_row (name) SELECT 'Rad ' || i FROM generate_series(1, 50) i;")
        _psql("ANALYZE;")

    anchor_env = {
        **base_env,
        "PYTHONPATH": str(ROOT),
        "FINSAM_BENCH_SQLITE": sqlite_path,
        "FINSAM_BENCH_POSTGRES": PG_URL,
    }
    anchors = ["ping", "sqlite_ceiling", "piccolo_sqlite"] + (
        ["piccolo_postgres"] if args.postgres else []
    )
    ports = {name: _free_port() for name in ["ours", *anchors]}
    servers = {
        "ours": _serve(
            [*FINSAM, "serve", "--port", str(ports["ours"]), "--workers", "1"],
            ours_env,
        )
    }
    for name in anchors:
        servers[name] = _serve(
            [*UVICORN, f"anchor_apps:{name}", "--port", str(ports[name]), "--log-level", "warning"],
            anchor_env,
        )
    try:
        results = _run(args, binary, rounds, seconds, ports, servers)
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=10)
    if results:
        sys.exit(1)


def _run(
    args: argparse.Namespace,
    binary: str,
    rounds: int,
    seconds: float,
    ports: dict[str, int],
    servers: dict[str, subprocess.Popen[bytes]],
) -> int:
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    _wait(urls["ours"] + "/healthz")
    for name in ports:
        if name != "ours":
            _wait(urls[name] + ("/ping" if name == "ping" else "/rows"))
    login = httpx.post(
        urls["ours"] + "/api/auth/login",
        json={"email": "kansli@upplandsbygd.example", "password": "kansli-demo-2026"},
    )
    login.raise_for_status()
    cookie = "; ".join(f"{k}={v}" for k, v in login.cookies.items())
    meetings = httpx.get(urls["ours"] + "/api/meetings/", cookies=login.cookies).json()
    meeting = next((m for m in meetings if m.get("body") == "board"), meetings[0])
    year = int(str(meeting["meeting_date"])[:4])

    targets: list[tuple[str, str, str, str]] = [  # label, server, path, cookie
        ("anchor: bare Litestar /ping", "ping", "/ping", ""),
        ("anchor: SQLite ceiling", "sqlite_ceiling", "/rows", ""),
        ("anchor: Piccolo SQLite", "piccolo_sqlite", "/rows", ""),
    ]
    if args.postgres:
        targets.append(("anchor: Piccolo PostgreSQL pool", "piccolo_postgres", "/rows", ""))
    targets += [
        ("/api/initiatives", "ours", "/api/initiatives/", cookie),
        ("/api/initiatives/1", "ours", "/api/initiatives/1", cookie),
        ("/api/applications", "ours", "/api/applications/", cookie),
        ("/api/meetings", "ours", "/api/meetings/", cookie),
        (
            "budget room of a meeting",
            "ours",
            f"/api/economy/budget-room?from={year}&meeting={meeting['id']}",
            cookie,
        ),
        ("/ office start page", "ours", "/", cookie),
    ]
    samples: dict[str, list[dict[str, float]]] = {label: [] for label, *_ in targets}
    for _ in range(rounds):
        for label, server, path, jar in targets:
            pid = servers[server].pid
            before = _cpu_seconds(pid)
            result = wrk(binary, urls[server] + path, seconds, jar)
            result["cpu_ms"] = (_cpu_seconds(pid) - before) * 1000 / max(result["requests"], 1)
            samples[label].append(result)

    def median(label: str, key: str) -> float:
        return statistics.median(s[key] for s in samples[label])

    database = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"throughput: ours on {database}, one worker each, wrk {CONNECTIONS} connections, "
        f"{rounds} round(s) of {seconds:g} s, medians"
    )
    print(f"  {'target':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>10}")
    errors = 0
    for label, *_ in targets:
        errors += int(sum(s["errors"] for s in samples[label]))
        print(
            f"  {label:34} {median(label, 'rps'):8.0f} {median(label, 'p50'):8.1f} "
            f"{median(label, 'p99'):8.1f} {median(label, 'cpu_ms'):10.2f}"
        )
    ceiling = "anchor: SQLite ceiling"
    pool = "anchor: Piccolo PostgreSQL pool"
    print("  ratios (ours / anchor, the aim in brackets):")
    for label in ("/api/initiatives", "/api/initiatives/1", "/api/applications", "/api/meetings"):
        line = f"    {label:30} {median(label, 'rps') / median(ceiling, 'rps'):.2f} of the SQLite ceiling (0.5)"
        if args.postgres:
            line += f", {median(label, 'rps') / median(pool, 'rps'):.2f} of the pool (0.8)"
        anchor = pool if args.postgres else ceiling
        line += f"; p99 {median(label, 'p99') / median(anchor, 'p99'):.1f}x the anchor's (2)"
        print(line)
    for label in ("budget room of a meeting", "/ office start page"):
        print(
            f"    {label:30} {median(label, 'rps') / median(ceiling, 'rps'):.2f} of the SQLite ceiling (0.3)"
        )
    print(f"  errors: {errors}")
    return errors


if __name__ == "__main__":
    main()
