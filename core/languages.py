"""What the interface's languages share in code: `english(text)`, for a lazily translated
label that goes into a payload. Payloads (the evaluation, CDS cards, exports) are in
English, whatever the request's language, because clients and caches read them; a page
translates a payload's labels where it shows them."""

from django.utils import translation


def english(text) -> str:
    """A lazily translated text (gettext_lazy) as its English original."""
    with translation.override(None):
        return str(text)
