"""QR codes to a notice's online page: inline SVG, vector in the page and in the PDF; PNG for TV and WeChat.

The symbol is made by zxing-cpp (ZXing's C++ port, whose encoder chooses the mask as the QR standard describes),
error correction level M, in about 0.1 ms. The SVG is drawn here from its modules: one horizontal run of dark
modules to a path segment, each placed relative to the last (which keeps a page light), with the standard quiet
zone of four modules. The same text always gives the same code.
"""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
import zxingcpp
from markupsafe import Markup, escape
from PIL import Image

QUIET_ZONE = 4  # modules of white around the symbol, as the standard asks


def qr_modules(text: str) -> np.ndarray:
    """The symbol's modules, True for dark, without the quiet zone."""
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return np.asarray(code.to_image(scale=1, add_quiet_zones=False)) < 128


@lru_cache(maxsize=4096)
def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of the URL: vector in the page and in the PDF, black on white, with its quiet zone.

    A notice's page and its two print pages show the same code, so it is made once."""
    modules = qr_modules(url)
    size = modules.shape[0]
    side = size + 2 * QUIET_ZONE
    edges = np.zeros((size, size + 2), dtype=np.int8)
    edges[:, 1:-1] = modules
    edges = np.diff(edges, axis=1)  # 1 where a run of dark modules starts, -1 just after it ends
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)
    # The first run from the corner, each next one relative to where the last ended, as segno wrote them.
    moves_x = np.concatenate(([starts[0] + QUIET_ZONE], starts[1:] - ends[:-1])).tolist()
    moves_y = np.concatenate(([rows[0] + QUIET_ZONE], rows[1:] - rows[:-1])).tolist()
    runs = (ends - starts).tolist()
    path = f"M{moves_x[0]} {moves_y[0]}.5h{runs[0]}" + "".join(
        [f"m{x} {y}h{run}" for x, y, run in zip(moves_x[1:], moves_y[1:], runs[1:], strict=True)])
    title = "".join(ch for ch in url if ch.isprintable())  # XML has no place for control characters
    return Markup(f'<svg viewBox="0 0 {side} {side}" class="qr"><title>{escape(title)}</title>'
                  f'<path fill="#fff" d="M0 0h{side}v{side}h-{side}z"/><path stroke="#000" d="{path}"/></svg>')


def qr_image(text: str, scale: int) -> Image.Image:
    """The QR code as a black-on-white image, `scale` pixels a module, with its quiet zone."""
    modules = np.pad(qr_modules(text), QUIET_ZONE)
    pixels = np.where(modules, 0, 255).astype(np.uint8).repeat(scale, axis=0).repeat(scale, axis=1)
    return Image.fromarray(pixels, mode="L")


def qr_png(text: str, scale: int) -> bytes:
    buffer = io.BytesIO()
    qr_image(text, scale).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
