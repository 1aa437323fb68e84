"""JSON parsing that turns hostile bodies into a 400, not a 500: absurdly deep nesting, NUL
characters anywhere (PostgreSQL cannot store them in any text column or JSON key), and lone
surrogates (`\\ud800`: valid JSON escapes that no UTF-8 text can hold, so neither a
database nor an answer that echoes them can)."""

import io
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# A JSON escape of a surrogate code point (\\uD800-\\uDFFF), in either case.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refused(text: str) -> bool:
    return "\x00" in text or _SURROGATE.search(text) is not None


def _safe(text: str) -> str:
    """A field name as an error message may show it: without the refused characters."""
    return _SURROGATE.sub("\ufffd", text.replace("\x00", "\ufffd"))


def _refused_path(data) -> str | None:
    """Where the first NUL or lone surrogate is, as a field path ("notes",
    "feedback[0].card"), or None."""
    stack = [("", data)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if _refused(item):
                return path or "the body"
        elif isinstance(item, dict):
            for key, value in item.items():
                name = f"{path}.{_safe(str(key))}" if path else _safe(str(key))
                if _refused(str(key)):
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
        suspicious = b"\\u0000" in raw or _SURROGATE_ESCAPE.search(raw) is not None
        if suspicious and (path := _refused_path(data)):
            raise ParseError(
                f"{path}: NUL characters (\\u0000) and lone surrogates (\\ud800-\\udfff) are "
                "refused in every field; nothing was stored."
            )
        return data


class FhirJSONParser(SafeJSONParser):
    """FHIR's own JSON media type (application/fhir+json), parsed as JSON is."""

    media_type = "application/fhir+json"
