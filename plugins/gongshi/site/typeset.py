"""Wall-notice PDFs typeset with Typst from the sheet's model (site/sheetdoc.py) and the theme's `typst/sheet.typ`.

One compiler is kept per template and reused for every sheet, so that the fonts are read once: a sheet then takes
milliseconds where printing its HTML page took most of a second. The fonts are the system's Chinese fonts as
fontconfig lists them (Debian's fonts-noto-cjk), embedded as CID fonts; nothing is fetched, and the template reads
no file but its own folder's: the model and the QR code come in as inputs, and Typst shows their values as text.
"""

from __future__ import annotations

import json
import re
import subprocess
from functools import cache
from pathlib import Path

import typst

from .qr import qr_svg

_PAGE = re.compile(rb"/Type\s*/Page[^s]")


@cache
def cjk_font_files() -> tuple[str, ...]:
    """The font files fontconfig offers for Simplified Chinese (none when fontconfig finds none)."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh-cn", "file"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(sorted({line.split(":")[0].strip() for line in listed.stdout.splitlines() if line.strip()}))


@cache
def _compiler(template: Path, stamp: tuple) -> typst.Compiler:
    folders = sorted({str(Path(f).parent) for f in cjk_font_files()})
    return typst.Compiler(str(template), root=str(template.parent), font_paths=folders, ignore_system_fonts=True)


def typeset(doc: dict, template: Path) -> bytes:
    """The PDF of one sheet. A changed template (its size or time) gets a compiler of its own."""
    template = Path(template).resolve()
    status = template.stat()  # FileNotFoundError when the theme lacks it
    return _compiler(template, (status.st_mtime_ns, status.st_size)).compile(
        format="pdf", pdf_tags=False,
        sys_inputs={"sheet": json.dumps(doc, ensure_ascii=False), "qr": str(qr_svg(doc["url"]))})


def page_count(pdf: bytes) -> int:
    """How many pages a PDF Typst wrote has (its page objects are not compressed)."""
    return len(_PAGE.findall(pdf))
