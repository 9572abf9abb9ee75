"""The `finsam` command line: demo data, accounts, and one clear line on bad input."""

from __future__ import annotations

import asyncio

import pytest

from portfolio.core.tables import Initiative, Organisation, User
from portfolio.demo.register import DEMO_USERS
from portfolio.shell.cli import main


def test_demo_loads_once_and_is_idempotent(capsys: pytest.CaptureFixture[str]) -> None:
    """Running demo twice gives the same rows, and prints every demo log-in."""
    assert main(["demo"]) == 0
    counts = asyncio.run(_counts())
    assert main(["demo"]) == 0
    assert asyncio.run(_counts()) == counts
    out = capsys.readouterr().out
    assert "already there" in out
    for user in DEMO_USERS:
        assert user.email in out and user.password in out
    assert counts[0] >= 5 and counts[2] == len(DEMO_USERS)


async def _counts() -> tuple[int, int, int]:
    return (await Initiative.count(), await Organisation.count(), await User.count())


def test_demo_has_every_role_and_insatser_in_several_states() -> None:
    """The demo association shows a living portfolio: several states, all three roles."""
    main(["demo"])
    statuses = {row["status"] for row in asyncio.run(Initiative.select(Initiative.status).run())}
    assert {"applied", "granted", "running", "ended"} <= statuses
    roles = {row["role"] for row in asyncio.run(User.select(User.role).run())}
    assert roles == {"office", "owner", "board"}


def test_create_user_with_a_bad_role_prints_one_line_and_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A wrong --role is one line on stderr and exit code 1."""
    code = main(
        [
            "create-user",
            "--email",
            "a@b.example",
            "--name",
            "A",
            "--role",
            "king",
            "--password",
            "x" * 12,
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and "--role must be one of" in err[0]


def test_create_user_for_an_unknown_organisation_fails_clearly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An owner account for an organisation that does not exist is refused in one line."""
    code = main(
        [
            "create-user",
            "--email",
            "a@b.example",
            "--name",
            "A",
            "--role",
            "owner",
            "--organisation",
            "Finns Inte",
            "--password",
            "x" * 12,
        ]
    )
    assert code == 1 and "no organisation is named" in capsys.readouterr().err


def test_create_user_then_a_duplicate(capsys: pytest.CaptureFixture[str]) -> None:
    """create-user makes an account; the same e-mail again is refused."""
    args = [
        "create-user",
        "--email",
        "chef@x.example",
        "--name",
        "Chef",
        "--role",
        "office",
        "--password",
        "långt-lösenord",
    ]
    assert main(args) == 0
    assert main(args) == 1
    assert "redan ett konto" in capsys.readouterr().err


def test_short_password_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """Passwords shorter than ten characters are refused on the command line too."""
    assert (
        main(
            [
                "create-user",
                "--email",
                "k@x.example",
                "--name",
                "K",
                "--role",
                "board",
                "--password",
                "kort",
            ]
        )
        == 1
    )
    assert "error" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://postgres@127.0.0.1:1/nowhere", "the database cannot be used"),
        ("mysql://somewhere", "must start with sqlite:/// or postgres://"),
    ],
)
def test_unusable_database_url_is_one_clear_line(url: str, expected: str, tmp_path: object) -> None:
    """A database that cannot be reached, or a URL of the wrong kind, gives one line and exit 1."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "FINSAM_DATABASE_URL": url, "FINSAM_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "portfolio.shell.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and expected in result.stderr


def test_argument_mistakes_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", "abc"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
