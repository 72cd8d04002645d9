"""spec/asyncapi.yaml is a well-formed AsyncAPI 3.0 description of /v1/tts/live over the Live* schemas.

No AsyncAPI validator is available for Python, so the rules that matter here are checked one by one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = ROOT / "spec"
ASYNCAPI_PATH = SPEC_DIR / "asyncapi.yaml"
OPENAPI_PATH = SPEC_DIR / "openapi.yaml"

CHANNEL_ADDRESS = "/v1/tts/live"
CLIENT_MESSAGES = {"start", "text", "flush", "stop"}
SERVER_MESSAGES = {"audio", "finish", "log"}


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


ASYNCAPI = load(ASYNCAPI_PATH)
OPENAPI = load(OPENAPI_PATH)
DOCUMENTS = {ASYNCAPI_PATH: ASYNCAPI, OPENAPI_PATH: OPENAPI}
OPENAPI_SCHEMAS: dict[str, Any] = OPENAPI["components"]["schemas"]


def find_refs(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(pointer of the referencing object, $ref) for every `$ref` in `node`."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield pointer, node["$ref"]
        for key, value in node.items():
            yield from find_refs(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from find_refs(item, f"{pointer}/{index}")


def resolve_ref(ref: str, base: Path = ASYNCAPI_PATH) -> tuple[Path, Any]:
    """The file and the node a `$ref` written in `base` points at (KeyError/IndexError if nowhere)."""
    location, _, fragment = ref.partition("#")
    path = (base.parent / location).resolve() if location else base
    if path not in DOCUMENTS:
        raise KeyError(f"{ref!r} points outside the spec documents ({path})")
    node: Any = DOCUMENTS[path]
    assert fragment.startswith("/") or fragment == "", f"{ref!r} has no JSON pointer fragment"
    for raw in fragment.split("/")[1:]:
        segment = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(segment)] if isinstance(node, list) else node[segment]
    return path, node


def deref(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = resolve_ref(node["$ref"])[1]
    return node


CHANNELS: dict[str, Any] = ASYNCAPI.get("channels", {})
OPERATIONS: dict[str, Any] = ASYNCAPI.get("operations", {})
MESSAGES: dict[str, Any] = ASYNCAPI.get("components", {}).get("messages", {})
REFS = list(find_refs(ASYNCAPI))


def live_event_schemas() -> dict[str, str]:
    """OpenAPI schema name -> `event` const, for every Live* schema that is a WebSocket message."""
    return {
        name: schema["properties"]["event"]["const"]
        for name, schema in OPENAPI_SCHEMAS.items()
        if name.startswith("Live") and "const" in schema.get("properties", {}).get("event", {})
    }


def payload_schema_name(message: dict[str, Any]) -> str:
    ref = message["payload"]["$ref"]
    assert ref.startswith("./openapi.yaml#/components/schemas/"), f"payload {ref!r} is not an OpenAPI schema"
    return ref.rpartition("/")[2]


# --- document -------------------------------------------------------------------------------------------


def test_asyncapi_version_and_info() -> None:
    assert ASYNCAPI["asyncapi"] == "3.0.0"
    info = ASYNCAPI["info"]
    assert isinstance(info.get("title"), str)
    assert info["title"].strip()
    assert isinstance(info.get("version"), str)
    assert info["version"].strip()


def test_servers_are_secure_websocket_hosts() -> None:
    servers = ASYNCAPI.get("servers", {})
    assert servers, "no servers"
    for name, server in servers.items():
        assert server.get("protocol") == "wss", f"server {name}: protocol must be wss"
        host = server.get("host", "")
        assert host, f"server {name} has no host"
        assert "://" not in host, f"server {name}: host {host!r} must not carry a scheme"
        assert "/" not in host, f"server {name}: host {host!r} must not carry a path"


def test_one_channel_at_the_live_address() -> None:
    assert len(CHANNELS) == 1, f"expected one channel, got {sorted(CHANNELS)}"
    (channel,) = CHANNELS.values()
    assert channel["address"] == CHANNEL_ADDRESS
    assert channel.get("messages"), "the channel lists no messages"


@pytest.mark.parametrize(("where", "ref"), REFS, ids=[f"{where} -> {ref}" for where, ref in REFS])
def test_ref_resolves(where: str, ref: str) -> None:
    try:
        _, target = resolve_ref(ref)
    except (KeyError, IndexError, ValueError) as error:
        pytest.fail(f"{where}: $ref {ref!r} resolves to nothing ({error!r})")
    assert isinstance(target, dict), f"{where}: $ref {ref!r} points at {target!r}, not an object"


def test_refs_are_found() -> None:
    assert len(REFS) >= 20, REFS
    assert any(ref.startswith("./openapi.yaml#/") for _, ref in REFS)


# --- operations -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_operation_points_at_the_channel_and_its_messages(name: str) -> None:
    operation = OPERATIONS[name]
    assert operation.get("action") in {"send", "receive"}, f"{name}: action {operation.get('action')!r}"
    (channel_name,) = CHANNELS
    assert operation["channel"] == {"$ref": f"#/channels/{channel_name}"}
    assert operation.get("messages"), f"{name} lists no messages"
    for message in operation["messages"]:
        ref = message["$ref"]
        prefix = f"#/channels/{channel_name}/messages/"
        assert ref.startswith(prefix), f"{name}: {ref!r} is not one of the channel's messages"
        assert ref.removeprefix(prefix) in CHANNELS[channel_name]["messages"], f"{name}: {ref!r}"


def messages_by_action() -> dict[str, set[str]]:
    by_action: dict[str, set[str]] = {"send": set(), "receive": set()}
    for operation in OPERATIONS.values():
        names = {message["$ref"].rpartition("/")[2] for message in operation["messages"]}
        assert not names & by_action[operation["action"]], "a message appears in two operations"
        by_action[operation["action"]] |= names
    return by_action


def test_client_and_server_messages() -> None:
    by_action = messages_by_action()
    assert by_action["send"] == CLIENT_MESSAGES
    assert by_action["receive"] == SERVER_MESSAGES
    (channel,) = CHANNELS.values()
    assert set(channel["messages"]) == CLIENT_MESSAGES | SERVER_MESSAGES


# --- messages and their payloads ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CLIENT_MESSAGES | SERVER_MESSAGES))
def test_message_payload_is_the_live_schema_for_its_event(name: str) -> None:
    (channel,) = CHANNELS.values()
    message = deref(channel["messages"][name])
    assert message.get("name") == name, f"message {name} is named {message.get('name')!r}"
    path, schema = resolve_ref(message["payload"]["$ref"])
    assert path == OPENAPI_PATH
    schema_name = payload_schema_name(message)
    assert schema_name.startswith("Live"), f"message {name}: payload {schema_name} is not a Live* schema"
    assert schema["properties"]["event"] == {"type": "string", "const": name}
    assert "event" in schema["required"]


def test_every_live_event_schema_is_used_by_exactly_one_message() -> None:
    used: dict[str, list[str]] = {}
    for message_name, message in MESSAGES.items():
        used.setdefault(payload_schema_name(message), []).append(message_name)
    events = live_event_schemas()
    assert len(events) == len(CLIENT_MESSAGES | SERVER_MESSAGES)
    for schema_name in events:
        assert len(used.get(schema_name, [])) == 1, (
            f"{schema_name} is used by messages {used.get(schema_name)}"
        )
    assert set(used) == set(events), f"payloads that are not Live event schemas: {set(used) - set(events)}"


def test_every_other_live_schema_belongs_to_an_event() -> None:
    """Live* schemas that are not messages themselves (e.g. LiveFinishReason) are parts of one."""
    events = live_event_schemas()
    reachable: set[str] = set()
    pending = [OPENAPI_SCHEMAS[name] for name in events]
    while pending:
        for _, ref in find_refs(pending.pop()):
            name = ref.rpartition("/")[2]
            if name not in reachable:
                reachable.add(name)
                pending.append(OPENAPI_SCHEMAS[name])
    orphans = {name for name in OPENAPI_SCHEMAS if name.startswith("Live")} - set(events) - reachable
    assert not orphans, f"Live* schemas used by no message: {sorted(orphans)}"
