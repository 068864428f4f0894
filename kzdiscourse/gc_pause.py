"""Python's cyclic garbage collector paused while a chunk of text is parsed.

Parsing a chunk creates many container objects that stay alive until the chunk's
tables are built (analyses of new word forms, their readings, lists of spans), and
CPython's cyclic collector runs every few hundred such allocations, each time walking
the young objects and, every so often, everything alive. None of that memory is cyclic
garbage: it is freed by reference counting when the chunk is done. Pausing the
collector for the chunk saves that work; what garbage does form in cycles meanwhile is
collected once it runs again. The collector is left as it was found: a caller that had
disabled it keeps it disabled.

Examples
--------
>>> import gc
>>> with cyclic_gc_paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["cyclic_gc_paused"]


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block, if it was enabled.

    Also usable as a decorator. With several threads, one leaving the block re-enables
    the collector while another may still be inside its own: that only costs the other
    thread some of the saving.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
