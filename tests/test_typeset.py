"""Wall-notice PDFs typeset with Typst (site/typeset.py) from the model the print page is drawn from
(site/sheetdoc.py): one sheet of each kind of the demo county, checked with poppler and zbar as the WeasyPrint PDFs
are, and against the print page of the same sheet in a real build."""

from __future__ import annotations

import re
import subprocess

import pytest
from bs4 import BeautifulSoup

from gongshi.county import check_county
from gongshi.schemas import load_schemas
from gongshi.settings import from_dict
from gongshi.site.sheetdoc import sheet_doc
from gongshi.site.sheets import sheets
from gongshi.site.typeset import typeset

from conftest import BUILD_DAY, DEMO, ROOT

URL = "https://gongshi.example.org"
FINGERPRINT = "6728 d849 4502 92a5（第 2 版）"


@pytest.fixture(scope="module")
def demo_sheets():
    settings = from_dict({"data_path": str(DEMO), "schemas_path": str(ROOT / "schemas"), "today": BUILD_DAY})
    county = check_county(DEMO, settings).model
    one = {}
    for sheet in sheets(county, settings.paper):
        one.setdefault(sheet.kind, sheet)
    kinds = sorted(one)  # strings: a failed assert must not print the county's whole model
    assert {"allocation-result", "allocation-and-projects", "before-start", "after-completion", "households"} <= set(
        kinds), kinds
    return one, load_schemas(settings.schemas_path).label


def texts(doc: dict) -> list[str]:
    """Every text of the model that the sheet shows: heading, period, table cells."""
    out = [doc["title"], doc["period"], *doc["head"]]
    for block in doc["blocks"]:
        if block["type"] == "table":
            for row in [{"cells": block["columns"]}, *block["rows"], *block["foot"]]:
                out += [c["text"] for c in row["cells"] if c["text"].strip()]
                out += [line for c in row["cells"] if c["small"] for line in c["small"].split("\n")]
    return out


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


MARGIN = 12 / 25.4 * 72  # the sheet's side margins, in points


def column_texts(pdf, widths: list[int]) -> list[str]:
    """The text of each column of a table with these widths, page after page, top to bottom: each word where
    poppler finds it, put in the column its middle falls in. A table's cells wrap inside their column, so a cell's
    text is then found whole in its column's text (plain text extraction reads across the columns instead)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    page = BeautifulSoup(out, "html.parser")
    columns = [[] for _ in widths]
    for number, sheet in enumerate(page.find_all("page")):
        inner = float(sheet["width"]) - 2 * MARGIN
        edges = [MARGIN + inner * sum(widths[:i + 1]) / sum(widths) for i in range(len(widths))]
        for word in sheet.find_all("word"):
            middle = (float(word["xmin"]) + float(word["xmax"])) / 2
            if MARGIN <= middle <= edges[-1]:
                column = next(i for i, edge in enumerate(edges) if middle <= edge)
                columns[column].append((number, float(word["ymin"]), float(word["xmin"]), word.get_text()))
    return ["".join(w[3] for w in sorted(words)) for words in columns]


@pytest.mark.parametrize("kind", ["allocation-result", "allocation-and-projects", "before-start", "after-completion",
                                  "households"])
def test_a_typeset_sheet_has_everything_a_wall_notice_needs(demo_sheets, demo_site, tmp_path, kind):
    one, label = demo_sheets
    sheet = one[kind]
    for paper in ("A4", "A3"):
        doc = sheet_doc(sheet, paper, FINGERPRINT, "12317", URL, label)
        pdf = tmp_path / f"{paper}.pdf"
        pdf.write_bytes(typeset(doc, ROOT / "theme" / "static" / "typst" / "sheet.typ"))
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert ("841.89 x 1190.55" if paper == "A3" else "595.276 x 841.89") in info.replace("1190.55 x 841.89",
                                                                                            "841.89 x 1190.55")
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "CID" in fonts and "NotoSerifCJK" in fonts and all(" yes yes yes " in line for line in
                                                                  fonts.splitlines()[2:]), fonts
        first = squeeze(subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                                       text=True).stdout)
        assert squeeze(doc["period"]) in first and "12317" in first and f"第1页/共{pages}页" in first
        whole = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
        # Table cells wrap inside their columns, and text extraction reads a page line by line across the columns:
        # the heading lines and the sign-off are compared here; the cells against the print page below.
        assert squeeze(doc["title"]) in whole and all(squeeze(line) in whole for line in doc["head"])
        assert squeeze(doc["sign"]["seal"]) in whole and squeeze("负责人签字") in whole
        # Every cell of every table, in its own column.
        for block in (b for b in doc["blocks"] if b["type"] == "table"):
            widths = block["widths"] or [1] * len(block["columns"])
            found = column_texts(pdf, widths)
            for row in [{"cells": block["columns"]}, *block["rows"]]:
                if any(c["span"] > 1 for c in row["cells"]):
                    continue
                for column, c in enumerate(row["cells"]):
                    assert squeeze(c["text"]) in found[column], (paper, c["text"], found[column][:200])
        assert squeeze(FINGERPRINT) in whole
        # The QR code, on the last page, opens the sheet's public page.
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(pages), "-l", str(pages), str(pdf),
                        str(tmp_path / "last")], check=True)
        image = next(tmp_path.glob("last*.png"))
        scanned = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True).stdout
        assert scanned.strip() == doc["url"], scanned
        image.unlink()
    # The print page of the same sheet in a real build shows the same texts.
    page = BeautifulSoup((demo_site / sheet.print_url / "index.html").read_text(encoding="utf-8"), "html.parser")
    shown = squeeze(page.select_one("main").get_text())
    missing = [t for t in texts(doc) if squeeze(t) not in shown]
    assert not missing, missing
