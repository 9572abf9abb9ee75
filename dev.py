#!/usr/bin/env python3
"""The two commands of the quick start, needing nothing but Python 3.11+.

    python3 dev.py start   install, migrate, load demo data into a new database, serve on :8000
    python3 dev.py test    install, lint, type-check, check the layering, run every test on SQLite and PostgreSQL

Everything goes into .venv beside this file; a re-run installs only when pyproject.toml changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
CHROMIUM = Path(os.environ.get("FINSAM_CHROMIUM", "/usr/bin/chromium"))
TEST_POSTGRES = os.environ.get(
    "FINSAM_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"


def say(line: str) -> None:
    print(f"==> {line}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env={**os.environ, **(env or {})})
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def install(extras: str) -> None:
    """A virtual environment with the project installed (editable), redone when pyproject changes."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script is what tells an old Python so
        sys.exit(f"Finsam Portfolio needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        say("creating .venv")
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"installing dependencies{f' [{extras}]' if extras else ''}")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]" if extras else ".")
    stamp.write_text(digest)


def start(args: list[str]) -> None:
    install("")
    os.execv(str(BIN / "finsam"), [str(BIN / "finsam"), "start", *args])


def postgres_reachable(url: str) -> bool:
    host_port = url.split("@")[-1].split("/")[0]
    host, _, port = host_port.partition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port or 5432)), timeout=3):
            return True
    except OSError:
        return False


def ensure_chromium() -> bool:
    """Debian's Chromium for the browser tests; installed with apt-get where we may."""
    if CHROMIUM.exists():
        return True
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say("installing Debian's chromium for the browser tests")
        quiet = {"DEBIAN_FRONTEND": "noninteractive"}
        run("apt-get", "update", "-qq", env=quiet, check=False)
        run("apt-get", "install", "-y", "-qq", "chromium", env=quiet, check=False)
    return CHROMIUM.exists()


def test(args: list[str]) -> None:
    install("test")
    failures = 0
    say("ruff")
    failures += run(BIN / "ruff", "check", ".", check=False) != 0
    say("mypy")
    failures += (
        run(
            BIN / "mypy", "portfolio", "applications", "reports", "tests", "benchmarks", check=False
        )
        != 0
    )
    say("import-linter: the architecture's contracts (pyproject.toml [tool.importlinter])")
    failures += run(BIN / "lint-imports", "--no-cache", check=False) != 0

    pytest = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    env: dict[str, str] = {}
    if ensure_chromium():
        env["FINSAM_CHROMIUM"] = str(CHROMIUM)
    elif IN_CI:
        say(f"FAIL: Chromium is missing at {CHROMIUM} and could not be installed")
        failures += 1
    else:
        say(f"SKIPPING the browser tests: no Chromium at {CHROMIUM} (apt-get install -y chromium)")
        env["FINSAM_SKIP_E2E"] = "1"

    say("tests on SQLite (unit, integration, http, browser)")
    failures += run(*pytest, env={**env, "FINSAM_DATABASE_URL": ""}, check=False) != 0

    if postgres_reachable(TEST_POSTGRES):
        say(f"database tests on PostgreSQL ({TEST_POSTGRES.split('@')[-1]})")
        pg_env = {"FINSAM_DATABASE_URL": TEST_POSTGRES}
        failures += run(*pytest, "tests/integration", "tests/http", env=pg_env, check=False) != 0
        say("load on PostgreSQL, short: the real server, 32 clients for 5 s, no error allowed")
        failures += run(PYTHON, ROOT / "benchmarks" / "load.py", "--short", check=False) != 0
    elif IN_CI:
        say(f"FAIL: PostgreSQL is not reachable at {TEST_POSTGRES.split('@')[-1]} (CI=true)")
        failures += 1
    else:
        say(f"SKIPPING the PostgreSQL run: nothing listens at {TEST_POSTGRES.split('@')[-1]}")

    say("all checks passed" if not failures else f"{failures} step(s) failed")
    sys.exit(1 if failures else 0)


def main() -> None:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "start":
        start(rest)
    elif command == "test":
        test(rest)
    else:
        print(__doc__)
        sys.exit(0 if command == "help" else 2)


if __name__ == "__main__":
    main()
