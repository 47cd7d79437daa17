def only_public_api(endpoints, **kwargs):
    """The schema documents /api/v1/ only (not Wagtail's admin API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


ERROR = {
    "description": "",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {}},
                "additionalProperties": True,
            }
        }
    },
}
ERRORS = {
    "400": "The request is invalid; the body says why.",
    "401": "Authentication is needed.",
    "403": "The user may not do this to this object.",
    "404": "No such object, or one the user may not see.",
    "409": "The object's state does not allow this now (typically someone else "
    "acted first, or two writes collided); nothing was changed.",
    "429": "Too many requests; Retry-After says when to try again.",
}
# Only where the operation says so (updates with If-Match).
PRECONDITION = "If-Match names a version that is no longer the current one."


def document_errors(result, **kwargs):
    """Every operation may answer these errors, each with a JSON body."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {**ERROR, "description": description})
            if "412" in responses:
                responses["412"] = {**ERROR, "description": PRECONDITION}
    return result
