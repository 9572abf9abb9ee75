"""Request and response pieces every area shares: the error answer, text limits, partial updates."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta

Name = Annotated[str, Meta(min_length=1, max_length=200)]
ShortText = Annotated[str, Meta(max_length=200)]
LongText = Annotated[str, Meta(max_length=20_000)]
Email = Annotated[str, Meta(min_length=3, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Version = Annotated[int, Meta(ge=1)]


class ErrorOut(msgspec.Struct):
    """Every API error: a message for a person and the field concerned, if any."""

    status_code: int
    message: str
    field: str | None = None
    errors: list[dict[str, str]] = []


def _json_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    decoded = msgspec.json.decode(value or "[]")
    return decoded if isinstance(decoded, list) else []


def set_fields(update: msgspec.Struct) -> dict[str, object]:
    """The fields a PATCH actually carries (UNSET ones left out), without the version."""
    return {
        name: value
        for name in update.__struct_fields__
        if name != "version" and (value := getattr(update, name)) is not UNSET
    }


def _json_field(value: Any) -> dict[str, Any] | None:
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return value
    decoded = msgspec.json.decode(value)
    return decoded if isinstance(decoded, dict) else {"value": decoded}
