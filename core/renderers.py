"""The API's JSON renderer: DRF's JSONRenderer's bytes, written by orjson.

DRF's renderer spends more on a large payload (an evaluation is ~30 kB) than the
evaluation itself takes. This one gives the same bytes: compact, UTF-8, U+2028 and U+2029
escaped, dates, decimals, lazy strings and anything else orjson does not know through DRF's
own encoder. Where orjson would write a number differently (floats under 1e-4: "0.00001"
for Python's "1e-05"), cannot write the data (integers past 64 bits, keys that are not
strings, nesting past 254 levels) or an indent is asked for, DRF's renderer writes it.

ContentNegotiation is DRF's, answering at once when a view has one renderer and the client
takes anything or exactly that type (no Accept header, `*/*`, `application/json`): what
DRF would choose, without parsing and ordering the header on every request.
"""

import re

import orjson
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.utils.encoders import JSONEncoder

OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
# A negative exponent (orjson's "1e-7" is Python's "1e-07"); see _small_float.
EXPONENT = re.compile(rb"e-\d")


class JSONRenderer(DRFJSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if (
            self.ensure_ascii
            or not self.compact
            or self.get_indent(accepted_media_type, renderer_context or {}) is not None
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            rendered = orjson.dumps(data, default=_default, option=OPTIONS)
        except TypeError:  # orjson cannot write it (see the module docstring): DRF can
            return super().render(data, accepted_media_type, renderer_context)
        if _small_float(rendered):
            return super().render(data, accepted_media_type, renderer_context)
        return rendered.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


def _small_float(rendered: bytes) -> bool:
    """Whether orjson may have written a float under 1e-4 ("0.00001", "1e-7"), which Python
    writes as "1e-05", "1e-07". Text that merely looks like one ("0.00001 mm" in a string)
    also answers yes: DRF's renderer then writes that payload. Literal searches first: a
    pattern that starts with a class would be tried at every byte of a 30 kB payload."""
    if b"0.0000" in rendered:
        return True
    return any(
        rendered[match.start() - 1 : match.start()].isdigit()
        for match in EXPONENT.finditer(rendered)
    )


_encoder = JSONEncoder()


def _default(value):
    return _encoder.default(value)


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if len(renderers) == 1 and not format_suffix:
            renderer = renderers[0]
            accept = request.META.get("HTTP_ACCEPT", "*/*")
            if accept in ("*/*", renderer.media_type) and not request.query_params.get(
                self.settings.URL_FORMAT_OVERRIDE
            ):
                return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
