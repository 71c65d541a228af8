"""Standard forms (标准文书): each declared once in forms/*.yaml, made into the spreadsheets clerks fill, and read back.

A declaration names the form, the table its rows feed, the fields in the order the clerk fills them, its layout (a
table with a row per record, or one record as a label and a value on each line), its sign-off and its paper. The
fields' titles, types, lists and limits come from the Table Schemas, so a form can never disagree with `validate`.
forms/workbook.py makes the XLSX; forms/importer.py brings a filled one back into a package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..schemas import SchemaSet, shipped_folder

LAYOUTS = ("table", "record", "letter", "board")
SPREADSHEET_LAYOUTS = ("table", "record")


class FormSpecError(ValueError):
    """A declaration in forms/ is wrong: a bug of the project, found by the tests."""


@dataclass(frozen=True)
class FormSpec:
    id: str
    title: str
    sheet: str
    resource: str
    version: int
    layout: str
    purpose: str
    filled_by: str
    signoff: tuple[str, ...]
    fields: tuple[str, ...]
    orientation: str = "portrait"
    rows: int = 20
    project_rows: int = 10  # blank rows, already naming the project, in one project's form
    prefill: str = "records"  # "records": every row of the table; "project": one form per project
    importable: bool = True
    body: tuple[str, ...] = ()  # a letter's paragraphs, with {field} blanks; "## " starts a heading
    opinion: bool = True  # each signing level writes its opinion (意见) above its signature
    paper_size: str = "A4"

    @property
    def spreadsheet(self) -> bool:
        """Filled in a spreadsheet (XLSX) and imported back; a letter or a board is printed only."""
        return self.layout in SPREADSHEET_LAYOUTS

    def field_specs(self, schemas: SchemaSet) -> list[dict]:
        return [schemas.field(self.resource, name) for name in self.fields]

    def file_name(self, county: str | None = None, key: str | None = None) -> str:
        """The file's name: 项目验收表-519901-XM2025-005.xlsx (a letter's .docx, a board's .pdf); the blank form of
        all counties has neither county nor key."""
        suffix = {"letter": ".docx", "board": ".pdf"}.get(self.layout, ".xlsx")
        return "-".join(part for part in (self.title, county, key) if part) + suffix


def default_forms_dir() -> Path:
    """The declarations: forms/ of the checkout, which an installed gongshi carries as gongshi.form_specs."""
    return shipped_folder("gongshi.form_specs", "forms")


def load_forms(schemas: SchemaSet, folder: Path | None = None) -> dict[str, FormSpec]:
    """Every declared form, by id, in the order of its file name; each checked against the schemas."""
    found = {}
    for path in sorted((folder or default_forms_dir()).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        paper = data.pop("paper", {}) or {}
        spec = FormSpec(**{**data, "signoff": tuple(data.get("signoff", ())), "fields": tuple(data.get("fields", ())),
                           "body": tuple(data.get("body", ())), "orientation": paper.get("orientation", "portrait"),
                           "paper_size": paper.get("size", "A4")})
        _check(spec, schemas, path)
        found[spec.id] = spec
    return found


def _check(spec: FormSpec, schemas: SchemaSet, path: Path) -> None:
    if spec.resource not in schemas.tables:
        raise FormSpecError(f"{path.name}: no table {spec.resource!r}")
    if spec.layout not in LAYOUTS:
        raise FormSpecError(f"{path.name}: layout must be one of {LAYOUTS}")
    if len(spec.sheet) > 31:
        raise FormSpecError(f"{path.name}: Excel allows 31 characters in a sheet name")
    used = [*spec.fields, *(m for line in spec.body for m in re.findall(r"\{([a-z_]+)\}", line))]
    unknown = [name for name in used if schemas.field(spec.resource, name) is None]
    if unknown:
        raise FormSpecError(f"{path.name}: not fields of {spec.resource}: {unknown}")
    if spec.layout == "letter" and not spec.body:
        raise FormSpecError(f"{path.name}: a letter needs its body")
    if spec.importable and not spec.spreadsheet:
        raise FormSpecError(f"{path.name}: only a table or a record form is imported; set importable: false")
    if not spec.importable:
        return  # printed only: it need not carry the table's key
    key = schemas.tables[spec.resource].get("primaryKey", [])
    required = [f["name"] for f in schemas.fields(spec.resource) if f.get("constraints", {}).get("required")]
    missing = [name for name in [*key, *required] if name not in spec.fields]
    if missing:
        raise FormSpecError(f"{path.name}: a form must carry the key and every required field; missing {missing}")


@dataclass(frozen=True)
class Choice:
    """One entry of a drop-down list: the value stored and what the clerk sees ("XM2025-005 金竹村通组道路…")."""

    value: str
    shown: str


@dataclass
class CountyLists:
    """What a county's forms offer in their drop-down lists: its own projects, units, places and allocations."""

    county: str | None = None
    name: str | None = None
    by_resource: dict[str, list[Choice]] = field(default_factory=dict)

    @classmethod
    def of(cls, county: str, name: str, tables: dict[str, list[dict]]) -> CountyLists:
        names = {r["code"]: r["name"] for r in tables.get("regions", [])}
        parents = {r["code"]: r.get("parent_code") for r in tables.get("regions", [])}

        def place(code: str) -> str:
            parts, seen = [], set()
            while code in names and code not in seen:
                seen.add(code)
                parts.append(names[code])
                code = parents.get(code)
            return "".join(reversed(parts))

        return cls(county, name, {
            "projects": [Choice(r["project_id"], f"{r['project_id']} {r['name']}") for r in tables.get("projects", [])],
            "units": [Choice(r["unit_id"], f"{r['unit_id']} {r['name']}") for r in tables.get("units", [])],
            "regions": [Choice(r["code"], f"{r['code']} {place(r['code'])}") for r in tables.get("regions", [])],
            "allocations": [Choice(r["allocation_id"], " ".join(
                str(part) for part in (r["allocation_id"], r.get("document_no") or "", r.get("purpose") or "") if part
            )[:120]) for r in tables.get("allocations", [])],
        })


def reference_of(schemas: SchemaSet, resource: str, name: str) -> str | None:
    """The table a field refers to (a foreign key of its own), whose ids its list offers."""
    for key in schemas.tables[resource].get("foreignKeys", []):
        if key["fields"] == [name]:
            return key["reference"]["resource"]
    return None
