"""JSON parsing that turns hostile bodies into a 400, not a 500: absurdly deep nesting, and
NUL characters anywhere (PostgreSQL cannot store them in any text column or JSON key)."""

import io

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _holds_nul(data) -> bool:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON nested too deeply.") from None
        if b"\\u0000" in raw and _holds_nul(data):
            raise ParseError("NUL characters (\\u0000) are refused in every field.")
        return data
