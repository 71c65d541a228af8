"""Wall-notice PDFs typeset with Typst from the sheet's model (site/sheetdoc.py) and the theme's `typst/sheet.typ`.

One compiler is kept per template and reused for every sheet, so that the CJK fonts are read once: a sheet then takes
milliseconds where the HTML-to-PDF path takes most of a second. The fonts are the system's Noto CJK (fonts-noto-cjk),
embedded as CID fonts; nothing is fetched.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import typst

from .qr import qr_svg

FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")


@cache
def _compiler(template: Path) -> typst.Compiler:
    fonts = [d for d in FONT_DIRS if Path(d).is_dir()]
    return typst.Compiler(str(template), font_paths=fonts, ignore_system_fonts=bool(fonts))


def typeset(doc: dict, template: Path) -> bytes:
    """The PDF of one sheet."""
    return _compiler(Path(template)).compile(
        format="pdf", pdf_tags=False,
        sys_inputs={"sheet": json.dumps(doc, ensure_ascii=False), "qr": str(qr_svg(doc["url"]))})
