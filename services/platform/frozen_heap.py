"""Python's cycle collector kept off the objects that were there before a long piece of work began.

A full collection walks every object the process holds: the server's modules, caches and sessions, some
200,000 before a filing package begins. Making 600 branch workbooks set one off every few seconds, and they
took a twentieth of the package's time. Inside `frozen_heap()` the objects already there are left out of
collections (gc.freeze) until the outermost such block ends; what the work itself leaves behind is
collected as ever, so memory stays bounded."""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_inside = 0  # blocks open in this process, in any thread


@contextmanager
def frozen_heap() -> Iterator[None]:
    global _inside
    with _lock:
        if _inside == 0:
            gc.freeze()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0:
                gc.unfreeze()
