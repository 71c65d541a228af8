"""What a county's job keeps in its folder from one build to the next: small JSON records (which PDFs it has, the
masks of its QR codes, its versions) and files carried over by a link instead of being made again."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path


def read_kept(path: Path) -> dict:
    """A record an earlier build kept; empty when there is none or it cannot be read (it is then made anew)."""
    try:
        kept = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def link_or_copy(source: Path, target: Path) -> None:
    """Carry a file over from the previous build: a hard link (no copy, same inode), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
