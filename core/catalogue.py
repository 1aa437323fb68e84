"""The interface's translation catalogue, built without system gettext: every message the
project's Python files, Django templates and Jinja2 templates mark, found with Babel's
extractors (Django templates through Django's own `templatize`, as `makemessages` does);
merged into locale/<language>/LC_MESSAGES/django.po; compiled to the .mo beside it, which
is committed, so a fresh machine serves every language with nothing to build.

`manage.py messages` updates and compiles; `manage.py messages --check` (and
tests/core/test_languages.py) fail when a marked message has no translation, or when a .mo
is not its .po compiled.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.utils.translation.template import templatize
from jinja2.ext import babel_extract

DOMAIN = "django"
# The calls that mark a message (Django's names and Babel's defaults).
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
# Folders of BASE_DIR that hold no text users read.
SKIPPED = {".venv", "tests", "tools", "benchmarks", "deploy", "docs", "locale", "static"}
SKIPPED_PARTS = {"migrations", "management", "__pycache__", "node_modules"}


@dataclass(frozen=True)
class Message:
    id: str | tuple[str, str]  # (singular, plural) for a plural message
    context: str | None
    where: str  # "path:line", for a reader of the .po


def _sources(base: Path) -> Iterator[Path]:
    for path in sorted(base.rglob("*")):
        relative = path.relative_to(base)
        if relative.parts[0] in SKIPPED or SKIPPED_PARTS & set(relative.parts):
            continue
        if path.suffix in {".py", ".html", ".jinja2", ".txt"} and path.is_file():
            yield path


def _extracted(path: Path) -> Iterator[tuple[int, str, object, str | None]]:
    """(line, function, message, context) for each marked message of one file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jinja2":
        found = babel_extract(
            io.BytesIO(text.encode()), list(KEYWORDS), [], {"extensions": "jinja2.ext.i18n"}
        )
        for line, function, message, _comments in found:
            yield line, function, message, None
        return
    if path.suffix in {".html", ".txt"}:
        if "{% load" not in text or "i18n" not in text:
            return
        text = templatize(text, origin=str(path))
    for line, function, message, _comments in extract_python(
        io.BytesIO(text.encode()), KEYWORDS, [], {"encoding": "utf-8"}
    ):
        context = None
        if function.startswith(("pgettext", "npgettext")):
            context, message = message[0], message[1:] if len(message) > 2 else message[1]
        yield line, function, message, context


def messages_extract(base: Path | None = None) -> list[Message]:
    """Every message marked for translation in the project, in file order."""
    base = base or Path(settings.BASE_DIR)
    found: list[Message] = []
    for path in _sources(base):
        for line, _function, message, context in _extracted(path):
            if isinstance(message, tuple):
                message = tuple(m for m in message if m is not None)
                message = message[0] if len(message) == 1 else message[:2]
            if not message:
                continue
            found.append(Message(message, context, f"{path.relative_to(base)}:{line}"))
    return found


def po_path(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_template(messages: list[Message]) -> Catalog:
    template = Catalog(project="her2-board", domain=DOMAIN)
    for message in messages:
        path, line = message.where.rsplit(":", 1)
        template.add(message.id, locations=[(path, int(line))], context=message.context)
    return template


def catalogue_read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project="her2-board")
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def catalogue_update(language: str) -> Catalog:
    """Merge the project's messages into a language's .po (new ones untranslated, gone ones
    dropped), write it, and compile its .mo."""
    catalogue = catalogue_read(language)
    created = catalogue.creation_date
    catalogue.update(catalogue_template(messages_extract()), no_fuzzy_matching=True)
    catalogue.obsolete.clear()
    # The header is not a draft (a fuzzy header would leave Plural-Forms out of the .mo),
    # and the file changes only when its messages do.
    catalogue.fuzzy = False
    catalogue.creation_date = created
    catalogue.project, catalogue.version = "her2-board", "1"
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalogue, width=100, omit_header=False, sort_output=False)
    catalogue = catalogue_read(language)  # compiled as read back, as the check reads it
    path.with_suffix(".mo").write_bytes(catalogue_compiled(catalogue))
    return catalogue


def catalogue_compiled(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


def catalogue_gaps(language: str) -> list[str]:
    """What a language still lacks: each marked message with no translation (or a fuzzy
    one, or a plural with a form missing), and a .mo that is not its .po compiled."""
    catalogue = catalogue_read(language)
    gaps = []
    for message in messages_extract():
        key = message.id if isinstance(message.id, str) else message.id[0]
        entry = catalogue.get(key, context=message.context)
        strings = () if entry is None else entry.string
        strings = (strings,) if isinstance(strings, str) else tuple(strings)
        if entry is None or entry.fuzzy or not strings or not all(strings):
            gaps.append(f"{message.where}: {message.id!r} has no {language} translation")
        elif not isinstance(message.id, str) and len(strings) != catalogue.num_plurals:
            gaps.append(f"{message.where}: {message.id!r} lacks plural forms")
    mo = po_path(language).with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != catalogue_compiled(catalogue):
        gaps.append(f"{mo}: not the .po compiled (run `manage.py messages`)")
    return gaps
