"""A county's tables as one SQLite database, for Datasette or any SQLite tool.

`gongshi-<code>.db` holds every table of the package with its primary and foreign keys. Each value is the text the
CSV has, so a query and the CSV agree; integers are INTEGER; each money column (yuan, `Decimal` in gongshi) has an
exact twin in fen, `<column>_fen INTEGER`, to add up without rounding. `_tables` and `_columns` give the Chinese
titles and descriptions from `schemas/`, `_labels` each code's Chinese label (special-fund: 财政专项扶贫资金), and
`search` is a full-text index (FTS5, trigram: Chinese is found without word segmentation, by any run of three or
more characters) over projects, notices, allocations, places and units. `metadata.json` beside it lets
`datasette gongshi-<code>.db --metadata metadata.json` show the same titles.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..money import fen, is_money
from ..schemas import foreign_keys

SEARCH_SOURCES = {  # table: (kind shown, id field, title field, the fields searched besides the title)
    "projects": ("项目", "project_id", "name", ("content", "location", "performance_targets", "construction_unit")),
    "notices": ("公告", "notice_id", "title", ("remarks",)),
    "allocations": ("资金", "allocation_id", "document_no", ("purpose", "fund_name")),
    "regions": ("地方", "code", "name", ()),
    "units": ("单位", "unit_id", "name", ()),
}


def _sql_type(spec: dict) -> str:
    return "INTEGER" if spec.get("type") == "integer" else "TEXT"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fen(text: str | None) -> int | None:
    if text in (None, ""):
        return None
    try:
        return fen(Decimal(text))
    except InvalidOperation:
        return None


def _value(spec: dict, text: str):
    if text == "":
        return None
    if spec.get("type") == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    return text


class Database:
    """Writes one county's database."""

    def __init__(self, schemas, county: str, title: str, version: int, fingerprint: str | None):
        self.schemas = schemas
        self.county = county
        self.title = title
        self.version = version
        self.fingerprint = fingerprint

    def tables_in_order(self, texts: dict[str, str]) -> list[str]:
        """The tables, each after the tables it refers to (foreign keys are checked as rows go in)."""
        done: list[str] = []
        pending = [name for name in self.schemas.tables if name in texts]
        while pending:
            for name in pending:
                targets = {target for _, target, _ in foreign_keys(name, self.schemas.tables[name])}
                if all(t in done or t == name or t not in texts for t in targets):
                    done.append(name)
                    pending.remove(name)
                    break
            else:  # a cycle: keep the schema's order
                done.extend(pending)
                break
        return done

    def create(self, db: sqlite3.Connection, name: str, present: set[str]) -> None:
        db.execute(table_sql(self.schemas, name, present))

    def fill(self, db: sqlite3.Connection, name: str, text: str) -> int:
        specs = {spec["name"]: spec for spec in self.schemas.tables[name]["fields"]}
        reader = csv.DictReader(io.StringIO(text, newline=""))
        names, rows = [], []
        for spec in self.schemas.tables[name]["fields"]:
            names.append(spec["name"])
            if is_money(name, spec):
                names.append(spec["name"] + "_fen")
        for record in reader:
            row = []
            for field, spec in specs.items():
                value = record.get(field) or ""
                row.append(_value(spec, value))
                if is_money(name, spec):
                    row.append(_fen(value))
            rows.append(row)
        db.executemany(f"INSERT INTO {_quote(name)} ({', '.join(map(_quote, names))}) VALUES "
                       f"({', '.join('?' * len(names))})", rows)
        return len(rows)

    def describe(self, db: sqlite3.Connection, present: list[str]) -> None:
        db.execute("CREATE TABLE _tables (name TEXT PRIMARY KEY, title TEXT, description TEXT, rows INTEGER)")
        db.execute("CREATE TABLE _columns (table_name TEXT, name TEXT, title TEXT, description TEXT, unit TEXT, "
                   "PRIMARY KEY (table_name, name))")
        db.execute("CREATE TABLE _package (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE _labels (table_name TEXT, name TEXT, value TEXT, label TEXT, "
                   "PRIMARY KEY (table_name, name, value))")
        for name in present:
            schema = self.schemas.tables[name]
            count = db.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0]
            db.execute("INSERT INTO _tables VALUES (?, ?, ?, ?)", (name, schema.get("title"),
                                                                    schema.get("description"), count))
            for spec in schema["fields"]:
                for value, label in (spec.get("enumLabels") or {}).items():
                    db.execute("INSERT INTO _labels VALUES (?, ?, ?, ?)", (name, spec["name"], value, label))
                money = is_money(name, spec)
                db.execute("INSERT INTO _columns VALUES (?, ?, ?, ?, ?)",
                           (name, spec["name"], spec.get("title"), _describe(spec), "元" if money else None))
                if money:
                    db.execute("INSERT INTO _columns VALUES (?, ?, ?, ?, ?)",
                               (name, spec["name"] + "_fen", f"{spec.get('title')}（分）",
                                f"{spec.get('title')}，以分为单位的整数，加总不丢分 / in fen, exact", "分"))
        for key, value in (("county", self.county), ("title", self.title), ("version", str(self.version)),
                           ("fingerprint", self.fingerprint or "")):
            db.execute("INSERT INTO _package VALUES (?, ?)", (key, value))

    def index(self, db: sqlite3.Connection, present: list[str]) -> None:
        """The full-text index: every project, notice, allocation, place and unit, by any run of three or more
        characters of its title and text."""
        db.execute("CREATE VIRTUAL TABLE search USING fts5(kind, id UNINDEXED, title, text, tokenize='trigram')")
        for table, (kind, key, title, others) in SEARCH_SOURCES.items():
            if table not in present:
                continue
            columns = [c for c in (key, title, *others) if c in _columns(db, table)]
            for row in db.execute(f"SELECT {', '.join(map(_quote, columns))} FROM {_quote(table)}").fetchall():
                values = dict(zip(columns, row, strict=True))
                text = " ".join(str(values[c]) for c in others if values.get(c))
                db.execute("INSERT INTO search (kind, id, title, text) VALUES (?, ?, ?, ?)",
                           (kind, values[key], values.get(title) or "", text))
        if "projects" in present and "regions" in present:
            # A project is found by the full name of its place, typed without spaces: 桂花镇金竹村.
            names = {code: (name, parent) for code, name, parent in
                     db.execute("SELECT code, name, parent_code FROM regions").fetchall()}

            def full(code: str) -> str:
                parts, seen = [], set()
                while code in names and code not in seen:
                    seen.add(code)
                    name, parent = names[code]
                    parts.append(name)
                    code = parent or ""
                return "".join(reversed(parts[:-1] if len(parts) > 1 else parts))

            separator = next((f.get("separator") for f in self.schemas.tables["projects"]["fields"]
                              if f["name"] == "region_code"), None) or "、"
            for project_id, codes in db.execute("SELECT project_id, region_code FROM projects").fetchall():
                places = " ".join(full(c) for c in (codes or "").split(separator) if c)
                db.execute("UPDATE search SET text = text || ' ' || ? WHERE kind = '项目' AND id = ?",
                           (places, project_id))

    def names(self, db: sqlite3.Connection, county) -> None:
        """Each allocation's source as the pages name it (2019 money under its 2019 name, with its level), which
        the code in `allocations.fund_source` alone does not say."""
        db.execute("CREATE TABLE allocation_names (allocation_id TEXT PRIMARY KEY REFERENCES allocations "
                   "(allocation_id), source_name TEXT, fund_level TEXT)")
        db.executemany("INSERT INTO allocation_names VALUES (?, ?, ?)",
                       [(a.allocation_id, a.source_name, a.level) for a in county.allocations.values()])

    def write(self, target: Path, texts: dict[str, str], county=None) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.unlink(missing_ok=True)
        db = sqlite3.connect(partial)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            present = self.tables_in_order(texts)
            with db:
                for name in present:
                    self.create(db, name, set(present))
                for name in present:
                    self.fill(db, name, texts[name])
                if county is not None and "allocations" in present:
                    self.names(db, county)
                self.describe(db, present)
                self.index(db, present)
            problems = db.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise ValueError(f"foreign keys: {problems[:5]}")
            db.execute("VACUUM")
        finally:
            db.close()
        partial.replace(target)
        return target

    def metadata(self, database: str, site: str, source: str | None = None) -> dict:
        """Datasette's metadata: titles, descriptions and each column's meaning, from the Table Schemas."""
        tables = {}
        for name, schema in self.schemas.tables.items():
            columns = {}
            for spec in schema["fields"]:
                columns[spec["name"]] = f"{spec.get('title', '')}：{_describe(spec)}"
                if is_money(name, spec):
                    columns[spec["name"]] += "（元）"
                    columns[spec["name"] + "_fen"] = f"{spec.get('title', '')}（分，整数，加总不丢分）"
            tables[name] = {"title": f"{schema.get('title', name)}（{name}）", "description": schema.get("description", ""),
                            "columns": columns}
        tables["allocation_names"] = {"title": "资金来源名称（allocation_names）",
                                      "description": "每笔资金的来源名称，与网页上的写法一致（按年度和资金级次）。"}
        tables["search"] = {"title": "全文检索（search）",
                            "description": "项目、公告、资金、地方和单位：输入任意三个以上连续的字，不用分词。"}
        return {"title": f"{self.title}", "description": f"数据包第 {self.version} 版，指纹 {self.fingerprint or '—'}",
                "source": "gongshi", "source_url": source or (f"{site}/{self.county}/data/" if site else None),
                "databases": {database: {"tables": tables}}}


def table_sql(schemas, name: str, present: set[str], county: bool = False) -> str:
    """CREATE TABLE for a table of the schemas: its fields (money with its fen twin), its primary key and its
    foreign keys into the tables present; with `county`, a first column naming the county, in every key."""
    schema = schemas.tables[name]
    lead = "county, " if county else ""
    columns = ["county TEXT NOT NULL"] if county else []
    for spec in schema["fields"]:
        columns.append(f"{_quote(spec['name'])} {_sql_type(spec)}")
        if is_money(name, spec):
            columns.append(f"{_quote(spec['name'] + '_fen')} INTEGER")
    key = schema.get("primaryKey")
    if key:
        keys = key if isinstance(key, list) else [key]
        columns.append(f"PRIMARY KEY ({lead}{', '.join(map(_quote, keys))})")
    for fields, target, refs in foreign_keys(name, schema):
        if target not in present:
            continue
        columns.append(f"FOREIGN KEY ({lead}{', '.join(map(_quote, fields))}) REFERENCES {_quote(target)} "
                       f"({lead}{', '.join(map(_quote, refs))})")
    return f"CREATE TABLE {_quote(name)} (\n  " + ",\n  ".join(columns) + "\n)"


def _describe(spec: dict) -> str:
    text = spec.get("description", "")
    labels = spec.get("enumLabels")
    if labels:
        text += " 取值：" + "；".join(f"{k} = {v}" for k, v in labels.items())
    return text


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({_quote(table)})")}


def write(folder: Path, schemas, county, texts: dict[str, str], site: str) -> tuple[Path, Path]:
    """Write gongshi-<code>.db and its Datasette metadata into folder; return both paths."""
    database = Database(schemas, county.code, county.name, county.version, county.fingerprint)
    path = database.write(folder / f"gongshi-{county.code}.db", texts, county)
    meta = folder / "metadata.json"
    meta.write_text(json.dumps({k: v for k, v in database.metadata(path.stem, site).items() if v is not None},
                               ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path, meta
