"""Make a county's forms from its package: each form blank (with the county's own lists), and prefilled."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..county import CountyCheck, check_county
from ..package.records import parse_value
from ..problems import GongshiError
from ..schemas import SchemaSet, load_schemas
from ..settings import Settings
from ..site.spreadsheet import table_rows
from . import CountyLists, FormSpec, load_forms
from .letters import board_model, letter_model, write_board_pdf, write_letter_docx, write_letter_pdf
from .pdf import write_form_pdf
from .workbook import FormWriter, Made, package_digest


class FormsError(GongshiError, ValueError):
    """Forms cannot be made: the package cannot be read, or the form or project asked for does not exist."""


def county_writer(folder: Path, settings: Settings, made_on: dt.date | None = None):
    """The writer of a county's forms and the package's tables as canonical text rows (field -> value)."""
    check = check_county(folder, settings)
    if check.package is None or check.tables is None or check.errors:
        # Forms carry the package's values onto paper, boards and letters: never those validate refuses (a
        # personal number, a broken reference).
        errors = "; ".join(f"{p.code} {p.path}:{p.row or ''}" for p in check.errors[:3])
        raise FormsError(f"gongshi: 数据包有错误，先运行 gongshi validate {folder} 改好再生成表格（{errors}） / "
                         f"the package has errors; fix what gongshi validate {folder} reports first ({errors})")
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
    """A form as a page lists it: what it is for, who fills and signs it, and its files beside the page (a
    workbook or a Word document to fill, a PDF to print; a board has neither, being made for one project)."""

    id: str
    title: str
    purpose: str
    filled_by: str
    signoff: tuple[str, ...]
    resource: str
    layout: str
    importable: bool
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
        if spec.layout == "board":  # one project's facts: made for a project, never blank
            listed.append(FormDownload(spec.id, spec.title, spec.purpose, spec.filled_by, spec.signoff,
                                       spec.resource, spec.layout, spec.importable, "", 0, "", "", 0))
            continue
        made, pdf = _blank(target, writer, spec, writer.lists.county)
        data = made.read_bytes()
        listed.append(FormDownload(spec.id, spec.title, spec.purpose, spec.filled_by, spec.signoff, spec.resource,
                                   spec.layout, spec.importable, made.name, len(data), hashlib.sha256(data).hexdigest(),
                                   pdf.name, pdf.stat().st_size))
    return listed


def _blank(out: Path, writer: FormWriter, spec: FormSpec, *key: str | None) -> tuple[Path, Path]:
    """A form without records: the workbook (or the letter) and its PDF."""
    path = out / spec.file_name(*key)
    if spec.layout == "letter":
        model = letter_model(writer, spec)
        return write_letter_docx(path, model, writer.lists.name or "gongshi"), \
            write_letter_pdf(path.with_suffix(".pdf"), model)
    made = writer.write(path, spec, [], {}, "blank" if len(key) > 1 else None)
    return made.path, write_form_pdf(made.path.with_suffix(".pdf"), writer, spec)


def make_forms(folder: Path, out: Path, settings: Settings, forms: tuple[str, ...] = (),
               project: str | None = None, made_on: dt.date | None = None, site_url: str = "") -> list[Made]:
    """Write the county's forms into out: each blank, each table form prefilled with every record of its table,
    and with `project` the forms of that project (its acceptance rows, its households, its library entry, its
    responsibility letter and its board, whose QR code opens its page under site_url)."""
    folder, out = Path(folder), Path(out)
    writer, rows = county_writer(folder, settings, made_on)
    specs = _chosen(load_forms(writer.schemas), forms)
    county = writer.lists.county
    if project is not None and project not in {r["project_id"] for r in rows.get("projects", [])}:
        raise FormsError(f"gongshi: 数据包里没有项目 {project} / no project {project} in the package")
    alone = [s.title for s in specs if s.layout == "board"]
    if project is None and forms and alone:
        raise FormsError(f"gongshi: {'、'.join(alone)}是为一个项目做的，请加 --project 项目编号 / "
                         f"{', '.join(s.id for s in specs if s.layout == 'board')} is made for one project: add "
                         "--project")
    made = []
    for spec in specs:
        if spec.layout != "board":
            path, _ = _blank(out, writer, spec, county, "空白")
            made.append(Made(path, spec.id, 0))
        records = rows.get(spec.resource, [])
        if spec.layout == "table":
            made.append(writer.write(out / spec.file_name(county, "全部"), spec, records, {}, "all"))
        if project is not None and spec.prefill == "project":
            made.append(project_form(writer, spec, rows, project, out, site_url))
    return made


def project_form(writer: FormWriter, spec: FormSpec, rows: dict[str, list[dict]], project: str, out: Path,
                 site_url: str = "") -> Made:
    """The form of one project: its own records, and blank rows that already name it."""
    county = writer.lists.county
    path = out / spec.file_name(county, project)
    if spec.resource == "projects":
        records, context = [r for r in rows["projects"] if r["project_id"] == project], {}
    else:
        records = [r for r in rows.get(spec.resource, []) if r.get("project_id") == project]
        context = {"project_id": project}
    if spec.layout == "letter":
        model = letter_model(writer, spec, records[0] if records else context)
        write_letter_docx(path, model, writer.lists.name or "gongshi")
        write_letter_pdf(path.with_suffix(".pdf"), model)
        return Made(path, spec.id, len(records))
    if spec.layout == "board":
        record = records[0]
        url = f"{site_url.rstrip('/')}/{county}/project/{project}/" if site_url else ""
        write_board_pdf(path, board_model(writer, spec, record, _funds(writer, rows, project), url,
                                          _hotline(rows, record)))
        return Made(path, spec.id, 1)
    made = writer.write(path, spec, records, context, project)
    write_form_pdf(made.path.with_suffix(".pdf"), writer, spec, records, context)
    return made


def _funds(writer: FormWriter, rows: dict[str, list[dict]], project: str) -> list[tuple[str, str]]:
    """The money of a project by the fund it comes from, as its board lists it."""
    allocations = {a["allocation_id"]: a for a in rows.get("allocations", [])}
    out = []
    for fund in rows.get("project_funds", []):
        if fund["project_id"] != project:
            continue
        allocation = allocations.get(fund["allocation_id"], {})
        name = allocation.get("fund_name") or writer.schemas.label("allocations", "fund_source",
                                                                     allocation.get("fund_source")) or "资金来源未载明"
        document = allocation.get("document_no")
        label = f"{name}（{document}）" if document else name
        amount = parse_value(fund.get("amount") or "", "number")
        out.append((label, f"{Decimal(amount):,.2f} 元" if amount is not None else "金额未载明"))
    return out


def _hotline(rows: dict[str, list[dict]], project: dict) -> str:
    """The supervision phone of the project's place: its village's, else its township's, else the county's."""
    regions = {r["code"]: r for r in rows.get("regions", [])}
    code, seen = (project.get("region_code") or "").split("、")[0], set()
    while code in regions and code not in seen:
        seen.add(code)
        if regions[code].get("supervision_phone"):
            return regions[code]["supervision_phone"]
        code = regions[code].get("parent_code") or ""
    return "12317"


def _chosen(specs: dict[str, FormSpec], forms: tuple[str, ...]) -> list[FormSpec]:
    unknown = [f for f in forms if f not in specs]
    if unknown:
        raise FormsError(f"gongshi: 没有这种表：{'、'.join(unknown)}；可用：{'、'.join(specs)} / "
                         f"no such form: {', '.join(unknown)}; there are: {', '.join(specs)}")
    return [specs[f] for f in forms] if forms else list(specs.values())
