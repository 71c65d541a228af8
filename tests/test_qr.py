"""QR codes: segno's choice of mask, made on arrays (site/qrmask.py), gives exactly segno's codes, and they scan."""

from __future__ import annotations

import subprocess

import segno
import segno.encoder
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.site import qrmask


def both(text: str, error: str) -> tuple[segno.QRCode, segno.QRCode]:
    """The code as segno makes it on its own, and as the site makes it."""
    ours = segno.encoder.find_and_apply_best_mask
    try:
        segno.encoder.find_and_apply_best_mask = qrmask._segno_find_and_apply_best_mask
        theirs = segno.make(text, error=error, micro=False, boost_error=False)
    finally:
        segno.encoder.find_and_apply_best_mask = ours
    return theirs, segno.make(text, error=error, micro=False, boost_error=False)


@settings(max_examples=400, deadline=None)
@given(st.text(min_size=1, max_size=600), st.sampled_from("lmqh"))
def test_the_same_mask_and_modules_as_segno_for_any_text(text, error):
    theirs, ours = both(text, error)
    assert (ours.mask, ours.matrix) == (theirs.mask, theirs.matrix)


@settings(max_examples=200, deadline=None)
@given(st.integers(100000, 999999), st.sampled_from(["notice", "project", "place", "tv"]), st.integers(1, 999))
def test_the_same_codes_for_the_site_addresses(county, kind, number):
    theirs, ours = both(f"https://gongshi.example.org/{county}/{kind}/GS2026-{number:03d}/", "m")
    assert (ours.mask, ours.matrix) == (theirs.mask, theirs.matrix)


def test_the_site_uses_it_and_its_codes_scan(tmp_path):
    from gongshi.site.qr import qr_svg  # noqa: F401 - importing the site's QR module puts the array version in place

    assert segno.encoder.find_and_apply_best_mask is qrmask.find_and_apply_best_mask
    for number, url in enumerate(["https://gongshi.example.org/519901/notice/GS2026-133/",
                                  "https://gongshi.example.org/519901/place/519901101201/" + "x" * 200]):
        segno.make(url, error="m", micro=False).save(tmp_path / f"{number}.png", scale=4)
        out = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / f"{number}.png")], capture_output=True,
                             text=True)
        assert out.stdout.strip() == url
