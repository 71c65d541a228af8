"""The small test county's pages, diffed against the golden copies in tests/golden (invoke golden renews them)."""

from __future__ import annotations

import difflib
import shutil

from conftest import GOLDEN, GOLDEN_FILES, GOOD, build_site, golden_pages


def test_generated_pages_match_the_golden_site(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(GOOD, data / "519902")
    result = build_site(data, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    built = golden_pages(tmp_path / "out")
    expected = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for pattern in GOLDEN_FILES
                for p in sorted(GOLDEN.rglob(pattern))}
    assert sorted(built) == sorted(expected), "pages added or removed: run `invoke golden` and review the diff"
    for name, html in built.items():
        if html != expected[name]:
            diff = "".join(difflib.unified_diff(expected[name].splitlines(True), html.splitlines(True), name, name, n=1))
            raise AssertionError(f"{name} changed; if intended, run `invoke golden` and review:\n{diff[:3000]}")
