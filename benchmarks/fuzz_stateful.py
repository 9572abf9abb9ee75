"""A longer schemathesis run than CI's, with its stateful phase, as the office and as an owner.

    .venv/bin/python benchmarks/fuzz_stateful.py [--examples 40] [--max-time 600]
    FINSAM_BENCH_DATABASE=test_h2 .venv/bin/python benchmarks/fuzz_stateful.py

The real server (2 uvicorn workers) on 127.0.0.1 only, on PostgreSQL with the demo data in a
database of its own (emptied each run). For each account schemathesis's own runner takes every
operation of `/schema/openapi.json` through its phases (examples, coverage, fuzzing, and the
stateful phase, which chains operations by the links it infers: an id one answer gives is
used by the next request), `--examples` per operation, with its checks that no answer is a
5xx and that every answer has a documented status, media type, headers and body. Logged in
with a session cookie and the CSRF header; left out are the operations that would end the
session under way (log-out, and editing a user, which may deactivate the one fuzzing).
Prints schemathesis's summary per account; exit 1 if either run found a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import faults
from faults import Server, _free_port
from load import FINSAM, ROOT

DATABASE = os.environ.get("FINSAM_BENCH_DATABASE", "finsam_fuzz")
ACCOUNTS = [
    ("kansli@upplandsbygd.example", "kansli-demo-2026"),
    ("agare@knivsta.example", "agare-demo-2026"),
]
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_headers_conformance,response_schema_conformance"
)
LEFT_OUT = r"^/api/auth/logout$|^/api/users/\{user_id\}$"
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def _session(base: str, email: str, password: str) -> tuple[str, str]:
    """The Cookie header and CSRF token of a fresh log-in."""
    with httpx.Client(base_url=base, timeout=30) as client:
        login = client.post("/api/auth/login", json={"email": email, "password": password})
        login.raise_for_status()
        cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        return cookies, login.headers["x-csrftoken"]


def _forget_attempts() -> None:
    """The previous account's run fuzzed the log-in and the password links from this address:
    their counts would refuse the next account's log-in (429), so they start from nothing."""
    psql = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE]
    for table in ("login_failure", "rate_event"):
        subprocess.run([*psql, "-c", f"DELETE FROM {table};"], capture_output=True)


def _fresh_database() -> str:
    faults.DATABASE = DATABASE  # its own database, emptied the same way
    return asyncio.run(faults._fresh_database())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=40, help="per operation and phase")
    parser.add_argument("--max-time", type=int, default=600, help="seconds per account")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    url = _fresh_database()
    data_dir = ROOT / "data" / "fuzz"
    env = {
        **os.environ,
        "FINSAM_DATABASE_URL": url,
        "FINSAM_DATA_DIR": str(data_dir),
        "FINSAM_SECRET_KEY": "fuzz-test-only",
        "FINSAM_DB_POOL_SIZE": "5",
        "FINSAM_MAIL_INTERVAL": "0",
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([FINSAM, "demo"], env=env, check=True, capture_output=True)
    server = Server(env, _free_port(), args.workers, data_dir / "server.log")
    server.start()
    base = f"http://127.0.0.1:{server.port}"
    failed = False
    try:
        for email, password in ACCOUNTS:
            _forget_attempts()
            cookies, token = _session(base, email, password)
            started = time.monotonic()
            run = subprocess.run(
                [
                    SCHEMATHESIS,
                    "run",
                    f"{base}/schema/openapi.json",
                    "--phases=examples,coverage,fuzzing,stateful",
                    f"--max-examples={args.examples}",
                    f"--max-time={args.max_time}",
                    f"--checks={CHECKS}",
                    f"--exclude-path-regex={LEFT_OUT}",
                    "--continue-on-failure",
                    "--generation-deterministic",
                    "--request-timeout=60",
                    "--warnings=off",
                    "--no-color",
                    f"--header=Cookie: {cookies}",
                    f"--header=x-csrftoken: {token}",
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            lines = run.stdout.strip().splitlines()
            at = [n for n, line in enumerate(lines) if "SUMMARY" in line]
            summary = lines[at[-1] :] if at else lines[-25:]
            print(f"== {email}: exit {run.returncode}, {time.monotonic() - started:.0f} s")
            print("\n".join(summary))
            if run.returncode != 0:
                failed = True
                (data_dir / f"schemathesis-{email}.txt").write_text(run.stdout + run.stderr)
    finally:
        server.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
