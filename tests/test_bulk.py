"""Bulk files for the whole site: every county's tables concatenated as CSV and Parquet, one SQLite database, and a
manifest of counties, versions and hashes; made again only when a county changed."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
from decimal import Decimal
from types import SimpleNamespace

import polars as pl

from conftest import ROOT

DEMO = ROOT / "data" / "519901"


def package_rows(table):
    with open(DEMO / f"{table}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_parquet_and_csv_hold_every_county_row_as_the_package_has_it(demo_site):
    folder = demo_site / "data"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [c["code"] for c in manifest["counties"]] == ["519901"] and manifest["counties"][0]["version"] >= 1
    for f in manifest["files"]:
        assert hashlib.sha256((folder / f["name"]).read_bytes()).hexdigest() == f["sha256"], f["name"]
    for table in ("projects", "allocations", "project_funds", "beneficiaries", "notices", "problems"):
        expected = package_rows(table)
        frame = pl.read_parquet(folder / f"{table}.parquet")
        assert frame.height == len(expected) and set(frame["county"].to_list()) == {"519901"}
        for got, want in zip(frame.iter_rows(named=True), expected, strict=True):
            assert {k: "" if got[k] is None else str(got[k]) for k in want} == want, table
        text = (folder / f"{table}.csv").read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == len(expected) and rows[0]["county"] == "519901"
    budget = sum(Decimal(r["budget"]) for r in package_rows("projects"))
    db = sqlite3.connect(folder / "gongshi-all.db")
    assert Decimal(db.execute("SELECT sum(budget_fen) FROM projects").fetchone()[0]) / 100 == budget
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT count(*) FROM search WHERE search MATCH '道路硬化'").fetchone()[0] > 0


def test_the_bulk_files_are_made_again_only_when_a_county_changed(demo_site, tmp_path):
    """Not on a new day, nor when only a county's pages changed; when its database or gongshi did. A table no county
    has any more is removed; a failure leaves the published files as they were."""
    import pytest

    from gongshi.opendata.bulk import BulkError, write
    from gongshi.schemas import load_schemas

    output = tmp_path / "site"
    shutil.copytree(demo_site / "519901", output / "519901")
    counties = [SimpleNamespace(code="519901", name="演示县", url="519901/")]
    first = write(output, load_schemas(), counties, "v1")
    made = (output / "data" / "projects.parquet").stat().st_mtime_ns
    stale = output / "data" / "old_table.csv"
    stale.write_text("county\n519901\n", encoding="utf-8")
    assert write(output, load_schemas(), counties, "v1") == first
    assert (output / "data" / "projects.parquet").stat().st_mtime_ns == made
    write(output, load_schemas(), counties, "v2")  # a new gongshi
    assert (output / "data" / "projects.parquet").stat().st_mtime_ns != made and not stale.exists()
    made = (output / "data" / "projects.parquet").stat().st_mtime_ns
    county_db = output / "519901" / "data" / "gongshi-519901.db"
    with sqlite3.connect(county_db) as db:
        db.execute("DELETE FROM evaluations")
    manifest = write(output, load_schemas(), counties, "v2")
    assert (output / "data" / "projects.parquet").stat().st_mtime_ns != made
    assert "evaluations.csv" not in {f["name"] for f in manifest["files"]}
    assert not (output / "data" / "evaluations.csv").exists() and not (output / "data" / "evaluations.parquet").exists()
    published = {p.name: p.read_bytes() for p in (output / "data").iterdir()}
    with sqlite3.connect(county_db) as db:  # a project whose implementing unit is not in the units table
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("UPDATE projects SET implementing_unit_id = 'nobody' WHERE rowid = 1")
    with pytest.raises(BulkError, match="(?i)foreign key"):
        write(output, load_schemas(), counties, "v2")
    assert {p.name: p.read_bytes() for p in (output / "data").iterdir()} == published


def test_a_failure_half_way_leaves_the_published_files_whole_and_no_part_behind(demo_site, tmp_path, monkeypatch):
    """The disk fills while a table's Parquet is written: the build is told, the files published stay as they were,
    and nothing half-written is left to be deployed. A new site address makes the files again (their metadata
    names it)."""
    import pytest

    from gongshi.opendata.bulk import BulkError, write
    from gongshi.schemas import load_schemas

    output = tmp_path / "site"
    shutil.copytree(demo_site / "519901", output / "519901")
    counties = [SimpleNamespace(code="519901", name="演示县", url="519901/")]
    write(output, load_schemas(), counties, "v1", "https://a.example.org")
    published = {p.name: p.read_bytes() for p in (output / "data").iterdir()}

    def full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", full)
    with pytest.raises(BulkError, match="No space left"):
        write(output, load_schemas(), counties, "v2", "https://a.example.org")
    assert {p.name: p.read_bytes() for p in (output / "data").iterdir()} == published
    monkeypatch.undo()
    manifest = write(output, load_schemas(), counties, "v1", "https://b.example.org")
    assert manifest["keys"]["site"] == "https://b.example.org"
    meta = json.loads((output / "data" / "metadata.json").read_text(encoding="utf-8"))
    assert meta["source_url"] == "https://b.example.org/data/"
    assert not list((output / "data").glob("*.part"))


def test_the_sites_database_has_the_chinese_titles_and_its_datasette_metadata(demo_site):
    folder = demo_site / "data"
    db = sqlite3.connect(folder / "gongshi-all.db")
    assert db.execute("SELECT title FROM _tables WHERE name = 'projects'").fetchone() == ("项目",)
    assert db.execute("SELECT title FROM _columns WHERE table_name = 'projects' AND name = 'county'").fetchone() == (
        "县代码",)
    assert db.execute("SELECT label FROM _labels WHERE table_name = 'projects' AND name = 'status' AND value = "
                      "'accepted'").fetchone()[0]
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    tables = meta["databases"]["gongshi-all"]["tables"]
    assert tables["projects"]["title"].startswith("项目") and "county" in tables["projects"]["columns"]
    assert "metadata.json" in (folder / "index.html").read_text(encoding="utf-8")
