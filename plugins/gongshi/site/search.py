"""Full-text search: one Pagefind index per county, merged in the browser for a province-wide search.

Each county's pages are indexed on their own, from its built folder `<output>/<county>/` into
`<output>/<county>/pagefind/`, so a county's index is rebuilt with its pages and never with another county's.
Result addresses inside an index are relative to the county folder; the browser gives each index its county's
address when it merges them (theme/static/js/search.js). `write_search_manifest` lists the indexes that exist, for
the province-wide search.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from ..problems import GongshiError

logger = logging.getLogger(__name__)

BUNDLE = "pagefind"
# The pages that carry data-pagefind-body (the county, its places, projects and notices): Pagefind reads only these,
# not the print, version, TV and other pages it would open and skip (the index is the same, made about 10% sooner).
PAGES = "{index.html,{place,project,notice}/*/index.html}"
MANIFEST = Path("search") / "indexes.json"
# Pagefind writes its own ready-made interfaces too; the site has a small one of its own, so these are not kept.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js", "pagefind-worker.js")


class SearchIndexError(GongshiError, RuntimeError):
    """Pagefind could not index a county; the message says why."""


@dataclass(frozen=True)
class CountyIndex:
    county: str
    pages: int
    bytes: int
    seconds: float


def pagefind_binary() -> Path:
    """Return Pagefind's extended build, the one that segments Chinese into words."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as error:
        raise SearchIndexError("gongshi: search needs Pagefind's extended build (Chinese word segmentation): "
                               "pip install 'pagefind[extended]'") from error
    return Path(get_executable())


def index_county(county_dir: Path, timeout: float = 1800) -> CountyIndex:
    """Index the built pages of one county folder into `<county_dir>/pagefind/`, replacing its old index whole.

    Only pages marked `data-pagefind-body` are indexed (places, units, allocations, projects, notices). The new
    index is written beside the old one and swapped in when complete, so a failed run leaves the old index.
    """
    county_dir = Path(county_dir)
    started = time.perf_counter()
    fresh, stale = county_dir / f".{BUNDLE}-new", county_dir / f".{BUNDLE}-old"
    for folder in (fresh, stale):
        shutil.rmtree(folder, ignore_errors=True)
    command = [str(pagefind_binary()), "--site", str(county_dir), "--output-path", str(fresh),
               "--force-language", "zh-cn", "--silent", "--glob", PAGES]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                env={**os.environ, "NO_COLOR": "1"})
    except (OSError, subprocess.TimeoutExpired) as error:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(f"gongshi: could not index {county_dir.name}: {error}") from error
    entry = fresh / "pagefind-entry.json"
    if result.returncode != 0 or not entry.is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(f"gongshi: could not index {county_dir.name}: "
                               f"{(result.stderr or result.stdout).strip()[-2000:]}")
    for name in UNUSED:
        (fresh / name).unlink(missing_ok=True)
    pages = _page_count(entry)
    bundle = county_dir / BUNDLE
    if bundle.exists():
        bundle.rename(stale)
    fresh.rename(bundle)
    shutil.rmtree(stale, ignore_errors=True)
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    return CountyIndex(county_dir.name, pages, size, time.perf_counter() - started)


def _page_count(entry: Path) -> int:
    """The pages an index holds, from its pagefind-entry.json."""
    return sum(language["page_count"] for language in json.loads(entry.read_text("utf-8"))["languages"].values())


def write_search_manifest(output: Path, names: dict[str, str]) -> list[dict]:
    """List the county indexes found in the site for the province-wide search: `search/indexes.json`.

    `names` maps county codes to names; a county with pages but no index (indexing failed) is left out, and so
    is an index whose county is no longer published.
    """
    output = Path(output)
    counties = []
    for code, name in sorted(names.items()):
        entry = output / code / BUNDLE / "pagefind-entry.json"
        if not entry.is_file():
            continue
        counties.append({"code": code, "name": name, "bundle": f"{code}/{BUNDLE}/", "pages": _page_count(entry)})
    path = output / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"counties": counties}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return counties
