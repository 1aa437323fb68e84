"""Every memory a process keeps between requests, in one registry: what each holds, what
invalidates it, and a `forget()`; `forget_all()` forgets them all (tests call it before
each test; a worker never needs to).

A module that keeps a memory registers it here when it is imported:
- a cached function with `@remembered(holds=..., invalidated=...)` (functools.cache, or
  functools.lru_cache with `most=`), never with functools.cache directly;
- any other module-level container (a dict, a WeakSet, ...) with `register(...)`.

tests/core/test_memory.py fails on a module-level cache or container that is not
registered. Modules not imported yet hold nothing, so `forget_all()` forgets only what
exists. A memory marked `derived` holds only what code, settings or shipped data decide
(compiled SQL, a gazetteer), so it is never stale: `forget_all(derived=False)` keeps those
(tests: rebuilding them before every test would only cost time).

This module imports nothing from Django or from a later app: rules.engine, which loads
no Django, registers here too. docs/performance.md names the departure each memory
belongs to.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Memory:
    name: str  # "module.attribute", as the test finds it
    holds: str
    invalidated: str
    forget: Callable[[], Any]
    derived: bool  # decided by code, settings or shipped data only: never stale


_MEMORIES: dict[str, Memory] = {}


def register(
    module: str,
    attribute: str,
    *,
    holds: str,
    invalidated: str,
    forget: Callable[[], Any],
    derived: bool = False,
) -> None:
    """Register a module-level memory (`module` is the owner's __name__)."""
    name = f"{module}.{attribute}"
    _MEMORIES[name] = Memory(
        name=name, holds=holds, invalidated=invalidated, forget=forget, derived=derived
    )


def remembered(*, holds: str, invalidated: str, most: int | None = None, derived: bool = True):
    """functools.cache (or lru_cache(maxsize=most)), registered under the function's name;
    `derived` unless said otherwise (a cached function's answer follows from its
    arguments)."""

    def decorate(function):
        cached = functools.cache(function) if most is None else functools.lru_cache(most)(function)
        register(
            function.__module__,
            function.__qualname__,
            holds=holds,
            invalidated=invalidated,
            forget=cached.cache_clear,
            derived=derived,
        )
        return cached

    return decorate


def memories() -> list[Memory]:
    """The registered memories, by name."""
    return [_MEMORIES[name] for name in sorted(_MEMORIES)]


def forget_all(*, derived: bool = True) -> None:
    """Forget what every registered memory holds (with derived=False, all but the derived
    ones)."""
    for memory in _MEMORIES.values():
        if derived or not memory.derived:
            memory.forget()
