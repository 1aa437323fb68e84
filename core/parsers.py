"""JSON parsing that turns hostile bodies into a 400, not a 500: absurdly deep nesting, and
NUL characters anywhere (PostgreSQL cannot store them in any text column or JSON key)."""

import io

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _nul_path(data) -> str | None:
    """Where the first NUL is, as a field path ("notes", "feedback[0].card"), or None."""
    stack = [("", data)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return path or "the body"
        elif isinstance(item, dict):
            for key, value in item.items():
                name = f"{path}.{key}" if path else str(key)
                if "\x00" in str(key):
                    return (path or "the body") + " (a field name)"
                stack.append((name, value))
        elif isinstance(item, list):
            stack.extend((f"{path}[{index}]", value) for index, value in enumerate(item))
    return None


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON nested too deeply.") from None
        if b"\\u0000" in raw and (path := _nul_path(data)):
            raise ParseError(
                f"{path}: NUL characters (\\u0000) are refused in every field; nothing was stored."
            )
        return data


class FhirJSONParser(SafeJSONParser):
    """FHIR's own JSON media type (application/fhir+json), parsed as JSON is."""

    media_type = "application/fhir+json"
