"""What a condition may read: every fact of the contract, the derived HER2 status, markers.

The vocabulary comes from cases.contract (Django-free) and the marker catalogue, which
the caller passes in as plain data. A `Vocabulary` also owns the cache of conditions
compiled against it (see rules.engine.compile).
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import rule_engine
from rule_engine import DataType

from cases.contract import HER2_STATUS, MARKER_NOT_TESTED, PROFILE_FIELDS
from core.memory import remembered

# Profile facts a condition may read. `notes` is discussion text, never a fact.
NOT_FACTS = frozenset({"notes", "markers"})
MARKER_PREFIX = "markers."
UNKNOWN_VALUES = frozenset({"unknown", "not_done", MARKER_NOT_TESTED})
OUT_OF_SCOPE_STATUSES = frozenset({"zero", "ultralow"})
SCOPE_KIND = "scope"


COMPILED_MAX = 512


class LRU:
    """A small least-recently-used map (functools.lru_cache cannot hold refused keys out)."""

    def __init__(self, *, maxsize: int):
        self.maxsize = maxsize
        self._items: OrderedDict[str, Any] = OrderedDict()

    def get(self, key: str) -> Any:
        try:
            self._items.move_to_end(key)
        except KeyError:
            return None
        return self._items[key]

    def put(self, key: str, value: Any) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.maxsize:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class Vocabulary:
    """What each fact accepts: scalar facts by name, markers by catalogue code."""

    scalars: tuple[tuple[str, tuple[str, ...] | None], ...]  # None: a number
    markers: tuple[tuple[str, tuple[str, ...]], ...]

    @functools.cached_property
    def scalar_values(self) -> dict[str, tuple[str, ...] | None]:
        return dict(self.scalars)

    @functools.cached_property
    def marker_values(self) -> dict[str, tuple[str, ...]]:
        return dict(self.markers)

    def values_of(self, fact: str) -> tuple[str, ...] | None:
        if fact.startswith(MARKER_PREFIX):
            return self.marker_values[fact.removeprefix(MARKER_PREFIX)]
        return self.scalar_values[fact]

    @functools.cached_property
    def number_facts(self) -> tuple[str, ...]:
        return tuple(name for name, values in self.scalars if values is None)

    def kind_of(self, fact: str) -> str:
        """ "choice", "choices", "bool" or "number"."""
        spec = PROFILE_FIELDS.get(fact)
        if spec is not None and spec.kind in ("choices", "bool"):
            return spec.kind
        return "number" if self.values_of(fact) is None else "choice"

    @functools.cached_property
    def compiled(self) -> LRU:
        """Compiled conditions for this vocabulary, by text (see condition_compile); the
        least recently used go first, so edits and refused saves cannot grow it."""
        return LRU(maxsize=COMPILED_MAX)

    @functools.cached_property
    def context(self) -> rule_engine.Context:
        types: dict[str, Any] = {}
        for name, _ in self.scalars:
            kind = self.kind_of(name)
            if kind == "choices":
                types[name] = DataType.ARRAY(DataType.STRING)
            elif kind == "bool":
                types[name] = DataType.BOOLEAN
            elif kind == "number":
                types[name] = DataType.FLOAT
            else:
                types[name] = DataType.STRING
        types["markers"] = DataType.MAPPING(DataType.STRING, DataType.STRING)
        return rule_engine.Context(
            type_resolver=rule_engine.type_resolver_from_dict(types),
            resolver=rule_engine.resolve_item,
        )


def vocabulary_build(*, marker_scales: Mapping[str, Sequence[str]]) -> Vocabulary:
    """The facts of the contract plus the derived her2_status, and the marker catalogue.

    The same catalogue gives the same Vocabulary object, so compiled conditions and their
    memo tables survive from one request to the next until the catalogue changes.
    """
    return _vocabulary_for(tuple(sorted((code, tuple(v)) for code, v in marker_scales.items())))


@remembered(
    holds="a Vocabulary per marker catalogue (16 at most)",
    invalidated="a new catalogue makes a new entry",
    most=16,
)
def _vocabulary_for(marker_scales: tuple[tuple[str, tuple[str, ...]], ...]) -> Vocabulary:
    scalars: list[tuple[str, tuple[str, ...] | None]] = []
    for name, spec in PROFILE_FIELDS.items():
        if name in NOT_FACTS:
            continue
        if spec.kind == "bool":
            scalars.append((name, ("true", "false")))
        elif spec.kind == "percent":
            scalars.append((name, None))
        else:
            scalars.append((name, spec.values))
    scalars.append((HER2_STATUS.name, HER2_STATUS.values))
    markers = tuple((code, (*values, MARKER_NOT_TESTED)) for code, values in marker_scales)
    return Vocabulary(scalars=tuple(scalars), markers=markers)


@dataclass(frozen=True)
class PlainRule:
    """A rule as plain data: what the knowledge base hands to the engine."""

    slug: str
    title: str
    condition: str
    kind: str
    mechanism: str
    strategy: str | None
    evidence_level: str
    rationale: str
    citations: tuple[Mapping[str, Any], ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
