"""Benchmark: the budget room for 1 000 insatser over 10 years, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/budget_room.py              # both databases (PostgreSQL if reachable)
    .venv/bin/python benchmarks/budget_room.py --only sqlite

Each database gets a fresh schema of its own (a temporary SQLite file; on PostgreSQL the
database `finsam_bench`, created if missing). Prints the median and p95 of 30 runs of the whole
budget room (the database's GROUP BY plus the pure arithmetic) and of the arithmetic alone.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INSATSER = 1_000
YEARS = 10
RUNS = 30
PG_ADMIN = os.environ.get("FINSAM_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


async def _bench() -> dict[str, float]:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from portfolio.core.db import close_database, current_engine, open_database
    from portfolio.core.domain import (
        Body,
        CaseKind,
        InitiativeKind,
        InitiativeStatus,
        OrganisationKind,
    )
    from portfolio.core.tables import (
        Case,
        Commitment,
        Decision,
        Initiative,
        Meeting,
        Organisation,
        YearBudget,
    )
    from portfolio.economy import services as economy
    from portfolio.economy.budget_room import compute_budget_room

    engine = current_engine()
    if os.environ["FINSAM_DATABASE_URL"].startswith("postgres"):
        await engine.run_ddl("DROP SCHEMA public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
    assert (await run_forwards("all")).success
    await open_database(engine, 5)
    start_year = 2030
    org = (
        await Organisation.insert(
            Organisation(name="Kommun", kind=OrganisationKind.KOMMUN)
        ).returning(Organisation.id)
    )[0]["id"]
    meeting = (
        await Meeting.insert(Meeting(body=Body.BOARD, meeting_date=dt.date(2029, 12, 1))).returning(
            Meeting.id
        )
    )[0]["id"]
    initiatives = await Initiative.insert(
        *[
            Initiative(
                name=f"Insats {n:04d}",
                kind=InitiativeKind.INDIVIDUAL,
                status=InitiativeStatus.RUNNING,
                lead_owner=org,
            )
            for n in range(INSATSER)
        ]
    ).returning(Initiative.id)
    cases = await Case.insert(
        *[
            Case(
                year=2029,
                number=n + 1,
                case_number=f"2029:{n + 1}",
                title=f"Ärende {n}",
                kind=CaseKind.APPLICATION,
                initiative=i["id"],
            )
            for n, i in enumerate(initiatives)
        ]
    ).returning(Case.id)
    decisions = await Decision.insert(
        *[
            Decision(
                case=c["id"],
                meeting=meeting,
                paragraph=n + 1,
                outcome="granted",
                amount=YEARS * 100_000,
            )
            for n, c in enumerate(cases)
        ]
    ).returning(Decision.id)
    rows = [
        Commitment(decision=d["id"], initiative=i["id"], year=start_year + y, amount=100_000 + y)
        for d, i in zip(decisions, initiatives, strict=True)
        for y in range(YEARS)
    ]
    for chunk in range(0, len(rows), 1_000):
        await Commitment.insert(*rows[chunk : chunk + 1_000])
    await YearBudget.insert(
        *[
            YearBudget(
                year=start_year + y,
                member_contributions=200_000_000,
                elected_members=500_000,
                administration=2_600_000,
                other_costs="[]",
            )
            for y in range(YEARS)
        ]
    )

    whole, arithmetic = [], []
    for _ in range(RUNS):
        began = time.perf_counter()
        table = await economy.budget_room(start_year, YEARS)
        whole.append(time.perf_counter() - began)
        assert len([r for r in table.rows if r.kind == "commitment"]) == INSATSER
    # The arithmetic alone, on the same input the database produced.
    from portfolio.economy.budget_room import BudgetRoomInput, YearFigures

    commitments = await economy._commitments(list(range(start_year, start_year + YEARS)), {})
    data = BudgetRoomInput(
        years=tuple(
            YearFigures(
                year=start_year + y,
                member_contributions=200_000_000,
                elected_members=500_000,
                administration=2_600_000,
            )
            for y in range(YEARS)
        ),
        opening_balance=0,
        commitments=tuple(commitments),
    )
    for _ in range(RUNS):
        began = time.perf_counter()
        compute_budget_room(data)
        arithmetic.append(time.perf_counter() - began)
    await close_database(engine)
    return {
        "median_ms": statistics.median(whole) * 1000,
        "p95_ms": sorted(whole)[int(RUNS * 0.95) - 1] * 1000,
        "arithmetic_median_ms": statistics.median(arithmetic) * 1000,
    }


def _child(url: str) -> None:
    os.environ["FINSAM_DATABASE_URL"] = url
    os.environ["FINSAM_DATA_DIR"] = tempfile.mkdtemp(prefix="finsam-bench-")
    os.environ["PICCOLO_CONF"] = "portfolio.piccolo_conf"
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        figures = asyncio.run(_bench())
    print(
        f"{figures['median_ms']:.1f} {figures['p95_ms']:.1f} {figures['arithmetic_median_ms']:.2f}"
    )


def _postgres_url() -> str | None:
    try:
        import asyncpg

        async def ensure() -> None:
            connection = await asyncpg.connect(PG_ADMIN, timeout=3)
            try:
                if not await connection.fetchval(
                    "SELECT 1 FROM pg_database WHERE datname = 'finsam_bench'"
                ):
                    await connection.execute("CREATE DATABASE finsam_bench")
            finally:
                await connection.close()

        asyncio.run(ensure())
    except Exception as exc:
        print(f"PostgreSQL: not measured ({exc})")
        return None
    return PG_ADMIN.rsplit("/", 1)[0] + "/finsam_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    targets: list[tuple[str, str]] = []
    if args.only in (None, "sqlite"):
        targets.append(("SQLite", f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}"))
    if args.only in (None, "postgres") and (url := _postgres_url()):
        targets.append(("PostgreSQL", url))
    print(f"Budget room, {INSATSER} insatser x {YEARS} years, {RUNS} runs (target: under 50 ms)")
    for name, url in targets:
        out = subprocess.run(
            [sys.executable, __file__, "--child", url], capture_output=True, text=True, check=True
        ).stdout.split()
        median, p95, arithmetic = map(float, out[-3:])
        print(
            f"  {name:<11} median {median:6.1f} ms   p95 {p95:6.1f} ms   arithmetic alone {arithmetic:5.2f} ms   ratio to target {median / 50:4.2f}"
        )


if __name__ == "__main__":
    main()
