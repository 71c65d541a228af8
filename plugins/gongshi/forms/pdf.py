"""A standard form as a PDF on A4, to fill in by hand, sign and stamp: the same fields as its XLSX, typeset with
Typst (forms/form.typ) and the system's Chinese fonts, embedded."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..site.typeset import compile_pdf
from . import FormSpec, default_forms_dir
from .workbook import FormWriter, instructions, label, natural_width

TEMPLATE = "form.typ"


def form_model(writer: FormWriter, spec: FormSpec, records: list[dict[str, str]] | None = None,
               context: dict[str, str] | None = None) -> dict:
    """What the PDF shows: the title, the instructions, the fields with what is already known, the sign-off."""
    records = records or []
    fields = spec.field_specs(writer.schemas)

    def shown(field: dict, text: str) -> str:
        choices = writer.choices(spec, field)
        if choices and text:
            return {c.value: c.shown for c in choices}.get(text, text)
        if field.get("type") == "number" and text:
            try:
                return f"{Decimal(text):,.2f}"
            except InvalidOperation:
                return text
        return text

    county = writer.lists.name or ""
    mark = " · ".join(part for part in (f"{spec.title} 第{spec.version}版", writer.lists.county or "",
                                         f"数据包 {writer.digest[:16]}" if writer.digest else "") if part)
    doc = {"title": f"{county}{spec.title}", "note": instructions(spec), "layout": spec.layout,
           "landscape": spec.orientation == "landscape", "mark": mark,
           "signoff": [{"title": level} for level in spec.signoff]}
    if spec.layout == "record":
        values = records[0] if records else (context or {})
        doc["record"] = [{"label": label(f), "value": shown(f, values.get(f["name"], "")),
                          "long": f.get("constraints", {}).get("maxLength", 0) >= 500} for f in fields]
    else:
        blank = spec.project_rows if context else max(8, spec.rows // 2)
        rows = [[shown(f, r.get(f["name"], "")) for f in fields] for r in records]
        rows += [[shown(f, (context or {}).get(f["name"], "")) for f in fields] for _ in range(blank)]
        # An id shown with its name needs room only when the rows show one; every column keeps room for a
        # heading of four characters, however many columns share the paper.
        widths = [max(9, writer.width(spec, f) if any(row[i] for row in rows) else natural_width(f))
                  for i, f in enumerate(fields)]
        doc.update(columns=[label(f) for f in fields], widths=widths, rows=rows)
    return doc


def write_form_pdf(target: Path, writer: FormWriter, spec: FormSpec, records: list[dict[str, str]] | None = None,
                   context: dict[str, str] | None = None) -> Path:
    """Typeset the form into target."""
    doc = form_model(writer, spec, records, context)
    data = compile_pdf(default_forms_dir() / TEMPLATE, {"form": json.dumps(doc, ensure_ascii=False)})
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target
