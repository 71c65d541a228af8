"""Text as clerks type it: full-width forms, the dashes of Chinese input methods, and the encodings office
spreadsheets save in. One folding and one decoder for every stage that reads what a clerk wrote."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# The dashes people type between digits or words, all read as "-": hyphen, non-breaking hyphen, figure dash,
# en dash, em dash, horizontal bar, minus sign, small and full-width hyphen-minus.
DASHES = "‐‑‒–—―−﹣－"
DASH_CLASS = f"[{DASHES}]"  # the same, for a regular expression (polars' included)
_TO_HYPHEN = str.maketrans(dict.fromkeys(DASHES, "-"))
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def fold(text: str) -> str:
    """The way a value is meant, not how it was typed: full-width letters, digits and spaces as ASCII, trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def fold_dashes(text: str) -> str:
    """Folded as `fold` does (not trimmed, so positions still match the words around them), every dash read as -."""
    return unicodedata.normalize("NFKC", text).translate(_TO_HYPHEN)


@dataclass(frozen=True)
class Decoded:
    """A file's bytes as text, and how they were encoded."""

    text: str | None  # None when the bytes are neither UTF-8 nor GB18030
    encoding: str | None = None  # "utf-8" or "gb18030"
    bom: bool = False  # the UTF-8 file started with a byte-order mark (removed from text)
    bad_byte: int | None = None  # where UTF-8 decoding failed

    @property
    def plausible(self) -> bool:
        """UTF-8, or GB18030 that reads as Chinese without control characters: not noise that happens to decode."""
        return self.text is not None and (self.encoding == "utf-8" or (
            bool(_CHINESE.search(self.text)) and not _CONTROL.search(self.text)))


def decode(data: bytes) -> Decoded:
    """Read a file saved by an office spreadsheet: UTF-8 (with or without a byte-order mark), else GBK/GB18030,
    which Excel's and WPS's plain "CSV" writes on a Chinese system."""
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        return Decoded(data.decode("utf-8"), "utf-8", bom)
    except UnicodeDecodeError as exc:
        bad_byte = exc.start
    try:
        return Decoded(data.decode("gb18030"), "gb18030", bom, bad_byte)
    except UnicodeDecodeError:
        return Decoded(None, None, bom, bad_byte)
