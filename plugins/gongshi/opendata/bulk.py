"""Bulk files for the whole site: every county's tables in one file per table, as CSV and Parquet, one SQLite
database of every county, and a manifest of the counties, their versions and the files' hashes.

They are made from each county's own database (`/<code>/data/gongshi-<code>.db`, whose values are the CSVs' text),
with a `county` column in front; the site's database has the same Chinese titles and labels (`_tables`, `_columns`,
`_labels`) and its own `metadata.json` for Datasette. A build whose counties' databases are all as they were keeps the
bulk files as they are.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from ..site.spreadsheet import write_table
from .sqlite import Database, _quote, table_sql

FOLDER = "data"
MANIFEST = "manifest.json"
DATABASE = "gongshi-all.db"
PART = ".part"  # a file being written, beside the one it replaces


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def read_manifest(output: Path) -> dict | None:
    """The manifest of the bulk files published last, or None."""
    try:
        return json.loads((output / FOLDER / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class BulkError(Exception):
    """The bulk files could not be made; the ones already published stay as they were."""


def write(output: Path, schemas, counties: list, salt: str = "", site: str = "") -> dict | None:
    """Write the bulk files into output/data/; return the manifest (None when no county has a database).

    They are made again only when a county's database changed (its hash), gongshi (`salt`) or the site's address.
    Every file is first written beside the one it replaces (`.part`); only when all are written do they replace the
    published ones, so a failure leaves those whole (and raises BulkError). A table no county has any more is
    removed."""
    folder = output / FOLDER
    sources = [(c, output / c.code / "data" / f"gongshi-{c.code}.db") for c in counties]
    sources = [(c, path) for c, path in sources if path.is_file()]
    if not sources:
        return None
    keys = {"gongshi": salt, "site": site, "counties": {c.code: _sha256(path) for c, path in sources}}
    folder.mkdir(parents=True, exist_ok=True)
    for stray in folder.glob("*" + PART):  # left by a build that was stopped
        stray.unlink()
    old = read_manifest(output)
    if old and old.get("keys") == keys and all((folder / f["name"]).is_file() for f in old.get("files", [])):
        return old
    try:
        manifest = _make(folder, schemas, sources, keys, site)
    except Exception as error:
        for stray in folder.glob("*" + PART):
            stray.unlink(missing_ok=True)
        raise BulkError(f"全站数据文件未能写成 / the site's bulk files could not be made: {error}") from error
    try:
        # Without its manifest, a set replaced only in part is made again by the next build.
        (folder / MANIFEST).unlink(missing_ok=True)
        for path in sorted(folder.glob("*" + PART)):
            path.replace(path.with_name(path.name.removesuffix(PART)))
        kept = {f["name"] for f in manifest["files"]}
        for path in folder.iterdir():  # a table no county has any more is not left behind
            if path.is_file() and path.suffix in (".csv", ".parquet") and path.name not in kept:
                path.unlink()
        (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as error:
        raise BulkError(f"全站数据文件未能替换 / the site's bulk files could not be put in place: {error}") from error
    return manifest


def _make(folder: Path, schemas, sources: list, keys: dict, site: str) -> dict:
    """Write every bulk file as `<name>.part` in folder; return their manifest."""
    tables = Database(schemas, "", "", 0, None).tables_in_order({name: "" for name in schemas.tables})
    manifest = {"counties": [], "files": [], "keys": keys}
    partial = folder / (DATABASE + PART)
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
                                         "database_sha256": keys["counties"][c.code]})
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise BulkError(f"全站数据库外键不一致 / the site's database breaks its foreign keys: {broken[:5]}")
        describer = Database(schemas, "", "全站", 0, None)
        with db:
            describer.describe(db, tables)
            db.executemany("INSERT INTO _columns VALUES (?, 'county', '县代码', '这一行所属的县 / the county of the row', "
                           "NULL)", [(name,) for name in tables])
            db.execute("DELETE FROM _package")
            db.executemany("INSERT INTO _package VALUES (?, ?)", [
                ("title", "全站"), ("counties", "、".join(c.code for c, _ in sources))])
        for name in tables:
            rows = db.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0]
            if rows:
                manifest["files"] += _table_files(db, folder, name, rows)
        db.execute("VACUUM")
    finally:
        db.close()
    meta = describer.metadata(Path(DATABASE).stem, site, source=f"{site}/data/" if site else None)
    for table in meta["databases"][Path(DATABASE).stem]["tables"].values():
        table.setdefault("columns", {})["county"] = "县代码：这一行所属的县"
    meta["title"] = "全站数据"
    meta["description"] = "各县数据合并，第一列 county 是县代码：" + "、".join(
        f"{c.name}（{c.code}）" for c, _ in sources)
    (folder / ("metadata.json" + PART)).write_text(json.dumps({k: v for k, v in meta.items() if v is not None},
                                                              ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name in (DATABASE, "metadata.json"):
        part = folder / (name + PART)
        manifest["files"].append({"name": name, "table": None, "rows": None, "sha256": _sha256(part),
                                  "bytes": part.stat().st_size})
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
    write_table(folder / (target.name + PART), [columns], data)
    out.append({"name": target.name, "table": name, "rows": rows, "sha256": _sha256(folder / (target.name + PART)),
                "bytes": (folder / (target.name + PART)).stat().st_size})
    frame = pl.DataFrame(data, schema=columns, orient="row", infer_schema_length=None)
    target = folder / f"{name}.parquet{PART}"
    frame.write_parquet(target, compression="zstd", statistics=False)
    out.append({"name": f"{name}.parquet", "table": name, "rows": rows, "sha256": _sha256(target),
                "bytes": target.stat().st_size})
    return out
