"""What the API schema says of an answer where a handler's signature cannot tell it."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Operation, Schema
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType


def served_as(*media_types: str) -> type[Operation]:
    """An operation class (`operation_class=` of a route) whose success answer is a file of
    one of `media_types`, as the download really is, rather than the one type Litestar knows."""

    @dataclass
    class FileOperation(Operation):
        def __post_init__(self) -> None:
            for code, response in (self.responses or {}).items():
                if code.startswith("2") and isinstance(response, OpenAPIResponse):
                    binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
                    response.content = {t: OpenAPIMediaType(schema=binary) for t in media_types}

    return FileOperation
