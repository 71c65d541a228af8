"""What changed between two versions of a county package: rows added, removed and changed, field by field."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from ..schemas import ALL_RESOURCES, RESOURCES, SchemaSet


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class TableDiff:
    resource: str
    key_fields: tuple[str, ...]
    added: list[tuple[str, dict]] = field(default_factory=list)
    removed: list[tuple[str, dict]] = field(default_factory=list)
    changed: list[tuple[str, list[FieldChange]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _rows(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [row for row in csv.DictReader(fh) if any((v or "").strip() for v in row.values())]


def _key(row: dict, fields: tuple[str, ...]) -> str:
    return " / ".join(row.get(f) or "" for f in fields)


def diff_tables(old: Path | None, new: Path, schemas: SchemaSet) -> list[TableDiff]:
    """Compare each table of two package folders by its primary key (old None: everything is added)."""
    diffs = []
    for resource in ALL_RESOURCES:
        keys = tuple(schemas.tables[resource].get("primaryKey", []))
        names = [f["name"] for f in schemas.fields(resource)]
        before = {_key(r, keys): r for r in (_rows(old / f"{resource}.csv") if old else [])}
        after = {_key(r, keys): r for r in _rows(new / f"{resource}.csv")}
        diff = TableDiff(resource, keys)
        diff.added = [(k, after[k]) for k in after if k not in before]
        diff.removed = [(k, before[k]) for k in before if k not in after]
        for k in after:
            if k in before:
                changes = [FieldChange(n, before[k].get(n) or "", after[k].get(n) or "") for n in names
                           if (before[k].get(n) or "") != (after[k].get(n) or "")]
                if changes:
                    diff.changed.append((k, changes))
        if resource in RESOURCES or not diff.empty:
            diffs.append(diff)
    return diffs
