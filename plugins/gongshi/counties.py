"""Find county packages and check many of them, one process per core.

This module imports neither polars nor the checks: a process that only hands out counties starts quickly, and each
worker imports the checks itself.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path

from .descriptor import DESCRIPTOR
from .problems import Problem
from .settings import Settings

POLARS_THREADS = "POLARS_MAX_THREADS"


@dataclass
class CountyReport:
    """What `check_counties` returns for one county: its problems and how many rows its tables hold."""

    folder: Path
    problems: list[Problem]
    rows: int


def _report(folder: Path, settings: Settings) -> CountyReport:
    from .pipeline import check_county

    check = check_county(folder, settings)
    rows = sum(len(t.frame) for t in check.normalized.values() if t.frame is not None)
    return CountyReport(Path(folder), check.problems, rows)


def check_counties(folders: list[Path], settings: Settings, workers: int | None = None) -> list[CountyReport]:
    """Check many county packages, in parallel processes (one per core by default); results in `folders` order.

    Each process checks whole counties with one thread of its own, which suits tables of a few thousand rows.
    """
    workers = min(len(folders), workers or os.cpu_count() or 1)
    if workers <= 1:
        return [_report(folder, settings) for folder in folders]
    context = multiprocessing.get_context("spawn")
    # Set before the workers start, so that each reads it when it first imports polars.
    previous = os.environ.get(POLARS_THREADS)
    os.environ[POLARS_THREADS] = previous or "1"
    try:
        with context.Pool(workers) as pool:
            return pool.starmap(_report, [(folder, settings) for folder in folders], chunksize=1)
    finally:
        if previous is None:
            del os.environ[POLARS_THREADS]


def find_packages(path: str | Path) -> list[Path]:
    """Return path itself if it is a package, else the package folders directly inside it."""
    path = Path(path)
    if (path / DESCRIPTOR).is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(p for p in path.iterdir() if p.is_dir() and (p / DESCRIPTOR).is_file())

