"""Write a county's datapackage.json with the shared schemas embedded."""

from __future__ import annotations

import json
from pathlib import Path

from ..schemas import RESOURCES, SchemaSet, load_schemas

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
