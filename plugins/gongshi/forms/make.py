"""Make a county's forms from its package: each form blank (with the county's own lists), and prefilled."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..county import CountyCheck, check_county
from ..problems import GongshiError
from ..schemas import SchemaSet, load_schemas
from ..settings import Settings
from ..site.spreadsheet import table_rows
from . import CountyLists, FormSpec, load_forms
from .pdf import write_form_pdf
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
    rows = {}
    for table, text in check.texts.items():
        header, body = table_rows(text)
        rows[table] = [dict(zip(header, row, strict=False)) for row in body]
    return writer_of(check, load_schemas(settings.schemas_path), made_on), rows


def writer_of(check: CountyCheck, schemas: SchemaSet, made_on: dt.date | None = None) -> FormWriter:
    """The writer of the forms of a checked county: its lists, and the digest of its package."""
    county = check.package.county
    name = next((r["name"] for r in check.tables["regions"] if r["code"] == f"{county}000000"), county)
    lists = CountyLists.of(county, name, check.tables)
    digest = package_digest(check.package.folder, check.package.resources, check.package.files.get)
    return FormWriter(schemas, lists, digest, made_on)


@dataclass(frozen=True)
class FormDownload:
    """A form as a page lists it: what it is for, who fills and signs it, and its workbook beside the page."""

    id: str
    title: str
    purpose: str
    filled_by: str
    signoff: tuple[str, ...]
    resource: str
    layout: str
    name: str
    size: int
    sha256: str
    pdf: str
    pdf_size: int


def write_blank_forms(target: Path, writer: FormWriter) -> list[FormDownload]:
    """Every form, blank, into target (a county's with its own lists, or the whole site's without); what a page
    lists of them."""
    listed = []
    for spec in load_forms(writer.schemas).values():
        made = writer.write(target / spec.file_name(writer.lists.county), spec)
        data = made.path.read_bytes()
        pdf = write_form_pdf(made.path.with_suffix(".pdf"), writer, spec)
        listed.append(FormDownload(spec.id, spec.title, spec.purpose, spec.filled_by, spec.signoff, spec.resource,
                                   spec.layout, made.path.name, len(data), hashlib.sha256(data).hexdigest(),
                                   pdf.name, pdf.stat().st_size))
    return listed


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
        write_form_pdf(made[-1].path.with_suffix(".pdf"), writer, spec)
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
        records, context = [r for r in rows["projects"] if r["project_id"] == project], {}
    else:
        records = [r for r in rows.get(spec.resource, []) if r.get("project_id") == project]
        context = {"project_id": project}
    made = writer.write(out / spec.file_name(county, project), spec, records, context, project)
    write_form_pdf(made.path.with_suffix(".pdf"), writer, spec, records, context)
    return made


def _chosen(specs: dict[str, FormSpec], forms: tuple[str, ...]) -> list[FormSpec]:
    unknown = [f for f in forms if f not in specs]
    if unknown:
        raise FormsError(f"gongshi: 没有这种表：{'、'.join(unknown)}；可用：{'、'.join(specs)} / "
                         f"no such form: {', '.join(unknown)}; there are: {', '.join(specs)}")
    return [specs[f] for f in forms] if forms else list(specs.values())
