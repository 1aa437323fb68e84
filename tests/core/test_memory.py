"""Every per-process memory is in core.memory's registry, and forget_all() forgets it."""

import ast
import importlib
from pathlib import Path

from core import memory

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["core", "cases", "rules", "board", "config"]
GENERATED = {"rules/engine/parse_tables.py"}  # PLY's tables, filled once at import
# Calls that make a container a module can fill at run time.
CONTAINERS = {
    "dict",
    "list",
    "set",
    "defaultdict",
    "OrderedDict",
    "deque",
    "Counter",
    "WeakKeyDictionary",
    "WeakValueDictionary",
    "WeakSet",
    "local",
}
CACHE_DECORATORS = {"cache", "lru_cache", "cached", "remembered"}


def _name(node) -> str:
    """The last part of a called or decorating name: functools.lru_cache(...) -> lru_cache."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _is_container(value) -> bool:
    if isinstance(value, ast.Dict | ast.List | ast.Set):
        return not value.keys if isinstance(value, ast.Dict) else not value.elts
    return isinstance(value, ast.Call) and _name(value) in CONTAINERS and not value.args


def memories_in(source: str, module: str) -> set[str]:
    """Module-level empty containers and cached functions (also methods) of a module."""
    found = set()
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if _is_container(node.value):
                found.update(f"{module}.{t.id}" for t in targets if isinstance(t, ast.Name))
    for owner, prefix in [
        (tree, ""),
        *[(n, f"{n.name}.") for n in tree.body if isinstance(n, ast.ClassDef)],
    ]:
        for node in owner.body:
            if isinstance(node, ast.FunctionDef) and any(
                _name(d) in CACHE_DECORATORS for d in node.decorator_list
            ):
                found.add(f"{module}.{prefix}{node.name}")
    return found


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or str(relative) in GENERATED:
                continue
            yield ".".join(relative.with_suffix("").parts).removesuffix(".__init__"), path


def test_every_module_level_memory_is_registered():
    found = set()
    for module, path in _modules():
        importlib.import_module(module)
        found |= memories_in(path.read_text(encoding="utf-8"), module)
    registered = {m.name for m in memory.memories()}
    assert found - registered - {"core.memory._MEMORIES"} == set()  # the registry itself
    assert len(found) >= 10  # the scan sees the memories it is here to see


def test_the_scan_finds_a_cache_and_a_container_nobody_registered():
    source = (
        "import functools\n_SEEN = {}\n_RULES = {'a': 1}\n"
        "@functools.lru_cache(maxsize=2)\ndef f(x):\n    return x\n"
        "class C:\n    @functools.cache\n    def g(cls):\n        return 1\n"
    )
    assert memories_in(source, "m") == {"m._SEEN", "m.f", "m.C.g"}


def test_forget_all_empties_what_can_go_stale_and_keeps_derived_memories_on_request(
    monkeypatch,
):
    from core import throttling

    # Only this test's memory and the leases: forgetting every derived memory of the
    # process would make later tests rebuild them (and lose the identities they compare).
    leases = memory._MEMORIES["core.throttling._LEASES"]
    monkeypatch.setattr(memory, "_MEMORIES", {leases.name: leases})
    calls = []

    @memory.remembered(holds="a test's value", invalidated="never")
    def derived(x):
        calls.append(x)
        return x

    throttling._LEASES["test:key"] = (1, 5)
    derived(1)
    memory.forget_all(derived=False)
    assert throttling._LEASES == {}
    derived(1)
    assert calls == [1]  # kept
    memory.forget_all()
    derived(1)
    assert calls == [1, 1]
    assert [m.name for m in memory.memories()] == [
        leases.name,
        f"{__name__}.{derived.__qualname__}",
    ]


def test_each_memory_says_what_it_holds_and_what_invalidates_it():
    for registered in memory.memories():
        assert registered.holds and registered.invalidated, registered.name
