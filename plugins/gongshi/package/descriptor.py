"""Write a county's datapackage.json with the shared schemas embedded."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..problems import GongshiError
from ..schemas import OPTIONAL_RESOURCES, RESOURCES, SchemaSet, load_schemas

DESCRIPTOR = "datapackage.json"


def build_descriptor(county_code: str, title: str, *, demo: bool = False, schemas: SchemaSet | None = None,
                     extra: dict | None = None, optional: tuple[str, ...] = ()) -> dict:
    """Return the descriptor of a county package whose CSV files are named after their resources.

    `optional` names the optional tables (such as beneficiaries) the county has.
    """
    schemas = schemas or load_schemas()
    descriptor = {
        "name": f"gongshi-{county_code}",
        "title": title,
        "gongshi": {"county": county_code, "demo": demo, **(extra or {})},
        "resources": [],
    }
    for name in (*RESOURCES, *optional):
        descriptor["resources"].append({
            "name": name,
            "path": f"{name}.csv",
            "title": schemas.tables[name].get("title", name),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {k: v for k, v in schemas.tables[name].items() if k != "$schema"},
        })
    return descriptor


def write_descriptor(folder: str | Path, descriptor: dict) -> Path:
    """Write `descriptor` as folder/datapackage.json (UTF-8, stable key order, trailing newline)."""
    path = Path(folder) / DESCRIPTOR
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


class UnreadableDescriptor(GongshiError, ValueError):
    """datapackage.json cannot be read; the message says which and why."""


def refresh(folder: str | Path, schemas: SchemaSet) -> Path:
    """Rewrite folder/datapackage.json with these schemas embedded, keeping its title, county code, demo flag and
    other settings; the tables are not touched (sign again afterwards)."""
    path = Path(folder) / DESCRIPTOR
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        meta = dict(old["gongshi"])
        county = meta.pop("county")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableDescriptor(f"{path}: 无法读取 / cannot read ({exc})") from exc
    demo = bool(meta.pop("demo", False))
    optional = tuple(r.get("name") for r in old.get("resources", []) if r.get("name") in OPTIONAL_RESOURCES)
    return write_descriptor(folder, build_descriptor(county, old.get("title", county), demo=demo, schemas=schemas,
                                                     extra=meta, optional=optional))


def add_new_columns(folder: str | Path, schemas: SchemaSet) -> dict[str, list[str]]:
    """Give each table the columns newer gongshi versions added (fields with `addedIn`), empty, in the schema's
    order: a package made before them then has every column, read as not stated until the clerk fills one in.
    A table that is not plain UTF-8 CSV is left for `gongshi repair`. Return the columns added, by table."""
    added = {}
    for name in schemas.tables:
        path = Path(folder) / f"{name}.csv"
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if text.startswith("\ufeff") or "\r" in text:
            continue
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows:
            continue
        header = rows[0]
        names = [f["name"] for f in schemas.fields(name)]
        missing = [f["name"] for f in schemas.fields(name) if f.get("addedIn") and f["name"] not in header]
        if not missing:
            continue
        order = [n for n in names if n in header or n in missing] + [h for h in header if h not in names]
        at = {h: i for i, h in enumerate(header)}
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(order)
        for row in rows[1:]:
            writer.writerow([row[at[n]] if n in at and at[n] < len(row) else "" for n in order] if row else [])
        path.write_text(buffer.getvalue(), encoding="utf-8")
        added[name] = missing
    return added
