"""Bulk files for the whole site: every county's tables in one file per table, as CSV and Parquet, one SQLite
database of every county, and a manifest of the counties, their versions and the files' hashes.

They are made from each county's own database (`/<code>/data/gongshi-<code>.db`, whose values are the CSVs' text),
with a `county` column in front. A build whose counties are all as the last build made them (the same build keys)
keeps the bulk files as they are.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from pathlib import Path

from ..site.spreadsheet import neutralise
from .sqlite import Database, _quote, table_sql

FOLDER = "data"
MANIFEST = "manifest.json"
DATABASE = "gongshi-all.db"
STAMP = ".gongshi-build.json"


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _county_key(output: Path, code: str) -> str | None:
    try:
        return json.loads((output / code / STAMP).read_text(encoding="utf-8")).get("key")
    except (OSError, ValueError):
        return None


def write(output: Path, schemas, counties: list) -> dict | None:
    """Write the bulk files into output/data/; return the manifest (None when no county has a database)."""
    folder = output / FOLDER
    sources = [(c, output / c.code / "data" / f"gongshi-{c.code}.db") for c in counties]
    sources = [(c, path) for c, path in sources if path.is_file()]
    if not sources:
        return None
    keys = {c.code: _county_key(output, c.code) for c, _ in sources}
    try:
        old = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if old.get("keys") == keys and all((folder / f["name"]).is_file() for f in old.get("files", [])):
            return old
    except (OSError, ValueError):
        pass
    folder.mkdir(parents=True, exist_ok=True)
    tables = Database(schemas, "", "", 0, None).tables_in_order({name: "" for name in schemas.tables})
    manifest = {"counties": [], "files": [], "keys": keys}
    partial = folder / (DATABASE + ".part")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    try:
        _create(db, schemas)
        for c, path in sources:
            db.execute("ATTACH DATABASE ? AS c", (str(path),))
            present = {name for (name,) in db.execute("SELECT name FROM c._tables")}
            info = dict(db.execute("SELECT key, value FROM c._package").fetchall())
            for name in tables:
                if name in present:
                    columns = [row[1] for row in db.execute(f"PRAGMA c.table_info({_quote(name)})")]
                    names = ", ".join(map(_quote, columns))
                    db.execute(f"INSERT INTO main.{_quote(name)} (county, {names}) SELECT ?, {names} FROM "
                               f"c.{_quote(name)}", (c.code,))
            db.execute("INSERT INTO main.search (county, kind, id, title, text) SELECT ?, kind, id, title, text "
                       "FROM c.search", (c.code,))
            if db.execute("SELECT count(*) FROM c.sqlite_master WHERE name = 'allocation_names'").fetchone()[0]:
                db.execute("INSERT INTO main.allocation_names SELECT ?, allocation_id, source_name, fund_level "
                           "FROM c.allocation_names", (c.code,))
            db.commit()
            db.execute("DETACH DATABASE c")
            manifest["counties"].append({"code": c.code, "name": c.name, "version": int(info.get("version") or 0),
                                         "fingerprint": info.get("fingerprint") or None, "url": c.url,
                                         "database": f"{c.code}/data/gongshi-{c.code}.db",
                                         "database_sha256": _sha256(path)})
        assert not db.execute("PRAGMA foreign_key_check").fetchall()
        for name in tables:
            rows = db.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0]
            if not rows:
                continue
            manifest["files"] += _table_files(db, folder, name, rows)
        db.execute("VACUUM")
    finally:
        db.close()
    partial.replace(folder / DATABASE)
    manifest["files"].append({"name": DATABASE, "table": None, "rows": None,
                              "sha256": _sha256(folder / DATABASE), "bytes": (folder / DATABASE).stat().st_size})
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def _create(db: sqlite3.Connection, schemas) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    for name in schemas.tables:
        db.execute(table_sql(schemas, name, set(schemas.tables), county=True))
    db.execute("CREATE TABLE allocation_names (county TEXT NOT NULL, allocation_id TEXT, source_name TEXT, "
               "fund_level TEXT, PRIMARY KEY (county, allocation_id), FOREIGN KEY (county, allocation_id) "
               "REFERENCES allocations (county, allocation_id))")
    db.execute("CREATE VIRTUAL TABLE search USING fts5(county UNINDEXED, kind, id UNINDEXED, title, text, "
               "tokenize='trigram')")


def _table_files(db: sqlite3.Connection, folder: Path, name: str, rows: int) -> list[dict]:
    import polars as pl

    cursor = db.execute(f"SELECT * FROM {_quote(name)} ORDER BY rowid")
    columns = [d[0] for d in cursor.description]
    data = cursor.fetchall()
    out = []
    target = folder / f"{name}.csv"
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([neutralise(v) if isinstance(v, str) else ("" if v is None else v) for v in row]
                         for row in data)
    out.append({"name": target.name, "table": name, "rows": rows, "sha256": _sha256(target),
                "bytes": target.stat().st_size})
    frame = pl.DataFrame(data, schema=columns, orient="row", infer_schema_length=None)
    target = folder / f"{name}.parquet"
    frame.write_parquet(target, compression="zstd", statistics=False)
    out.append({"name": target.name, "table": name, "rows": rows, "sha256": _sha256(target),
                "bytes": target.stat().st_size})
    return out
