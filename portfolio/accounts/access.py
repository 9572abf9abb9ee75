"""Who may use a route, declared beside its handler, so that a test can hold every route to it.

A handler's guards already say much (`office_only`: the office; `portfolio_readers`: office and
board). Where the guard only asks for a log-in and the rule lives in a service (an owner's own
organisation, say), the handler declares it with `opt=access(...)`. The authorization matrix
test (`tests/http/test_authorization_matrix.py`) fails on any route whose rule is declared
nowhere, so a new route cannot slip through unclassified.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

ACCESS = "access"  # the key in a route handler's `opt`
REFUSAL = "access_refusal"  # what a refused person is told, where the general words say too little


class Who(StrEnum):
    OFFICE = "office"
    BOARD = "board"
    OWN = "own"  # an owner, on their own organisation's things (another's: 403 or 404)
    OWNER = "owner"  # any owner: the route takes no other organisation's thing (a list, own note)
    SELF = "self"  # anyone, on a thing addressed to them personally (a mail sent to them)


SIGNED_IN = frozenset({Who.OFFICE, Who.BOARD, Who.OWNER})


def access(*who: Who, refusal: str = "") -> dict[str, Any]:
    """The `opt` of a handler that anyone in `who` may use."""
    return {ACCESS: frozenset(who), REFUSAL: refusal}
