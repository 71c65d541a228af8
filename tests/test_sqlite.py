"""The SQLite database beside each county's data: the same rows and exact sums as the CSVs, foreign keys that hold,
a full-text index that finds Chinese without word segmentation, and Datasette serving it with the schemas' titles."""

from __future__ import annotations

import csv
import io
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from decimal import Decimal

import pytest

COUNTY = "519901"


@pytest.fixture(scope="module")
def db(demo_site):
    path = demo_site / COUNTY / "data" / f"gongshi-{COUNTY}.db"
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    yield connection
    connection.close()


def csv_rows(demo_site, table):
    text = (demo_site / COUNTY / "data" / "tables" / f"{table}.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_every_table_has_the_csv_rows_and_exact_sums(demo_site, db):
    tables = [name for (name,) in db.execute("SELECT name FROM _tables")]
    assert {"projects", "allocations", "project_funds", "notices", "problems"} <= set(tables)
    for table in tables:
        rows = csv_rows(demo_site, table)
        assert db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == len(rows), table
    for table, column in (("allocations", "amount"), ("projects", "budget"), ("project_funds", "amount"),
                          ("beneficiaries", "subsidy"), ("disbursements", "amount")):
        expected = sum((Decimal(r[column]) for r in csv_rows(demo_site, table) if r[column]), Decimal(0))
        fen = db.execute(f'SELECT sum("{column}_fen") FROM "{table}"').fetchone()[0]
        assert Decimal(fen) / 100 == expected, table
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT count(*) FROM pragma_foreign_key_list('project_funds')").fetchone()[0] == 2


def test_full_text_finds_chinese_typed_without_spaces(db):
    def found(query):
        return {(kind, key) for kind, key in db.execute("SELECT kind, id FROM search WHERE search MATCH ?",
                                                        (f'"{query}"',))}

    roads = found("道路硬化")
    texts = {key: f"{name} {content}" for key, name, content in db.execute("SELECT project_id, name, content FROM projects")}
    titles = {key: title for key, title in db.execute("SELECT notice_id, title FROM notices")}
    projects = {key for kind, key in roads if kind == "项目"}
    assert projects == {key for key, text in texts.items() if "道路硬化" in text} != set()
    assert all("道路硬化" in titles[key] for kind, key in roads if kind == "公告")
    # A village's whole name, typed as one word, finds its projects, including one spread over several villages.
    village = found("双河镇松林村")
    assert ("项目", "XM2026-049") in village and ("单位", "cw103204") in village


def test_the_metadata_has_the_schemas_titles(demo_site):
    meta = json.loads((demo_site / COUNTY / "data" / "metadata.json").read_text(encoding="utf-8"))
    tables = meta["databases"][f"gongshi-{COUNTY}"]["tables"]
    assert tables["projects"]["title"].startswith("项目") and "项目编号" in tables["projects"]["columns"]["project_id"]
    assert "分" in tables["allocations"]["columns"]["amount_fen"]


def test_datasette_serves_the_database_with_its_metadata(demo_site, tmp_path):
    pytest.importorskip("datasette")
    data = demo_site / COUNTY / "data"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "datasette", "serve", "-i", str(data / f"gongshi-{COUNTY}.db"),
                               "--metadata", str(data / "metadata.json"), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        query = ("SELECT p.project_id, p.budget, a.fund_source FROM projects p JOIN project_funds f ON "
                 "f.project_id = p.project_id JOIN allocations a ON a.allocation_id = f.allocation_id "
                 "WHERE p.budget_fen > 50000000 ORDER BY p.project_id")
        url = f"{base}/gongshi-{COUNTY}.json?" + urllib.parse.urlencode({"sql": query, "_shape": "array"})
        rows = json.loads(urllib.request.urlopen(url, timeout=30).read())
        direct = sqlite3.connect(data / f"gongshi-{COUNTY}.db").execute(query).fetchall()
        assert rows and [tuple(r.values()) for r in rows] == direct
        page = urllib.request.urlopen(f"{base}/gongshi-{COUNTY}/projects", timeout=30).read().decode()
        assert "项目" in page and "项目编号" in page
    finally:
        server.terminate()
        server.wait(timeout=10)
