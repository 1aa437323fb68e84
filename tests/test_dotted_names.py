"""Every dotted name of ours that a comment or docstring, the README or a guide in docs/
mentions still exists (a module, or an attribute of one), so a reader who follows one
finds it: `board.stored.REFRESH_IN_REQUEST`, `core.memory.forget_all`, ..."""

import ast
import importlib
import io
import re
import tokenize
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
APPS = ("core", "cases", "rules", "board", "config")
DOTTED = re.compile(rf"(?<![\w./-])((?:{'|'.join(APPS)})(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
FILE_ENDINGS = {"py", "html", "md", "json", "txt", "csv", "yaml", "jinja2", "xlsx", "lua"}
PERMISSION = re.compile(r"^(add|change|delete|view)_[a-z]+$")


def _texts():
    for folder in (*APPS, "tests", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts and "data" not in path.parts:
                yield path
    yield ROOT / "README.md"
    yield from sorted((ROOT / "docs").glob("*.md"))


def resolves(name: str) -> bool:
    """A module, an attribute of one (at any depth), a model label or a permission name."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                found = getattr(found, attribute)
        except AttributeError:
            break
        return True
    if len(parts) == 2 and PERMISSION.match(parts[1]):
        return True
    try:
        apps.get_model(name)
    except (LookupError, ValueError):
        return False
    return True


def mentions(text: str) -> set[str]:
    found = set()
    for name in DOTTED.findall(text):
        name = name.rstrip(".")
        if name.rsplit(".", 1)[-1] not in FILE_ENDINGS:
            found.add(name)
    return found


def prose(path: Path) -> str:
    """What a reader reads: a Markdown file whole; a module's comments and docstrings."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return text
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    parts = [token.string for token in tokens if token.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            parts.append(ast.get_docstring(node) or "")
    return "\n".join(parts)


def test_every_dotted_name_resolves():
    stale = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in _texts()
        for name in mentions(prose(path))
        if not resolves(name)
    )
    assert stale == []


@pytest.mark.parametrize(
    ("text", "ok"),
    [("see board.stored.REFRESH_IN_REQUEST", True), ("see core.no_such_module", False),
     ("a rules.change_rule permission", True), ("the cases.caseprofile model", True),
     ("cases.templatetags.case_labels (gone)", False), ("board/views/cases.py", None)],
)  # fmt: skip
def test_the_check_tells_a_stale_name_from_a_live_one(text, ok):
    found = mentions(text)
    if ok is None:
        assert found == set()
    else:
        assert [resolves(name) for name in found] == [ok]
