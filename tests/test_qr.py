"""QR codes: the SVG the pages and PDFs show draws exactly the symbol's modules, and the codes scan with zbar."""

from __future__ import annotations

import re
import subprocess
from xml.etree import ElementTree

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.site.qr import QUIET_ZONE, qr_modules, qr_png, qr_svg

SITE_URLS = st.builds(lambda county, kind, number: f"https://gongshi.example.org/{county}/{kind}/GS2026-{number:03d}/",
                      st.integers(100000, 999999), st.sampled_from(["notice", "project", "place", "tv"]),
                      st.integers(1, 999))


def drawn(svg: str) -> np.ndarray:
    """The modules an SVG of qr_svg paints dark, read back from its path."""
    side = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    modules = np.zeros((side, side), dtype=bool)
    path = re.search(r'<path stroke="#000" d="([^"]*)"', svg).group(1)
    assert re.fullmatch(r"M\d+ \d+\.5h\d+(m-?\d+ -?\d+h\d+)*", path), path
    x = y = 0
    for move, dx, dy, run in re.findall(r"([Mm])(-?\d+) (-?\d+)(?:\.5)?h(\d+)", path):
        x, y = (int(dx), int(dy)) if move == "M" else (x + int(dx), y + int(dy))
        assert not modules[y, x:x + int(run)].any(), "runs overlap"
        modules[y, x:x + int(run)] = True
        x += int(run)
    return modules


@settings(max_examples=300, deadline=None)
@given(st.one_of(SITE_URLS, st.text(min_size=1, max_size=300)))
def test_the_svg_draws_exactly_the_symbol_with_its_quiet_zone(text):
    svg = qr_svg(text)
    assert np.array_equal(drawn(svg), np.pad(qr_modules(text), QUIET_ZONE))
    assert qr_svg(text) == svg
    ElementTree.fromstring(svg)  # well-formed XML whatever the text holds (Typst reads it as XML)


@settings(max_examples=25, deadline=None)
@given(SITE_URLS)
def test_the_site_addresses_scan_with_zbar(tmp_path_factory, url):
    image = tmp_path_factory.mktemp("qr") / "code.png"
    image.write_bytes(qr_png(url, 4))
    out = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True)
    assert out.stdout.strip() == url


def test_a_long_address_and_one_with_markup_scan_and_are_escaped(tmp_path):
    for number, url in enumerate(["https://gongshi.example.org/519901/place/519901101201/" + "x" * 200,
                                  'https://gongshi.example.org/519901/?q=<b>&x="1"']):
        (tmp_path / f"{number}.png").write_bytes(qr_png(url, 4))
        out = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / f"{number}.png")], capture_output=True,
                             text=True)
        assert out.stdout.strip() == url
    svg = qr_svg('https://gongshi.example.org/519901/?q=<b>&x="1"')
    assert "<b>" not in svg and "&lt;b&gt;&amp;x=&#34;1&#34;" in svg
