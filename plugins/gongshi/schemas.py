"""The shared Table Schemas: the single source of truth for every resource."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# Resource names in dependency order: a resource only refers to those before it.
RESOURCES = ("regions", "units", "allocations", "projects", "project_funds", "acceptances", "notices")
# Tables a county adds when it has them: household lists of 到户 projects, and the ledgers the standard forms and
# supervision keep (performance indicators, payment claims, problems and their rectification, supervision
# responsibilities, assets), and those of supervision (inspections, accountability actions, evaluations). Each
# refers only to tables before it.
OPTIONAL_RESOURCES = ("beneficiaries", "indicators", "disbursements", "inspections", "problems",
                      "accountability_actions", "supervisors", "assets", "evaluations")
ALL_RESOURCES = RESOURCES + OPTIONAL_RESOURCES


def shipped_folder(package: str, folder: str) -> Path:
    """A folder at the top of the checkout (schemas/, forms/), which an installed gongshi carries as a package."""
    try:
        spec = importlib.util.find_spec(package)
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(__file__).resolve().parents[2] / folder


def default_schemas_dir() -> Path:
    """The shared schemas: schemas/ of the checkout, which an installed gongshi carries as gongshi.table_schemas."""
    return shipped_folder("gongshi.table_schemas", "schemas")


@dataclass(frozen=True)
class SchemaSet:
    """The Table Schema of every resource, read from one folder."""

    folder: Path
    tables: dict[str, dict]

    def fields(self, resource: str) -> list[dict]:
        return self.tables[resource]["fields"]

    def field(self, resource: str, name: str) -> dict | None:
        for field in self.tables.get(resource, {}).get("fields", []):
            if field["name"] == name:
                return field
        return None

    def title(self, resource: str, name: str | None) -> str:
        """Return the Chinese title of a field, or the name when there is none."""
        field = self.field(resource, name) if name else None
        return field.get("title", name) if field else (name or "")

    def label(self, resource: str, name: str, value: str | None) -> str:
        """Return the Chinese label of an enum value, or the value itself."""
        field = self.field(resource, name) or {}
        return field.get("enumLabels", {}).get(value, value or "")


def foreign_keys(name: str, schema: dict) -> list[tuple[list[str], str, list[str]]]:
    """A table's foreign keys as (fields, the table they refer to, its fields): single fields as lists, a reference
    to "" (the table itself) by its name."""
    keys = []
    for fk in schema.get("foreignKeys", []):
        fields, refs = fk["fields"], fk["reference"]["fields"]
        keys.append((fields if isinstance(fields, list) else [fields], fk["reference"]["resource"] or name,
                     refs if isinstance(refs, list) else [refs]))
    return keys


@cache
def load_schemas(folder: str | Path | None = None) -> SchemaSet:
    """Read every resource's schema from `folder` (default: the checkout's schemas/)."""
    folder = Path(folder) if folder else default_schemas_dir()
    tables = {}
    for name in ALL_RESOURCES:
        with open(folder / f"{name}.json", encoding="utf-8") as fh:
            tables[name] = json.load(fh)
    return SchemaSet(folder=folder, tables=tables)
