"""QR codes to a notice's online page: inline SVG, vector in the page and in the PDF.

Choosing the mask that scans best is most of the cost of a code, so each county's job starts from the masks its
previous build chose (`.gongshi-qr.json` in its folder) and leaves them for the next.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import segno
from markupsafe import Markup

from . import qrmask
from .kept import read_kept

QR_MASKS = ".gongshi-qr.json"
qrmask.install()  # segno's mask choice, the same masks, on arrays


# The mask segno chose for each URL's QR code. Choosing the mask that scans best was most of the cost of a code
# (2.4 of 3 ms in segno; 0.4 of 1 ms with site/qrmask.py); with the mask known, the same code takes 0.6 ms. A
# county's job starts from the masks of its previous build (QR_MASKS in its folder) and leaves them for the next.
_MASKS: dict[str, int] = {}


def load_qr_masks(folder: Path) -> None:
    """Start from the masks the county's previous build chose."""
    masks = read_kept(Path(folder) / QR_MASKS)
    _MASKS.update({u: m for u, m in masks.items() if isinstance(u, str) and m in range(8)})


def write_qr_masks(folder: Path, marker: str) -> None:
    """Write the masks of the URLs that contain marker (the county's path, such as /510104/)."""
    masks = {u: m for u, m in sorted(_MASKS.items()) if marker in u}
    (Path(folder) / QR_MASKS).write_text(json.dumps(masks, separators=(",", ":")), encoding="utf-8")


@lru_cache(maxsize=4096)
def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of the URL: vector in the page and in the PDF, black on white, with its quiet zone.

    A notice's page and its two print pages show the same code, so it is made once."""
    code = segno.make(url, error="m", micro=False, mask=_MASKS.get(url))
    _MASKS[url] = code.mask
    svg = code.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr",
                          lineclass=None, title=url)
    return Markup(svg)
