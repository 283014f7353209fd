"""Every operation in /openapi.json says what it answers: a typed success body and error bodies.

A success described as "any object" gives generated clients nothing to parse into, and an error
status without a schema leaves them guessing; both are listed by operation when this fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings

# the HTML shell, the docs and static files are pages, not API operations (/metrics is hidden)
PAGES = ("/", "/documents", "/account", "/keys", "/usage", "/admin")
PAGE_PREFIXES = ("/docs", "/redoc", "/static")
DISABLED = "x-disabled"  # an operation that only refuses, and says why (/suggest)
NO_BODY = {"204", "205", "304"}
DOWNLOAD_TYPES = ("application/octet-stream", "text/", "application/pdf", "application/vnd.")

Spec = dict[str, Any]


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    data_dir: Path = tmp_path_factory.mktemp("openapi")
    return create_app(Settings(data_dir=data_dir, _env_file=None)).openapi()


class DanglingRef(LookupError):
    """A $ref to a component the document does not define."""


def _resolve(schema: dict[str, Any], spec: Spec) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not ref:
        return schema
    target = spec.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[1])
    if target is None:
        raise DanglingRef(ref)
    return _resolve(target, spec)


def untyped(schema: Any, spec: Spec) -> str | None:
    """Why a body schema tells a client nothing (empty, or an object/array of anything); or None."""
    if not isinstance(schema, dict) or not schema:
        return "no schema"
    try:
        schema = _resolve(schema, spec)
    except DanglingRef as exc:
        return f"dangling {exc.args[0]}"
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            members = [m for m in schema[combinator] if m.get("type") != "null"]
            reasons = [untyped(member, spec) for member in members]
            return next((r for r in reasons if r), None) if members else "only null"
    kind = schema.get("type")
    if kind is None and "const" not in schema and "enum" not in schema:
        return "any value"
    if kind == "array":
        reason = untyped(schema.get("items"), spec)
        return f"array of {reason}" if reason else None
    if kind == "object":
        if schema.get("properties"):
            return None
        values = schema.get("additionalProperties")
        if not isinstance(values, dict):
            return "any object"
        reason = untyped(values, spec)
        return f"object of {reason}" if reason else None
    return None


def _operations(spec: Spec) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in spec["paths"].items()
        if path not in PAGES and not path.startswith(PAGE_PREFIXES)
        for method, operation in item.items()
    ]


def success_problems(operation: dict[str, Any], spec: Spec) -> list[str]:
    """What is wrong with an operation's 2xx answers (an empty list when they are typed)."""
    successes = {s: r for s, r in operation.get("responses", {}).items() if s.startswith("2")}
    if not successes and not operation.get(DISABLED):
        return ["no 2xx response"]
    problems = []
    for status, response in successes.items():
        content = response.get("content") or {}
        if status in NO_BODY:
            problems += [f"{status} declares a body"] if content else []
            continue
        if not content:
            problems.append(f"{status} has no content")
        for media_type, body in content.items():
            if media_type.endswith("json"):
                reason = untyped(body.get("schema"), spec)
                problems += [f"{status} {media_type}: {reason}"] if reason else []
            elif not media_type.startswith(DOWNLOAD_TYPES):
                problems.append(f"{status} {media_type}: not JSON nor a download type")
            elif body.get("schema", {}).get("type") != "string":
                problems.append(f"{status} {media_type}: a download without a string schema")
    return problems


def error_problems(operation: dict[str, Any], spec: Spec) -> list[str]:
    """Declared 4xx answers without a typed body."""
    problems = []
    for status, response in operation.get("responses", {}).items():
        if not status.startswith("4"):
            continue
        content = response.get("content") or {}
        if not content:
            problems.append(f"{status} has no content")
        for media_type, body in content.items():
            reason = untyped(body.get("schema"), spec)
            problems += [f"{status} {media_type}: {reason}"] if reason else []
    return problems


def _report(offenders: list[str]) -> str:
    return f"{len(offenders)} operation(s):\n  " + "\n  ".join(offenders)


def test_the_document_covers_the_api(spec: Spec) -> None:
    paths = {path for _method, path, _operation in _operations(spec)}
    assert {"/api/v1/translate", "/api/v1/usage", "/api/v1/service", "/health"} <= paths
    assert "/metrics" not in spec["paths"]


def test_every_operation_has_a_typed_success_response(spec: Spec) -> None:
    offenders = [
        f"{method} {path}: {'; '.join(problems)}"
        for method, path, operation in _operations(spec)
        if (problems := success_problems(operation, spec))
    ]
    assert not offenders, _report(offenders)


def test_every_declared_client_error_has_a_schema(spec: Spec) -> None:
    offenders = [
        f"{method} {path}: {'; '.join(problems)}"
        for method, path, operation in _operations(spec)
        if (problems := error_problems(operation, spec))
    ]
    assert not offenders, _report(offenders)


@pytest.mark.parametrize(
    ("schema", "reason"),
    [
        ({}, "no schema"),
        ({"type": "object", "additionalProperties": True}, "any object"),
        ({"type": "object"}, "any object"),
        ({"type": "array", "items": {}}, "array of no schema"),
        ({"anyOf": [{"type": "object"}, {"type": "null"}]}, "any object"),
        ({"type": "object", "additionalProperties": {"type": "integer"}}, None),
        ({"$ref": "#/components/schemas/ErrorEnvelope"}, None),
        ({"$ref": "#/components/schemas/Nowhere"}, "dangling #/components/schemas/Nowhere"),
    ],
)
def test_the_checker_tells_typed_from_untyped(spec: Spec, schema: Any, reason: str | None) -> None:
    assert untyped(schema, spec) == reason
