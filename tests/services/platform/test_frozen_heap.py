"""frozen_heap: the objects there before a long piece of work are left out of collections while it runs, in any
thread, until the last block ends; the garbage the work makes is still collected."""

import gc
import threading
import weakref

from services.platform.frozen_heap import frozen_heap


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_the_heap_is_frozen_until_the_last_block_ends_and_the_work_s_garbage_is_still_collected():
    gc.collect()
    assert gc.get_freeze_count() == 0
    entered, leave = threading.Event(), threading.Event()

    def other_thread() -> None:
        with frozen_heap():
            entered.set()
            leave.wait(10)

    worker = threading.Thread(target=other_thread)
    with frozen_heap():
        assert gc.get_freeze_count() > 0  # what was there before is frozen
        worker.start()
        entered.wait(10)
        made_inside = _Node()
        gone = weakref.ref(made_inside)
        del made_inside
        gc.collect()
        assert gone() is None  # the work's own garbage is collected
    assert gc.get_freeze_count() > 0  # the other thread's block is still open
    leave.set()
    worker.join(10)
    assert gc.get_freeze_count() == 0  # all back in the collected heap
