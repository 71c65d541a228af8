"""Wall notices for the village notice board: the sheets, their print pages, and which PDFs each county needs.

Every notice, and the household list of every 到户 project, is a *sheet*. A county's job renders each sheet's print
page in both paper sizes (`<page>/print/` in the size set for its kind, `<page>/print/a3/` or `a4/` in the other)
and lists the PDFs the county should have in `<code>/.gongshi-pdf.json`, with a digest of what each PDF shows.
A PDF whose digest is unchanged is carried over from the county's previous build; the others are marked pending.
Beside each sheet's print page the job writes the sheet's model (`.gongshi-sheet.json`, see sheetdoc.py), which the
PDF step (`pdf.py`, also `gongshi pdf`) then typesets with Typst for the pending ones, about 0.02 core-seconds a sheet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.metadata import version as installed
from pathlib import Path

from ..model import ALLOCATION_NOTICES, ZERO, County, Notice, Project, Region, Unit, notice_day
from .kept import link_or_copy, read_kept

MANIFEST = ".gongshi-pdf.json"
SHEET_MODEL = ".gongshi-sheet.json"  # beside the print page in the sheet's own paper size: what its PDF shows
# Stands in for the package fingerprint while a sheet's digest is taken: a PDF is redone when what it shows of
# the data changes, not each time another table of the county does.
_FINGERPRINT = "\x00gongshi-fingerprint\x00"
_JSON_FINGERPRINT = json.dumps(_FINGERPRINT)[1:-1]  # as it stands in a model written as JSON
# Part of every PDF's digest: raised when the way PDFs are made changes what they show. 2: the stylesheets are
# read from the theme (gongshi 0.5 rendered a site's first PDFs without print.css, which was not yet copied).
# 3: typeset with Typst from the sheet's model, no longer printed from the HTML page with WeasyPrint.
PDF_FORMAT = 3
TYPST_DIR = "typst"  # the theme's Typst templates, under its static folder (the site serves them as theme/typst/)


@dataclass
class Sheet:
    """One printable notice: what it is, where its pages are, and what its table holds."""

    kind: str  # a notice kind, or "households"
    sheet_id: str  # the notice id, or the project id for a household list
    title: str
    page_url: str  # the folder of its print pages and PDF (a notice's page; a household list's own folder)
    discloser: Unit
    region: Region
    start_date: dt.date | None
    end_date: dt.date | None
    paper: str  # "A4" or "A3", as set for the kind
    notice: Notice | None = None
    project: Project | None = None
    demo: bool = False  # fictional data: every sheet says so
    rows: list = field(default_factory=list)
    online_url: str = ""  # the page its QR code opens, when not page_url: a household list's project page

    @property
    def public_page(self) -> str:
        """The online page the sheet stands for: its QR code and "back" link open it."""
        return self.online_url or self.page_url

    def public_href(self, suffix: str = "") -> str:
        """public_page with the site's link suffix (index.html for a site opened from disk) before its anchor."""
        page, hashmark, anchor = self.public_page.partition("#")
        return page + suffix + hashmark + anchor

    @property
    def disclosers(self) -> list[Unit]:
        """Who publish it: a notice's disclosing units (several when co-signed); a household list's implementing unit."""
        return self.notice.disclosers if self.notice else [self.discloser]

    @property
    def published_on(self) -> dt.date | None:
        """The notice's own date (落款) as it states it; a household list is dated by hand."""
        return self.notice.published_on if self.notice else None

    @property
    def print_url(self) -> str:
        return self.page_url + "print/"

    def paper_url(self, paper: str) -> str:
        return self.print_url if paper == self.paper else f"{self.print_url}{paper.lower()}/"

    @property
    def other_paper(self) -> str:
        return "A3" if self.paper == "A4" else "A4"

    @property
    def pdf_name(self) -> str:
        return f"{self.sheet_id}-households.pdf" if self.kind == "households" else f"{self.sheet_id}.pdf"

    @property
    def pdf_url(self) -> str:
        return self.page_url + self.pdf_name

    @property
    def total(self) -> Decimal:
        if self.kind == "households":
            return sum((b.subsidy for b in self.rows), ZERO)
        if self.kind in ALLOCATION_NOTICES:
            return sum((a.amount for a in self.rows), ZERO)
        return sum((p.budget for p in self.rows), ZERO)


def sheets(county: County, papers: dict[str, str]) -> list[Sheet]:
    """Return every printable notice of the county: its notices, then its projects' household lists."""
    out = []
    for n in county.notices.values():
        rows = n.allocations if n.lists_allocations else n.projects
        out.append(Sheet(n.kind, n.notice_id, n.title, n.url, n.discloser, n.region, n.start_date, n.end_date,
                         papers[n.kind], notice=n, rows=list(rows), demo=county.demo))
    for p in county.projects.values():
        if not p.beneficiaries:
            continue
        # The households are shown for as long as the project's latest notice; without one the clerk fills it in.
        latest = max(p.notices, key=lambda n: (notice_day(n), n.notice_id), default=None)
        name = p.name if p.name.startswith(p.region.name) else p.region.name + p.name
        title = f"{name}到户补助公示（{p.year}年度）"
        out.append(Sheet("households", p.project_id, title, p.url + "households/", p.implementing_unit, p.region,
                         latest.start_date if latest else None, latest.end_date if latest else None,
                         papers["households"], project=p, rows=list(p.beneficiaries), demo=county.demo,
                         online_url=p.url + "#households"))
    return out


def package_fingerprint(descriptor: bytes) -> str:
    """A short fingerprint of the signed package: the start of the SHA-256 of its datapackage.json, in groups.

    The signature covers datapackage.json, which holds the hash of every table, so these 16 hex digits pick out
    the published version a printed notice was made from (each version page shows the same fingerprint)."""
    digest = hashlib.sha256(descriptor).hexdigest()[:16]
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def print_key(theme: Path) -> str:
    """What a PDF depends on besides its sheet's model: the theme's Typst templates and the Typst version.

    A changed template or a new Typst re-renders every PDF; a change elsewhere in the theme or in gongshi only
    re-renders the PDFs whose model changed."""
    digest = hashlib.sha256(f"typst {installed('typst')} format {PDF_FORMAT}".encode())
    templates = Path(theme) / "static" / TYPST_DIR
    for path in sorted(templates.rglob("*")) if templates.is_dir() else ():
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def write_print_pages(render, root: Path, county: County, sheet_list: list[Sheet], fingerprint: str, version: int,
                      previous: Path, key: str = "") -> dict:
    """Render the print pages of the county's sheets under root, each with its model, and return its PDF manifest.

    `render(sheet, paper, fingerprint)` returns a print page's HTML and the sheet model it shows. A PDF whose
    sheet shows the same as in the previous build (the county's live folder) is hard-linked from there, with the
    fingerprint it was made with; the others are pending until the PDF step renders them. `key` (see print_key) is
    part of each digest."""
    old = read_manifest(previous)
    manifest = {}
    for sheet in sheet_list:
        pdf = sheet.pdf_url.removeprefix(f"{county.code}/")
        pages = {}
        for paper in (sheet.paper, sheet.other_paper):
            pages[paper] = render(sheet, paper, _FINGERPRINT)
        model = json.dumps(pages[sheet.paper][1], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(key.encode() + model.encode()).hexdigest()
        entry = {"digest": digest, "fingerprint": fingerprint, "version": version, "pending": True,
                 "page": sheet.paper_url(sheet.paper).removeprefix(f"{county.code}/")}
        before = old.get(pdf)
        if before and before.get("digest") == digest and not before.get("pending") and (previous / pdf).is_file():
            entry.update(fingerprint=before["fingerprint"], version=before["version"], pending=False)
            target = root / county.code / pdf
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(previous / pdf, target)
        stamp = f"{entry['fingerprint']}（第 {entry['version']} 版）"
        for paper, (html, _) in pages.items():
            path = root / sheet.paper_url(paper) / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html.replace(_FINGERPRINT, stamp), encoding="utf-8")
        (root / sheet.paper_url(sheet.paper) / SHEET_MODEL).write_text(
            model.replace(_JSON_FINGERPRINT, stamp), encoding="utf-8")
        manifest[pdf] = entry
    return manifest


def read_manifest(folder: Path) -> dict:
    """The PDFs the county's previous build listed, with their digests."""
    return read_kept(Path(folder) / MANIFEST)


def write_manifest(folder: Path, manifest: dict) -> None:
    path = Path(folder) / MANIFEST
    tmp = path.with_name(path.name + f".{os.getpid()}")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")
    os.replace(tmp, path)


