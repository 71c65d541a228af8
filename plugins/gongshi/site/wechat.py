"""A notice for a WeChat official account, a newspaper or a township's own post: a paste-ready article (inline styles,
no script), its two covers (900×383 and 500×500) and a summary card with the key figures and the QR code, drawn at
build time with the system's CJK font. Made for the notices on air only: a few images a day, not one per notice ever.

WeChat shows a shared page with its <title> only (its share cards need the JS-SDK and a server), so the article's
title and digest are kept within what an official account takes: 64 and 120 characters."""

from __future__ import annotations

import logging
import subprocess
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

from .channels import Summary, short_date
from .qr import qr_image

logger = logging.getLogger(__name__)

TITLE_MAX = 64
DIGEST_MAX = 120
COVERS = {"cover-900x383.png": (900, 383), "cover-500x500.png": (500, 500)}
CARD = (1080, 1440)
RED, YELLOW, WHITE, BLACK = (178, 34, 34), (255, 212, 0), (255, 255, 255), (26, 26, 26)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def digest(summary: Summary) -> str:
    return clip(f"{summary.mark}{summary.disclosers}公示{summary.title}，金额{summary.amount_text}，公示期"
                f"{short_date(summary.start)}至{short_date(summary.end)}，查询码{summary.code}，监督电话{summary.hotlines}。",
                DIGEST_MAX)


@cache
def cjk_font(bold: bool = False) -> tuple[str, int] | None:
    """The system's Simplified Chinese font (file, face index), as fontconfig finds it; None without one."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}:%{index}", f"Noto Sans CJK SC{':bold' if bold else ''}"],
                               capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = found.rpartition(":")
    return (path, int(index or 0)) if path and Path(path).is_file() and _covers(path, int(index or 0), "公示") else None


@cache
def _cmap(path: str, index: int) -> frozenset[int]:
    # Only the character map of the one face is read (lazy), not the whole collection of a 20 MB .ttc file.
    font = TTFont(path, fontNumber=index if path.lower().endswith((".ttc", ".otc")) else -1, lazy=True)
    return frozenset(font.getBestCmap())


def _covers(path: str, index: int, text: str) -> bool:
    cmap = _cmap(path, index)
    return all(ord(c) in cmap for c in text if not c.isspace())


def drawable(text: str) -> bool:
    """True when every character of text is in the font the images are drawn with (no tofu boxes)."""
    font = cjk_font(True)
    return font is not None and _covers(*font, text)


def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    path, index = cjk_font(bold)
    return ImageFont.truetype(path, size, index=index)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, lines: int) -> list[str]:
    out, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width:
            out.append(line)
            line = ""
            if len(out) == lines:
                out[-1] = out[-1][:-1] + "…"
                return out
        line += char
    return out + ([line] if line else [])


def _cover(summary: Summary, size: tuple[int, int]) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size, RED)
    draw = ImageDraw.Draw(image)
    margin = width // 15
    big = _font(max(28, height // 8))
    y = margin
    if summary.demo:
        draw.text((margin, y), "演示数据", font=_font(height // 16), fill=YELLOW)
        y += height // 10
    for line in _wrap(draw, summary.headline, big, width - 2 * margin, 2):
        draw.text((margin, y), line, font=big, fill=WHITE)
        y += int(big.size * 1.3)
    small = _font(max(20, height // 14), bold=False)
    y += small.size // 2
    for line in (summary.amount_text, f"查询码 {summary.code}"):  # the code on a line of its own, never cut
        draw.text((margin, y), line, font=small, fill=YELLOW)
        y += int(small.size * 1.3)
    return image


def _card(summary: Summary) -> Image.Image:
    width, height = CARD
    image = Image.new("RGB", CARD, WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 220), fill=RED)
    margin = 70
    title = _font(64)
    y = 40
    for line in _wrap(draw, summary.mark + summary.headline, title, width - 2 * margin, 2):
        draw.text((margin, y), line, font=title, fill=WHITE)
        y += 80
    body, label = _font(40, bold=False), _font(40)
    y = 270
    for name, value in (("公告", summary.title), ("金额", summary.amount_text),
                        ("公示期", f"{short_date(summary.start)}至{short_date(summary.end)}"),
                        ("公示单位", summary.disclosers), ("监督电话", summary.hotlines)):
        draw.text((margin, y), name, font=label, fill=RED)
        for line in _wrap(draw, value, body, width - 2 * margin - 200, 2):
            draw.text((margin + 200, y), line, font=body, fill=BLACK)
            y += 58
        y += 18
    code = qr_image(summary.url, 10).convert("RGB")
    side = min(420, height - y - 200)
    code = code.resize((side, side), Image.NEAREST)
    image.paste(code, ((width - side) // 2, y + 20))
    caption = _font(48)
    text = f"扫码查看 · 查询码 {summary.code}"
    draw.text(((width - draw.textlength(text, font=caption)) / 2, y + side + 40), text, font=caption, fill=BLACK)
    return image


def write_images(folder: Path, summary: Summary) -> bool:
    """The covers and the card of a notice; False (nothing written) when the system has no CJK font or the notice
    has characters it cannot draw."""
    text = summary.mark + summary.headline + summary.title + summary.disclosers + summary.hotlines + summary.amount_text
    if not drawable(text + "扫码查看查询码金额公示期单位监督电话"):
        return False
    folder.mkdir(parents=True, exist_ok=True)
    for name, size in COVERS.items():
        _cover(summary, size).save(folder / name)
    _card(summary).save(folder / "card.png")
    return True
