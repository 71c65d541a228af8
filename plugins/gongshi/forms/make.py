"""Make a county's forms from its package: each form blank (with the county's own lists), and prefilled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..county import check_county
from ..problems import GongshiError
from ..schemas import load_schemas
from ..settings import Settings
from ..site.spreadsheet import table_rows
from . import CountyLists, FormSpec, load_forms
from .workbook import FormWriter, Made, package_digest


class FormsError(GongshiError, ValueError):
    """Forms cannot be made: the package cannot be read, or the form or project asked for does not exist."""


def county_writer(folder: Path, settings: Settings, made_on: dt.date | None = None):
    """The writer of a county's forms and the package's tables as canonical text rows (field -> value)."""
    check = check_county(folder, settings)
    if check.package is None or check.tables is None:
        errors = "; ".join(p.message for p in check.errors[:3])
        raise FormsError(f"gongshi: 数据包读不出来，先运行 gongshi validate {folder}：{errors} / "
                         f"the package cannot be read; run gongshi validate {folder} first")
    schemas = load_schemas(settings.schemas_path)
    county = check.package.county
    name = next((r["name"] for r in check.tables["regions"] if r["code"] == f"{county}000000"), county)
    lists = CountyLists.of(county, name, check.tables)
    writer = FormWriter(schemas, lists, package_digest(folder, check.package.resources), made_on)
    rows = {}
    for name, text in check.texts.items():
        header, body = table_rows(text)
        rows[name] = [dict(zip(header, row, strict=False)) for row in body]
    return writer, rows


def make_forms(folder: Path, out: Path, settings: Settings, forms: tuple[str, ...] = (),
               project: str | None = None, made_on: dt.date | None = None) -> list[Made]:
    """Write the county's forms into out: each blank, each table form prefilled with every record of its table,
    and with `project` the forms of that project (its acceptance rows, its households, its library entry)."""
    folder, out = Path(folder), Path(out)
    writer, rows = county_writer(folder, settings, made_on)
    specs = _chosen(load_forms(writer.schemas), forms)
    county = writer.lists.county
    if project is not None and project not in {r["project_id"] for r in rows.get("projects", [])}:
        raise FormsError(f"gongshi: 数据包里没有项目 {project} / no project {project} in the package")
    made = []
    for spec in specs:
        made.append(writer.write(out / spec.file_name(county, "空白"), spec, [], {}, "blank"))
        records = rows.get(spec.resource, [])
        if spec.layout == "table":
            made.append(writer.write(out / spec.file_name(county, "全部"), spec, records, {}, "all"))
        if project is not None and spec.prefill == "project":
            made.append(project_form(writer, spec, rows, project, out))
    return made


def project_form(writer: FormWriter, spec: FormSpec, rows: dict[str, list[dict]], project: str, out: Path) -> Made:
    """The form of one project: its own records, and blank rows that already name it."""
    county = writer.lists.county
    if spec.resource == "projects":
        records = [r for r in rows["projects"] if r["project_id"] == project]
        return writer.write(out / spec.file_name(county, project), spec, records, {}, project)
    records = [r for r in rows.get(spec.resource, []) if r.get("project_id") == project]
    return writer.write(out / spec.file_name(county, project), spec, records, {"project_id": project}, project)


def _chosen(specs: dict[str, FormSpec], forms: tuple[str, ...]) -> list[FormSpec]:
    unknown = [f for f in forms if f not in specs]
    if unknown:
        raise FormsError(f"gongshi: 没有这种表：{'、'.join(unknown)}；可用：{'、'.join(specs)} / "
                         f"no such form: {', '.join(unknown)}; there are: {', '.join(specs)}")
    return [specs[f] for f in forms] if forms else list(specs.values())
