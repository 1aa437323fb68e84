"""Run one risky function in a forked child with a time and a memory limit, and hold one of
a few site-wide slots while it runs.

Parsing a user's spreadsheet is the work that a hostile file can make slow or huge. In
the child it costs that one job: the web worker waits at most `seconds`, its own memory
does not grow with the parsing, and a child that runs out of either is stopped and
reported as a ValueError with a message for the user.

Fork is used (not spawn) so the child starts in milliseconds with everything already
imported; it must not touch the database or anything else the parent holds open, and it
leaves with os._exit so nothing the parent owns is cleaned up twice.

A worker waits for its child, so each running job holds a worker. `slot_hold` keeps such
jobs to a few at once across every worker and server (slots in the shared cache, each
expiring on its own if a worker dies holding it), so the others stay free for everyone
else; a job that finds every slot taken is refused at once (Busy).
"""

import math
import multiprocessing
import os
import resource
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils.translation import gettext as _

T = TypeVar("T")
MIB = 1024 * 1024


class LimitExceeded(ValueError):
    """The child ran out of time or memory; the message says which, for the user."""


class Busy(ValueError):
    """Every slot for this kind of job is taken; the message asks the user to retry."""


@contextmanager
def slot_hold(kind: str, *, at_most: int, seconds: float, busy: str) -> Iterator[None]:
    """Hold one of `at_most` slots named `kind` for the block, or raise Busy(busy). A slot
    lapses after `seconds` even if its holder never lets go (a killed worker)."""
    for number in range(at_most):
        key = f"slot:{kind}:{number}"
        if cache.add(key, 1, timeout=math.ceil(seconds)):
            break
    else:
        raise Busy(busy)
    try:
        yield
    finally:
        cache.delete(key)


def _virtual_size() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(writer, function, args, kwargs, seconds: float, memory_bytes: int) -> None:
    try:
        # Address space: what the fork shares with the parent, plus the allowance.
        limit = _virtual_size() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = math.ceil(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        try:
            outcome = ("ok", function(*args, **kwargs))
        except MemoryError:
            outcome = ("memory", None)
        except ValueError as exc:
            outcome = ("refused", str(exc))
        except Exception as exc:  # reported by name: the parent says the file was unreadable
            outcome = ("failed", type(exc).__name__)
        try:
            writer.send(outcome)
        except MemoryError:
            writer.send(("memory", None))
    finally:
        os._exit(0)


def run_bounded(
    function: Callable[..., T],
    /,
    *args: Any,
    seconds: float,
    memory_bytes: int,
    what: str = "",
    too_long: str = "",
    **kwargs: Any,
) -> T:
    """`function(*args, **kwargs)` in a child process; its result, or LimitExceeded
    (`too_long` added to its message when time ran out: what the user can do).

    A ValueError raised by `function` comes back as a ValueError with the same message.
    """
    what = what or _("Reading the file")
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(writer, function, args, kwargs, seconds, memory_bytes), daemon=True
    )
    process.start()
    writer.close()
    try:
        if not reader.poll(seconds):
            text = _("%(what)s took longer than %(seconds)s s; it was stopped.") % {
                "what": what,
                "seconds": f"{seconds:g}",
            }
            raise LimitExceeded(f"{text} {too_long}".strip())
        status, payload = reader.recv()
    except (EOFError, ConnectionError):
        status, payload = "memory", None  # killed before it could answer
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        reader.close()
    if status == "ok":
        return payload
    if status == "refused":
        raise ValueError(payload)
    if status == "memory":
        raise LimitExceeded(
            _("%(what)s needed more than %(size)s MB of memory; it was stopped.")
            % {"what": what, "size": f"{memory_bytes // MIB:,}"}
        )
    raise ValueError(_("%(what)s failed (%(why)s).") % {"what": what, "why": payload})
