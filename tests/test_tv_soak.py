"""The TV rotation left running (tests/tv_soak.py, started beside the other tests once the demo site is built): the
renderer does not grow, the DOM is the same at every slide, and old slides are freed."""

from __future__ import annotations

import json

from conftest import SOAK, SOAK_SECONDS


def test_the_tv_rotation_runs_for_minutes_without_growing(demo_site):
    process = SOAK["process"]
    _, stderr = process.communicate(timeout=SOAK_SECONDS + 120)
    assert process.returncode == 0, stderr[-3000:]
    samples = json.loads(SOAK["out"].read_text(encoding="utf-8"))["samples"]
    slides = len({s["url"] for s in samples})
    assert slides >= 2 and len(samples) >= 2 * slides + 1, samples  # twice round the chain, and back to the start
    assert samples[0]["url"] == "tv/" and any(s["url"] == "tv/" for s in samples[1:]), [s["url"] for s in samples]
    # One document alive, the same DOM at every slide, a JavaScript heap that does not move.
    assert {s["documents"] for s in samples} == {1}, samples
    assert len({s["nodes"] for s in samples}) == 1, [s["nodes"] for s in samples]
    heaps = [s["js_heap"] for s in samples]
    assert max(heaps) - min(heaps) < 64 * 1024, heaps
    # The renderer's memory in the last round of the chain is no more than in the first full round (10% for the
    # allocator's moods): memory that grew with each slide would show here.
    first, last = samples[1:1 + slides], samples[-slides:]
    assert max(s["rss_kib"] for s in last) <= 1.1 * max(s["rss_kib"] for s in first), samples
