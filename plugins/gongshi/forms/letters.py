"""Letter-like forms (到户项目申请书, 项目监管责任书) and the project's notice board (项目公示牌).

A letter is paragraphs with blanks, declared in its forms/*.yaml `body`: `{field}` stands for a field of the
form's table, filled from the project a letter is made for and left as a blank line to write on otherwise; a line
that starts with `## ` is a heading. It is written as a DOCX, to fill in Word or WPS, and as a PDF to print; both are
signed by hand. A letter is never imported: the 申请书 holds a household's personal details, and a signed
责任书 is recorded in the 项目监管责任台账, which is.

The board (layout `board`) is the sign put up at a finished project: its facts from the package on an A3 sheet,
with the QR code of its page on the site.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..package.records import parse_value
from ..site.spreadsheet import FIXED_TIME
from ..site.typeset import compile_pdf
from . import FormSpec, default_forms_dir
from .workbook import FormWriter

REGION_PATTERN = "[0-9]{12}"
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
BLANK = "＿" * 10
LETTER_TEMPLATE = "letter.typ"
BOARD_TEMPLATE = "board.typ"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def shown_value(writer: FormWriter, spec: FormSpec, name: str, text: str) -> str:
    """A value as a letter prints it: a unit or a place by its name, money in yuan, a date in Chinese."""
    field = writer.schemas.field(spec.resource, name) or {}
    if not text:
        return ""
    kind = field.get("type", "string")
    if kind == "number":
        try:
            return f"{Decimal(text):,.2f}" + (" 元" if "单位：元" in field.get("description", "") else "")
        except InvalidOperation:
            return text
    if kind == "date" or field.get("partialDate"):
        day = parse_value(text, "date") if kind == "date" else None
        if day is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = dt.date.fromisoformat(text)
        if day is not None:
            return f"{day.year}年{day.month}月{day.day}日"
        return text
    if field.get("constraints", {}).get("pattern", "").startswith(REGION_PATTERN):  # places by their names
        places = {c.value: c.shown.split(" ", 1)[-1] for c in writer.lists.by_resource.get("regions", [])}
        return "、".join(places.get(code, code) for code in text.split("、"))
    choices = writer.choices(spec, field)
    if choices:
        shown = {c.value: c.shown for c in choices}.get(text, text)
        return shown.split(" ", 1)[1] if " " in shown and "enum" not in field.get("constraints", {}) else shown
    return text


def letter_model(writer: FormWriter, spec: FormSpec, record: dict[str, str] | None = None) -> dict:
    """The title, the paragraphs with their blanks filled (or left blank), the signatures and the footer mark."""
    record = record or {}

    def fill(match: re.Match) -> str:
        return shown_value(writer, spec, match.group(1), record.get(match.group(1), "")) or BLANK

    paragraphs = []
    for line in spec.body:
        heading = line.startswith("## ")
        paragraphs.append({"text": PLACEHOLDER.sub(fill, line[3:] if heading else line), "heading": heading})
    county = writer.lists.name or ""
    name = record.get("name")
    title = f"{name}{spec.title}" if name and spec.prefill == "project" else f"{county}{spec.title}"
    mark = " · ".join(part for part in (f"{spec.title} 第{spec.version}版", writer.lists.county or "",
                                         f"数据包 {writer.digest[:16]}" if writer.digest else "") if part)
    return {"title": title, "paragraphs": paragraphs, "mark": mark, "opinion": spec.opinion,
            "signoff": [{"title": level} for level in spec.signoff]}


def write_letter_pdf(target: Path, model: dict) -> Path:
    data = compile_pdf(default_forms_dir() / LETTER_TEMPLATE, {"letter": json.dumps(model, ensure_ascii=False)})
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def write_letter_docx(target: Path, model: dict, author: str = "gongshi") -> Path:
    """The letter as a Word document: A4, 宋体 with a 黑体 title, headings in bold, first lines indented two
    characters, the sign-off at the end. The same letter always gives the same bytes."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "宋体", Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    normal.paragraph_format.line_spacing = 1.5

    def run(paragraph, text: str, bold: bool = False, size: float | None = None, font: str | None = None):
        r = paragraph.add_run(CONTROL.sub("", text))  # a control character is not allowed in the document's XML
        r.bold = bold
        if size:
            r.font.size = Pt(size)
        if font:
            r.font.name = font
            r.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        return r

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(title, model["title"], bold=True, size=18, font="黑体")
    for p in model["paragraphs"]:
        para = doc.add_paragraph()
        if p["heading"]:
            run(para, p["text"], bold=True, font="黑体")
        else:
            para.paragraph_format.first_line_indent = Pt(24)
            run(para, p["text"])
    for level in model["signoff"]:
        doc.add_paragraph()
        run(doc.add_paragraph(), level["title"], bold=True)
        if model["opinion"]:
            run(doc.add_paragraph(), "意见：")
            doc.add_paragraph()
        sign = doc.add_paragraph()
        sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run(sign, "负责人（签字）：＿＿＿＿＿＿　　（公章）　　　　年　　月　　日")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(footer, model["mark"], size=8)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = model["title"], author, author
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None) if FIXED_TIME.tzinfo else FIXED_TIME
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(_reproducible_zip(buffer.getvalue()))
    return target


def _reproducible_zip(data: bytes) -> bytes:
    """The same archive with every member dated 1980-01-01, so that the same letter gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def board_model(writer: FormWriter, spec: FormSpec, record: dict[str, str], funds: list[tuple[str, str]],
                url: str, phone: str) -> dict:
    """The board of one project: its name, each declared field with its value (未载明 when the package does not
    state it), the money by source, the hotline and the address its QR code opens."""
    rows = []
    for name in spec.fields:
        field = writer.schemas.field(spec.resource, name) or {}
        value = shown_value(writer, spec, name, record.get(name, ""))
        rows.append({"label": field.get("title", name), "value": value or "未载明"})
    county = writer.lists.name or ""
    return {"title": f"{record.get('name', '')}", "heading": f"{county}{spec.title}", "rows": rows,
            "funds": [{"label": label, "value": value} for label, value in funds], "url": url, "phone": phone,
            "mark": " · ".join(part for part in (f"{spec.title} 第{spec.version}版", writer.lists.county or "",
                                                  f"数据包 {writer.digest[:16]}" if writer.digest else "") if part)}


def write_board_pdf(target: Path, model: dict) -> Path:
    from ..site.qr import qr_svg

    # Without the site's public address there is nothing for a QR code to open: the board leaves it out.
    qr = str(qr_svg(model["url"])) if model["url"] else ""
    data = compile_pdf(default_forms_dir() / BOARD_TEMPLATE, {"board": json.dumps(model, ensure_ascii=False), "qr": qr})
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target
