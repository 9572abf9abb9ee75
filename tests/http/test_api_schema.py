"""The API's OpenAPI schema tells the truth: valid OpenAPI 3.1 by a real validator, every error
documented with the service's own shape, downloads with the media type they are served as;
and a method a route does not take is answered 405 with `Allow`."""

from __future__ import annotations

import re
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from portfolio.shell.app import PUBLIC_PATHS
from tests.factories import World
from tests.http.conftest import Browser

ERROR_SHAPE = {"status_code", "message", "field", "errors"}


@pytest.fixture
def schema(browser: Browser) -> dict[str, Any]:
    response = browser.get("/schema/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "put", "post", "patch", "delete"}
    ]


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_the_schema_is_valid_openapi_3_1(schema: dict[str, Any]) -> None:
    assert schema["openapi"].startswith("3.1")
    validate(schema)  # raises on any fault


def test_the_validator_would_catch_an_items_array() -> None:
    """The national figures' old fault, `items` given as an array, is refused by the validator
    (so the test above can fail), and the schema gives no tuple `prefixItems` that tools
    convert back into that form."""
    broken = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Pair": {"type": "array", "items": [{"type": "string"}]}}},
    }
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_the_national_figures_schema_has_no_tuple_items(schema: dict[str, Any]) -> None:
    operation = schema["paths"]["/api/followup/national"]["get"]
    body = _resolve(schema, operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert "prefixItems" not in str(body)
    for field in ("association", "initiatives"):
        assert isinstance(body["properties"][field]["items"], dict)
        assert isinstance(body["properties"][field]["items"]["items"], dict)


def test_every_error_is_documented_in_the_service_shape(schema: dict[str, Any]) -> None:
    operations = _operations(schema)
    assert len(operations) > 50
    for method, path, operation in operations:
        responses = operation["responses"]
        codes = {int(code) for code in responses}
        where = f"{method} {path}"
        assert {400, 500, 503} <= codes, where
        if not any(re.search(pattern, path) for pattern in PUBLIC_PATHS):
            assert {401, 403, 422} <= codes, where
        if "{" in path:
            assert 404 in codes, where
        if method != "GET":
            assert 409 in codes, where
        if "requestBody" in operation:
            assert {413, 415, 422} <= codes, where
        for code, response in responses.items():
            if int(code) < 400:
                continue
            body = _resolve(schema, response["content"]["application/json"]["schema"])
            assert set(body["required"]) >= ERROR_SHAPE, (where, code)
            assert "detail" not in body["properties"], (where, code)
        server_error = _resolve(schema, responses["500"]["content"]["application/json"]["schema"])
        assert "reference" in server_error["required"]


def test_the_log_in_documents_its_own_refusals(schema: dict[str, Any]) -> None:
    codes = set(schema["paths"]["/api/auth/login"]["post"]["responses"])
    assert {"400", "401", "415", "422", "429"} <= codes


def test_downloads_document_the_media_type_they_are_served_as(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    mail = paths["/api/mail/{mail_id}/attachments/{mail_attachment_id}"]["get"]
    assert set(mail["responses"]["200"]["content"]) == {"application/pdf"}
    attachment = paths["/api/attachments/{attachment_id}"]["get"]
    assert set(attachment["responses"]["200"]["content"]) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_a_real_refusal_matches_what_the_schema_documents(
    world: World, browser: Browser, schema: dict[str, Any]
) -> None:
    browser.api_login("kansli@test.example")
    refused = browser.get("/api/initiatives/987654")
    assert refused.status_code == 404
    documented = schema["paths"]["/api/initiatives/{initiative_id}"]["get"]["responses"]["404"]
    body = _resolve(schema, documented["content"]["application/json"]["schema"])
    assert set(refused.json()) == set(body["properties"])


def test_a_method_a_route_does_not_take_is_answered_405_with_allow(
    world: World, browser: Browser
) -> None:
    browser.api_login("kansli@test.example")
    refused = browser.client.request("PATCH", "/api/auth/login")
    assert refused.status_code == 405
    assert {m.strip() for m in refused.headers["allow"].split(",")} >= {"POST"}
    assert "PATCH" not in refused.headers["allow"]
    assert set(refused.json()) >= ERROR_SHAPE  # the body stays the service's own

    page = browser.client.request("PUT", "/login")
    assert page.status_code == 405
    assert "GET" in page.headers["allow"] and "POST" in page.headers["allow"]
