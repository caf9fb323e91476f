"""Schema post-processing: the error answers every operation can give, so the schema lists every
status code the API really returns."""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
INVALID = {
    "type": "object",
    "description": "Each parameter or field in error with its messages, or `detail`.",
    "additionalProperties": True,
}


def _error(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document_errors(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            has_input = bool(operation.get("parameters")) or "requestBody" in operation
            if has_input:
                responses.setdefault("400", _error("Invalid parameters or body", INVALID))
            responses.setdefault("401", _error("No valid API token or session", ERROR))
            responses.setdefault("403", _error("Signed in, but not allowed to do this", ERROR))
            if "{" in path:
                responses.setdefault("404", _error("No such object that you may view", ERROR))
            responses.setdefault("429", _error("Too many requests: slow down", ERROR))
            if method in ("post", "put", "patch", "delete"):
                responses.setdefault("503", _error("The database was busy: nothing was changed, try again", ERROR))
    return result
