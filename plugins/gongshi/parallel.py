"""Run one function over many items in worker processes, one per core, results in the items' order.

The build forks its workers, so that they inherit the site's template environment and settings; `gongshi validate`
spawns them, so that each starts polars with one thread of its own (a county's tables are a few thousand rows,
which one thread checks faster than many threads fighting over two cores).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
POLARS_THREADS = "POLARS_MAX_THREADS"


def parallel_map(fn: Callable[[T], R], items: Iterable[T], workers: int | None = None, *, start: str = "fork",
                 chunksize: int = 1, one_thread: bool = False) -> list[R]:
    """fn(item) for every item, in up to `workers` processes (default one per core), in this process when one will
    do. `start` is "fork" or "spawn"; `one_thread` gives each worker one polars thread."""
    items = list(items)
    workers = min(len(items), workers or os.cpu_count() or 1)
    if workers <= 1:
        return [fn(item) for item in items]
    previous = os.environ.get(POLARS_THREADS)
    if one_thread:  # set before the workers start, so that each reads it when it first imports polars
        os.environ[POLARS_THREADS] = previous or "1"
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(start)) as pool:
            return list(pool.map(fn, items, chunksize=chunksize))
    finally:
        if one_thread and previous is None:
            del os.environ[POLARS_THREADS]
