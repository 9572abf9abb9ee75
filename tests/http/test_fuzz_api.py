"""Fuzzing: schemathesis generates requests from the app's own OpenAPI schema; none may crash it.

Logged in as the office (who may reach every operation) and then as an insatsägare (whose
writes, drafts, reports and claims, the office is refused before their bodies are read), with
the CSRF token and a bounded number of examples per operation, so each run stays within a
minute. A 5xx is a bug, whatever the input; and every answer, errors included, must be what the
schema says of that operation: a documented status, the documented media type and a body that
fits the documented schema (schemathesis's own response-conformance checks).
"""

from __future__ import annotations

import asyncio
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from litestar.testing import TestClient
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tests.factories import World

EXAMPLES = 3  # per operation (about 80): some 20 s on SQLite
CONFORMANCE = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Operations that would end the fuzzing session itself rather than test anything.
SKIP = {("POST", "/api/auth/logout")}


@pytest.fixture
def records(world: World) -> factories.Records:
    return asyncio.run(factories.records(world))


def _log_in(client: TestClient[Any], email: str) -> str:
    response = client.post("/api/auth/login", json={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.headers["x-csrftoken"])


@pytest.mark.parametrize("email", ["kansli@test.example", "agare@alfa.example"])
def test_no_generated_request_makes_the_api_answer_5xx_or_off_its_schema(
    records: factories.Records, app: Any, email: str
) -> None:
    crashes: list[str] = []
    mismatches: list[str] = []
    with TestClient(app=app, base_url="http://testserver.local") as client:
        token = _log_in(client, email)
        schema = schemathesis.openapi.from_dict(client.get("/schema/openapi.json").json())
        operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
        assert len(operations) > 50

        for operation in operations:
            if (operation.method.upper(), operation.path) in SKIP:
                continue

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,  # the same examples every run: a failure can be rerun
                suppress_health_check=list(HealthCheck),
                phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
            )
            def probe(case: Any) -> None:
                nonlocal token
                kwargs = case.as_transport_kwargs(base_url="http://testserver.local")
                headers = {**(kwargs.get("headers") or {}), "x-csrftoken": token}
                body = {k: kwargs[k] for k in ("json", "files") if kwargs.get(k) is not None}
                if "files" in body:  # a multipart part is text or bytes: say a number as text
                    body["files"] = [
                        (name, (filename, v if isinstance(v, str | bytes) else str(v), *rest))
                        for name, (filename, v, *rest) in body["files"]
                    ]
                if kwargs.get("data") is not None:
                    data = kwargs["data"]
                    body["content" if isinstance(data, bytes | str) else "data"] = data
                response = client.request(
                    kwargs["method"],
                    kwargs["url"],
                    params=kwargs.get("params"),
                    headers=headers,
                    follow_redirects=False,
                    **body,
                )
                if response.status_code >= 500:
                    crashes.append(
                        f"{kwargs['method']} {kwargs['url']} params={kwargs.get('params')} "
                        f"body={str(body)[:300]} -> {response.status_code}"
                    )
                else:
                    response.request.read()  # a multipart body is a stream until read
                    try:
                        case.validate_response(response, checks=CONFORMANCE)
                    except FailureGroup as exc:  # every failed check, with its reason
                        mismatches.append(
                            f"{kwargs['method']} {kwargs['url']} -> {response.status_code}: "
                            + " | ".join(str(e).split("\n")[0] for e in exc.exceptions)
                        )
                if response.status_code == 401:  # e.g. the office account was deactivated
                    token = _log_in(client, email)

            probe()
    assert not crashes, "\n".join(crashes[:30])
    assert not mismatches, "\n".join(mismatches[:30])
