"""Every benchmark in one run, on this machine, each printing its own figures.

    .venv/bin/python benchmarks/run_all.py           # the full versions (several minutes)
    .venv/bin/python benchmarks/run_all.py --short   # short versions

The budget room and the board pack need no server; throughput and load start their own on
127.0.0.1 (load needs PostgreSQL at 127.0.0.1:5432 and prints the server's memory after it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

BENCHMARKS: list[tuple[str, list[str], list[str]]] = [
    # (script, full arguments, short arguments)
    ("budget_room.py", [], []),
    ("board_pack.py", [], ["--runs", "3"]),
    ("throughput.py", [], ["--short"]),
    ("throughput.py", ["--postgres"], ["--postgres", "--short"]),
    ("load.py", [], ["--short"]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true")
    args = parser.parse_args()
    failed = []
    for script, full, short in BENCHMARKS:
        arguments = short if args.short else full
        print(f"\n=== {script} {' '.join(arguments)}".rstrip(), flush=True)
        start = time.perf_counter()
        code = subprocess.run([sys.executable, str(HERE / script), *arguments]).returncode
        print(f"--- {script}: exit {code}, {time.perf_counter() - start:.0f} s", flush=True)
        if code:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
