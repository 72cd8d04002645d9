"""The local server answers an operation of the spec that has no route of its own, as the spec says."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest

from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._app import create_app
from fishaudio_ext.server._routes_generic import sample
from fishaudio_ext.server._spec import Spec, load_spec, schema_errors

SPEC = load_spec()


def _has_pattern(node: Any) -> bool:
    if isinstance(node, dict):
        return "pattern" in node or any(_has_pattern(value) for value in node.values())
    return isinstance(node, list) and any(_has_pattern(value) for value in node)


# Pattern-constrained strings are not synthesized (see _routes_generic); no component schema has one today.
SCHEMAS = sorted(
    name for name, schema in SPEC.document["components"]["schemas"].items() if not _has_pattern(schema)
)


def test_the_samples_cover_the_component_schemas() -> None:
    assert len(SCHEMAS) == len(SPEC.document["components"]["schemas"])


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_sample_of_every_schema_is_valid(name: str) -> None:
    pointer = f"/components/schemas/{name}"
    instance = sample(SPEC, {"$ref": f"#{pointer}"})
    assert schema_errors(SPEC, pointer, instance) == []


def _spec_with_new_operation() -> Spec:
    """The spec plus a GET and a streaming POST that no hand-written route serves."""
    document = copy.deepcopy(SPEC.document)
    document["paths"]["/v1/usage/{period}"] = {
        "get": {
            "operationId": "get_usage",
            "parameters": [{"name": "period", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {
                    "description": "Usage.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/PackageEntity"}}
                    },
                }
            },
        },
        "post": {
            "operationId": "replay_usage",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TTSRequest"}}},
            },
            "responses": {
                "200": {
                    "description": "Events.",
                    "content": {
                        "text/event-stream": {
                            "schema": {"type": "string"},
                            "x-event-schema": {"$ref": "#/components/schemas/TTSTimestampStreamEvent"},
                        }
                    },
                },
                "400": {"$ref": "#/components/responses/BadRequest"},
            },
        },
    }
    return Spec(document)


@pytest.fixture
def extended_server() -> Any:
    server = LocalServer(api_key="k")
    server.context.spec = _spec_with_new_operation()
    server.app = create_app(server.context)
    with server:
        yield server


def test_a_new_operation_gets_a_conforming_answer(extended_server: LocalServer) -> None:
    spec = extended_server.context.spec
    headers = {"Authorization": "Bearer k"}
    with httpx.Client(base_url=extended_server.url, headers=headers) as http:
        usage = http.get("/v1/usage/2026-11")
        events = http.post("/v1/usage/2026-11", json={"text": "Hi"})
        refused = http.post("/v1/usage/2026-11", json={"text": 5})
        unauthenticated = http.get("/v1/usage/2026-11", headers={"Authorization": "Bearer wrong"})
    assert usage.status_code == 200
    assert schema_errors(spec, "/components/schemas/PackageEntity", usage.json()) == []
    assert events.status_code == 200
    assert events.headers["content-type"].startswith("text/event-stream")
    data = events.text.removeprefix("data: ").strip()
    assert schema_errors(spec, "/components/schemas/TTSTimestampStreamEvent", json.loads(data)) == []
    # Like every route: the request is validated against the spec, and the key is checked.
    assert refused.status_code == 422
    assert unauthenticated.status_code == 401
