"""The publication history: a hash-chained, signed release log, archived versions, and what changed between them."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from gongshi.cli import main
from gongshi.schemas import load_schemas
from gongshi.trust.diff import FieldChange, diff_tables
from gongshi.trust.history import GENESIS, read_log

from conftest import DEMO, GOOD, ROOT, build_site

HISTORY = ROOT / "history" / "519901"


def verify_log(folder: Path) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(main, ["verify", "--log", str(folder), "--allowed-signers",
                                       str(ROOT / "keys" / "allowed_signers"), "--format", "json"])
    return result.exit_code, json.loads(result.output)


def amounts(folder: Path) -> dict[str, str]:
    with open(folder / "allocations.csv", encoding="utf-8", newline="") as fh:
        return {row["allocation_id"]: row["amount"] for row in csv.DictReader(fh)}


def test_demo_history_verifies_and_ends_at_the_current_package():
    import hashlib

    assert verify_log(HISTORY) == (0, [])
    entries = read_log(HISTORY / "log.jsonl")
    assert [e.seq for e in entries] == [1, 2] and entries[0].prev == GENESIS and entries[1].prev == entries[0].hash
    assert entries[-1].package_sha256 == hashlib.sha256((DEMO / "datapackage.json").read_bytes()).hexdigest()


@pytest.fixture
def history_copy(tmp_path) -> Path:
    return shutil.copytree(HISTORY, tmp_path / "519901")


def test_an_edited_past_entry_is_detected_at_the_first_broken_link(history_copy):
    log = history_copy / "log.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    lines[0] = lines[0].replace(b"2026-10-15", b"2026-10-16")
    log.write_bytes(b"".join(lines))
    code, problems = verify_log(history_copy)
    assert code == 1
    assert (problems[0]["code"], problems[0]["row"], problems[0]["field"]) == ("release-log-broken", 2, "prev")
    assert "第2条" in problems[0]["message"] and "第1条在发布后被改过" in problems[0]["message"]
    assert "release-log-invalid" in {p["code"] for p in problems}  # and the county's signature no longer matches


def test_a_rewritten_archive_is_detected(history_copy):
    allocations = history_copy / "1" / "allocations.csv"
    allocations.write_text(allocations.read_text(encoding="utf-8").replace("963300.00", "943300.00"), encoding="utf-8")
    code, problems = verify_log(history_copy)
    assert code == 1 and [(p["code"], Path(p["path"]).name) for p in problems] == [("hash-mismatch", "allocations.csv")]


def test_version_diff_reports_an_amount_change_as_that_fields_change():
    before, after = amounts(HISTORY / "1"), amounts(HISTORY / "2")
    changed = {k: (before[k], after[k]) for k in after if k in before and before[k] != after[k]}
    assert len(changed) == 1, "the demo history corrects one allocation's amount"
    (allocation, (old, new)), = changed.items()
    diffs = {d.resource: d for d in diff_tables(HISTORY / "1", HISTORY / "2", load_schemas())}
    assert diffs["allocations"].changed == [(allocation, [FieldChange("amount", old, new)])]
    assert not diffs["allocations"].added and not diffs["allocations"].removed
    assert diffs["notices"].added and not diffs["projects"].changed


def test_site_shows_every_version_and_what_changed(demo_site):
    listing = BeautifulSoup((demo_site / "519901" / "versions" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a.get_text(strip=True) for a in listing.select("tbody tr td:first-child a")] == ["第2版", "第1版"]
    before, after = amounts(HISTORY / "1"), amounts(HISTORY / "2")
    allocation = next(k for k in after if before.get(k) != after[k])
    page = BeautifulSoup((demo_site / "519901" / "versions" / "2" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    row = next(tr for tr in page.select("table.changed tbody tr") if allocation in tr.get_text())
    assert row.select_one("del").get_text() == before[allocation] and row.select_one("ins").get_text() == after[allocation]
    for seq in (1, 2):
        bundle = demo_site / "519901" / "versions" / str(seq) / f"gongshi-519901-v{seq}.zip"
        assert CliRunner().invoke(main, ["verify", str(bundle)]).exit_code == 0
    assert (demo_site / "519901" / "versions" / "log.jsonl").read_bytes() == (HISTORY / "log.jsonl").read_bytes()


def test_sign_records_each_new_version_once(tmp_path):
    package = shutil.copytree(GOOD, tmp_path / "data" / "519902")
    key = tmp_path / "k"
    assert CliRunner().invoke(main, ["keygen", "519902", "--out", str(key)]).exit_code == 0
    sign = ["sign", str(package), "--key", str(key)]
    assert "第 1 版" in CliRunner().invoke(main, sign).output
    assert "未新增版本" in CliRunner().invoke(main, sign).output
    projects = package / "projects.csv"
    projects.write_text(projects.read_text(encoding="utf-8").replace("80000.00", "80000.50"), encoding="utf-8")
    assert "第 2 版" in CliRunner().invoke(main, sign).output
    entries = read_log(tmp_path / "history" / "519902" / "log.jsonl")
    assert [e.seq for e in entries] == [1, 2] and entries[1].prev == entries[0].hash
    assert (tmp_path / "history" / "519902" / "2" / "projects.csv").read_bytes() == projects.read_bytes()


def test_build_refuses_a_county_whose_history_was_rewritten(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEMO, data / "519901")
    history = shutil.copytree(ROOT / "history", tmp_path / "history")
    log = history / "519901" / "log.jsonl"
    log.write_bytes(log.read_bytes().replace(b"2026-10-15", b"2026-09-15"))
    result = build_site(data, tmp_path / "out", allow_unsigned=False, history_path=str(history))
    assert result.returncode == 0
    assert not (tmp_path / "out" / "519901").exists()
    assert "release-log-broken" in result.stdout + result.stderr
