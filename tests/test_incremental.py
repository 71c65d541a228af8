"""Counties are built in parallel processes, and a rebuild only redoes what changed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gongshi.site.job import STAMP
from gongshi.synth.bench import change_one_county
from gongshi.synth.province import generate_province, province_fingerprint

from conftest import build_site, project_settings


def settings(province: Path, **extra) -> dict:
    return {"keys_path": str(province / "keys"), "history_path": str(province / "history"),
            "province_key_fingerprint": province_fingerprint(province), "allow_unsigned": False, **extra}


def build(province: Path, output: Path, monkeypatch, **extra) -> dict:
    timings = output.parent / f"{output.name}-timings.json"
    monkeypatch.setenv("GONGSHI_TIMINGS", str(timings))
    result = build_site(province / "data", output, **settings(province, **extra))
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(timings.read_text(encoding="utf-8"))


def snapshot(output: Path, county: str) -> dict[str, tuple[int, int]]:
    """Each file of a county's folder with its inode and modification time: rewritten files show."""
    return {str(p.relative_to(output)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (output / county).rglob("*") if p.is_file()}


def contents(output: Path) -> dict[str, bytes]:
    """Every file's bytes, except the search indexes: Pagefind names its files by random hashes on every run."""
    return {str(p.relative_to(output)): p.read_bytes() for p in output.rglob("*")
            if p.is_file() and "pagefind" not in p.relative_to(output).parts}


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small-province")
    generate_province(out, scale=0.002, seed=3)
    return out


def test_parallel_build_equals_serial_build(province, tmp_path, monkeypatch):
    # Search indexes are left out: Pagefind names its files anew on every run (and test_search covers them).
    parallel = build(province, tmp_path / "parallel", monkeypatch, workers=2, search=False)
    serial = build(province, tmp_path / "serial", monkeypatch, workers=1, search=False)
    assert parallel["built"] == serial["built"] == 2
    assert parallel["pages_total"] > 500
    assert contents(tmp_path / "parallel") == contents(tmp_path / "serial")


def test_rebuild_reuses_unchanged_counties_and_redoes_a_changed_one(province, tmp_path, monkeypatch):
    copy = tmp_path / "province"
    shutil.copytree(province, copy)
    output = tmp_path / "site"
    first = build(copy, output, monkeypatch, workers=2, search=False)
    counties = sorted(p.name for p in (copy / "data").iterdir())
    before = {code: snapshot(output, code) for code in counties}

    again = build(copy, output, monkeypatch, workers=2, search=False)
    assert (again["built"], again["reused"]) == (0, 2)
    assert {code: snapshot(output, code) for code in counties} == before  # not one file rewritten
    home = (output / "index.html").read_text(encoding="utf-8")
    assert all(f'{code}/"' in home for code in counties)

    changed = change_one_county(copy)
    other = next(code for code in counties if code != changed)
    third = build(copy, output, monkeypatch, workers=2, search=False)
    assert (third["built"], third["reused"]) == (1, 1)
    assert snapshot(output, other) == before[other]
    assert snapshot(output, changed) != before[changed]
    pages = list((output / changed / "project").glob("*/index.html"))
    assert any("（更正）" in page.read_text(encoding="utf-8") for page in pages)
    # The new version is published with its history; the stamp records what the folder was built from.
    assert (output / changed / "versions" / "2" / "index.html").is_file()
    stamp = json.loads((output / changed / STAMP).read_text(encoding="utf-8"))
    assert stamp["summary"]["pages"] == third["pages_built"]
    assert third["pages_total"] == first["pages_total"] + 1  # the page of version 2


def test_a_setting_that_changes_pages_rebuilds_every_county(province, tmp_path, monkeypatch):
    output = tmp_path / "site"
    build(province, output, monkeypatch, workers=2, search=False)
    again = build(province, output, monkeypatch, workers=2, search=False, national_hotline="12345")
    assert (again["built"], again["reused"]) == (2, 0)
    page = next((output / sorted(p.name for p in (province / "data").iterdir())[0] / "project").glob("*/index.html"))
    assert "12345" in page.read_text(encoding="utf-8")


def test_counties_built_apart_are_merged_without_rebuilding(province, tmp_path, monkeypatch):
    """A batch runner builds each county on its own; the province build then only merges."""
    output = tmp_path / "site"
    codes = sorted(p.name for p in (province / "data").iterdir())
    for code in codes:
        part = tmp_path / "parts" / code
        alone = build(province, part, monkeypatch, data_path=str(province / "data" / code), workers=1)
        assert (alone["built"], alone["reused"]) == (1, 0)
        shutil.copytree(part / code, output / code)
    merged = build(province, output, monkeypatch, workers=2)
    assert (merged["built"], merged["reused"]) == (0, 2)
    home = (output / "index.html").read_text(encoding="utf-8")
    assert all(f'{code}/"' in home for code in codes)


COUNT_OPENS = """
import os, sys
from pelican import Pelican
from pelican.settings import read_settings
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, os.PathLike)) and "/history/519901/" in os.fspath(args[0]) \\
            and "log.jsonl" not in os.fspath(args[0]):
        opened.append(os.fspath(args[0]))
settings = read_settings(sys.argv[1], override={"OUTPUT_PATH": sys.argv[2], "GONGSHI": eval(sys.argv[3])})
sys.addaudithook(hook)
Pelican(settings).run()
print("ARCHIVE-OPENS", len(opened))
"""


def archive_opens(output: Path, gongshi: dict) -> tuple[int, str]:
    """Build in one process and count the files of archived versions it opens."""
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", COUNT_OPENS, str(root / "pelicanconf.py"), str(output),
                           repr({**gongshi, "workers": 1})], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return int(done.stdout.split("ARCHIVE-OPENS")[-1].split()[0]), done.stdout + done.stderr


def test_a_published_version_is_verified_diffed_and_bundled_once(tmp_path):
    """History work does not grow with the number of versions: a rebuild takes what an earlier build made of each
    version and does not read the archives again, unless one of their files was written since."""
    root = Path(__file__).resolve().parents[1]
    data, history = tmp_path / "data", tmp_path / "history"
    shutil.copytree(root / "data" / "519901", data / "519901")
    shutil.copytree(root / "history" / "519901", history / "519901")
    gongshi = {**project_settings(), "data_path": str(data), "history_path": str(history),
               "keys_path": str(root / "keys"), "schemas_path": str(root / "schemas"), "today": "2026-11-21",
               "allow_unsigned": False, "search": False, "pdf": False}
    output = tmp_path / "site"
    first, _ = archive_opens(output, gongshi)
    assert first > 10  # every archived file of both versions, read to verify, diff and bundle them
    bundles = sorted((output / "519901" / "versions").glob("*/gongshi-519901-v*.zip"))
    assert len(bundles) == 2
    before = {p: p.stat().st_ino for p in bundles}
    (output / "519901" / STAMP).unlink()  # the county is built again, as after a new submission
    again, _ = archive_opens(output, gongshi)
    assert again == 0
    assert {p: p.stat().st_ino for p in bundles} == before  # the bundles were carried over, not made again
    # Version 1's archived allocations, changed without changing their size: the next build reads them again.
    archived = history / "519901" / "1" / "allocations.csv"
    text = archived.read_text(encoding="utf-8")
    archived.write_text(text.replace("演", "澳", 1), encoding="utf-8")
    assert archived.stat().st_size == len(text.encode("utf-8"))
    (output / "519901" / STAMP).unlink()
    tampered, log = archive_opens(output, gongshi)
    assert tampered > 0 and "hash-mismatch" in log and "allocations.csv" in log


def test_a_preview_does_not_vouch_for_an_archive_a_public_build_would_refuse(tmp_path):
    """A local preview publishes what does not verify (marked so); a public build into the same folder must still
    check every archive the preview let through."""
    root = Path(__file__).resolve().parents[1]
    data, history = tmp_path / "data", tmp_path / "history"
    shutil.copytree(root / "data" / "519901", data / "519901")
    shutil.copytree(root / "history" / "519901", history / "519901")
    archived = history / "519901" / "1" / "allocations.csv"
    archived.write_text(archived.read_text(encoding="utf-8").replace("演", "澳", 1), encoding="utf-8")
    output = tmp_path / "site"
    extra = {"history_path": str(history), "search": False}
    preview = build_site(data, output, allow_unsigned=True, **extra)
    assert preview.returncode == 0 and "hash-mismatch" in preview.stdout
    public = build_site(data, output, allow_unsigned=False, **extra)
    assert public.returncode == 0 and "hash-mismatch" in public.stdout
    assert "not published" in public.stdout  # refused, not taken on the preview's word


def test_what_another_gongshi_kept_of_the_versions_is_made_anew(tmp_path):
    root = Path(__file__).resolve().parents[1]
    data, history = tmp_path / "data", tmp_path / "history"
    shutil.copytree(root / "data" / "519901", data / "519901")
    shutil.copytree(root / "history" / "519901", history / "519901")
    output, extra = tmp_path / "site", {"history_path": str(history), "allow_unsigned": False, "search": False}
    assert build_site(data, output, **extra).returncode == 0
    kept = output / "519901" / ".gongshi-versions.json"
    # As an earlier gongshi kept them: its diffs as dicts, no format.
    kept.write_text(json.dumps({"1": {"stamp": "x", "clean": True, "diffs": [{"resource": "units"}],
                                      "downloads": [{"name": "../../escape", "size": 1, "sha256": "", "title": ""}]}}),
                    encoding="utf-8")
    (output / "519901" / STAMP).unlink()
    again = build_site(data, output, **extra)
    assert again.returncode == 0 and "could not be built" not in again.stdout, again.stdout
    assert json.loads(kept.read_text(encoding="utf-8"))["format"]
    assert len(list((output / "519901" / "versions").glob("*/gongshi-519901-v*.zip"))) == 2
