"""Wall-notice PDFs typeset with Typst from the sheet's model (site/sheetdoc.py) and the theme's `typst/sheet.typ`.

One compiler is kept per template and reused for every sheet, so that the fonts are read once: a sheet then takes
milliseconds where printing its HTML page took most of a second. The fonts are the system's Chinese fonts as
fontconfig lists them (Debian's fonts-noto-cjk), embedded as CID fonts; nothing is fetched, and the template reads
no file but its own folder's: the model and the QR code come in as inputs, and Typst shows their values as text.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import threading
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


class TypesetError(RuntimeError):
    """Typst could not typeset a document; the message is Typst's."""


class _Helper:
    """This process's own Typst helper: a fresh Python process (site/typst_worker.py), never a fork. Typst's threads
    do not survive a fork: a process that forks after typesetting, or a child forked from it, would hang at its next
    document. So every process that typesets (a build, a county's worker, a PDF worker) asks a helper of its own, and
    the build's processes can fork freely. The helper keeps the compilers, so the fonts are read once."""

    def __init__(self):
        package = Path(__file__).resolve().parents[2]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(package), os.environ.get("PYTHONPATH")]))}
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.process = subprocess.Popen([sys.executable, "-m", "gongshi.site.typst_worker"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=env)

    def compile(self, template: str, stamp: tuple, inputs: dict[str, str]) -> bytes:
        request = json.dumps({"template": template, "stamp": list(stamp), "inputs": inputs}).encode("utf-8")
        with self.lock:
            self.process.stdin.write(struct.pack(">I", len(request)) + request)
            self.process.stdin.flush()
            head = self.process.stdout.read(5)
            if len(head) < 5:
                raise TypesetError("the Typst helper process ended (out of memory?)")
            status, length = struct.unpack(">BI", head)
            payload = self.process.stdout.read(length)
        if status:
            raise TypesetError(payload.decode("utf-8", "replace"))
        return payload


_HELPER: _Helper | None = None


def compile_pdf(template: Path, inputs: dict[str, str]) -> bytes:
    """The PDF a template makes of these inputs (sys.inputs), typeset by this process's helper. A changed template
    (its size or time) gets a compiler of its own."""
    global _HELPER
    template = Path(template).resolve()
    status = template.stat()  # FileNotFoundError when the theme lacks it
    if _HELPER is None or _HELPER.pid != os.getpid() or _HELPER.process.poll() is not None:
        _HELPER = _Helper()
    return _HELPER.compile(str(template), (status.st_mtime_ns, status.st_size), inputs)


def typeset(doc: dict, template: Path) -> bytes:
    """The PDF of one sheet."""
    return compile_pdf(template, {"sheet": json.dumps(doc, ensure_ascii=False), "qr": str(qr_svg(doc["url"]))})


def page_count(pdf: bytes) -> int:
    """How many pages a PDF Typst wrote has (its page objects are not compressed)."""
    return len(_PAGE.findall(pdf))
