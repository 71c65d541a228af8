"""Wall notices for the village notice board: print pages, and PDFs rendered from them with WeasyPrint.

Every notice, and the household list of every 到户 project, is a *sheet*. A county's job renders each sheet's print
page in both paper sizes (`<page>/print/` in the size set for its kind, `<page>/print/a3/` or `a4/` in the other)
and lists the PDFs the county should have in `<code>/.gongshi-pdf.json`, with a digest of what each PDF shows.
A PDF whose digest is unchanged is carried over from the county's previous build; the others are marked pending.
The PDF step then renders the pending ones in parallel processes (`render_pdfs`, also `gongshi pdf`), writing each
file whole, with the stylesheets read from the theme itself. PDFs are the slow part of a build: about 0.9
core-seconds a sheet.
"""

from __future__ import annotations

import ctypes.util
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib.metadata import version as installed
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from markupsafe import Markup

from ..model import ZERO, County, Notice, Project, Region, Unit
from ..parallel import parallel_map
from ..problems import GongshiError

logger = logging.getLogger(__name__)

MANIFEST = ".gongshi-pdf.json"
QR_MASKS = ".gongshi-qr.json"
# Stands in for the package fingerprint while a sheet's digest is taken: a PDF is redone when what it shows of
# the data changes, not each time another table of the county does.
_FINGERPRINT = "\x00gongshi-fingerprint\x00"
FONT_PACKAGE = "fonts-noto-cjk"
# Where the site serves its theme's static files (Pelican's THEME_STATIC_DIR); the renderer reads them from the
# theme itself, so a PDF never depends on whether Pelican has copied them into the output yet.
THEME_URL_DIR = "theme"
# Part of every PDF's digest: raised when the way PDFs are made changes what they show. 2: the stylesheets are
# read from the theme (gongshi 0.5 rendered a site's first PDFs without print.css, which was not yet copied).
PDF_FORMAT = 2


class PrintError(GongshiError, RuntimeError):
    """PDFs cannot be made here; the message says why and what to install."""


@dataclass
class Sheet:
    """One printable notice: what it is, where its pages are, and what its table holds."""

    kind: str  # a notice kind, or "households"
    sheet_id: str  # the notice id, or the project id for a household list
    title: str
    page_url: str  # the online page this sheet is printed from (its QR code opens it)
    discloser: Unit
    region: Region
    start_date: dt.date | None
    end_date: dt.date | None
    paper: str  # "A4" or "A3", as set for the kind
    notice: Notice | None = None
    project: Project | None = None
    demo: bool = False  # fictional data: every sheet says so
    rows: list = field(default_factory=list)

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
        if self.kind == "allocation-result":
            return sum((a.amount for a in self.rows), ZERO)
        return sum((p.budget for p in self.rows), ZERO)


def sheets(county: County, papers: dict[str, str]) -> list[Sheet]:
    """Return every printable notice of the county: its notices, then its projects' household lists."""
    out = []
    for n in county.notices.values():
        rows = n.allocations if n.kind == "allocation-result" else n.projects
        out.append(Sheet(n.kind, n.notice_id, n.title, n.url, n.discloser, n.region, n.start_date, n.end_date,
                         papers[n.kind], notice=n, rows=list(rows), demo=county.demo))
    for p in county.projects.values():
        if not p.beneficiaries:
            continue
        # The households are shown for as long as the project's latest notice; without one the clerk fills it in.
        latest = max(p.notices, key=lambda n: (n.start_date, n.notice_id), default=None)
        name = p.name if p.name.startswith(p.region.name) else p.region.name + p.name
        title = f"{name}到户补助公示（{p.year}年度）"
        out.append(Sheet("households", p.project_id, title, p.url + "households/", p.implementing_unit, p.region,
                         latest.start_date if latest else None, latest.end_date if latest else None,
                         papers["households"], project=p, rows=list(p.beneficiaries), demo=county.demo))
    return out


# The mask segno chose for each URL's QR code. Choosing the mask that scans best is most of the cost of a code
# (about 10 of 13 ms); with the mask known, the same code takes about 3 ms. A county's job starts from the masks
# of its previous build (QR_MASKS in its folder) and leaves them for the next.
_MASKS: dict[str, int] = {}


def load_qr_masks(folder: Path) -> None:
    try:
        masks = json.loads((Path(folder) / QR_MASKS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(masks, dict):
        _MASKS.update({u: m for u, m in masks.items() if isinstance(u, str) and m in range(8)})


def write_qr_masks(folder: Path, marker: str) -> None:
    """Write the masks of the URLs that contain marker (the county's path, such as /510104/)."""
    masks = {u: m for u, m in sorted(_MASKS.items()) if marker in u}
    (Path(folder) / QR_MASKS).write_text(json.dumps(masks, separators=(",", ":")), encoding="utf-8")


@lru_cache(maxsize=4096)
def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of the URL: vector in the page and in the PDF, black on white, with its quiet zone.

    A notice's page and its two print pages show the same code, so it is made once."""
    code = segno.make(url, error="m", micro=False, mask=_MASKS.get(url))
    _MASKS[url] = code.mask
    svg = code.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr",
                          lineclass=None, title=url)
    return Markup(svg)


def package_fingerprint(descriptor: bytes) -> str:
    """A short fingerprint of the signed package: the start of the SHA-256 of its datapackage.json, in groups.

    The signature covers datapackage.json, which holds the hash of every table, so these 16 hex digits pick out
    the published version a printed notice was made from (each version page shows the same fingerprint)."""
    digest = hashlib.sha256(descriptor).hexdigest()[:16]
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


# --- what the county job does --------------------------------------------------------------------------------------

def print_key(theme: Path) -> str:
    """What a PDF depends on besides its print page: the theme's stylesheets and the WeasyPrint version.

    A changed print.css or a new WeasyPrint re-renders every PDF; a change elsewhere in the theme or in gongshi
    only re-renders the PDFs whose print page changed."""
    digest = hashlib.sha256(f"weasyprint {installed('weasyprint')} format {PDF_FORMAT}".encode())
    css = Path(theme) / "static" / "css"
    for path in sorted(css.rglob("*")) if css.is_dir() else ():
        if path.is_file():
            digest.update(path.relative_to(css).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def write_print_pages(render, root: Path, county: County, sheet_list: list[Sheet], fingerprint: str, version: int,
                      previous: Path, key: str = "") -> dict:
    """Render the print pages of the county's sheets under root and return its PDF manifest.

    `render(sheet, paper, fingerprint)` returns a print page's HTML. A PDF whose sheet shows the same as in
    the previous build (the county's live folder) is hard-linked from there, with the fingerprint it was made
    with; the others are pending until the PDF step renders them. `key` (see print_key) is part of each digest."""
    old = read_manifest(previous)
    manifest = {}
    for sheet in sheet_list:
        pdf = sheet.pdf_url.removeprefix(f"{county.code}/")
        pages = {}
        for paper in (sheet.paper, sheet.other_paper):
            pages[paper] = render(sheet, paper, _FINGERPRINT)
        digest = hashlib.sha256(key.encode() + pages[sheet.paper].encode()).hexdigest()
        entry = {"digest": digest, "fingerprint": fingerprint, "version": version, "pending": True,
                 "page": sheet.paper_url(sheet.paper).removeprefix(f"{county.code}/")}
        before = old.get(pdf)
        if before and before.get("digest") == digest and not before.get("pending") and (previous / pdf).is_file():
            entry.update(fingerprint=before["fingerprint"], version=before["version"], pending=False)
            target = root / county.code / pdf
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(previous / pdf, target)
        stamp = f"{entry['fingerprint']}（第 {entry['version']} 版）"
        for paper, html in pages.items():
            path = root / sheet.paper_url(paper) / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html.replace(_FINGERPRINT, stamp), encoding="utf-8")
        manifest[pdf] = entry
    return manifest


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def read_manifest(folder: Path) -> dict:
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def write_manifest(folder: Path, manifest: dict) -> None:
    path = Path(folder) / MANIFEST
    tmp = path.with_name(path.name + f".{os.getpid()}")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")
    os.replace(tmp, path)


# --- the PDF step ----------------------------------------------------------------------------------------------------

def cjk_fonts() -> list[str]:
    """The font families fontconfig offers for Simplified Chinese."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(",")[0].strip() for line in listed.stdout.splitlines() if line.strip()})


def check_fonts() -> None:
    """Stop, with what to install, when no Chinese font is available: a PDF must never show empty boxes."""
    if not cjk_fonts():
        raise PrintError(
            f"gongshi: 没有可用的中文字体，无法生成 PDF。请安装 {FONT_PACKAGE}（apt-get install {FONT_PACKAGE}）后"
            f"运行 invoke pdf。 No Chinese (CJK) font is installed, so no PDF was written: install Debian's "
            f"{FONT_PACKAGE} and run `invoke pdf`.")


def fast_subsetting() -> bool:
    """True when WeasyPrint can subset fonts with HarfBuzz (about 30x faster than its fontTools fallback)."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


@dataclass(frozen=True)
class PdfJob:
    output: str  # the site's folder
    county: str
    pdf: str  # relative to the county's folder
    page: str  # the print page, relative to the county's folder
    site_url: str  # the URL the pages name the site by ("" or ".." when relative)
    theme: str = ""  # the theme's static folder, which the site serves as theme/; "" reads the site's own copy


def pending(output: Path, codes: list[str] | None = None, site_url: str = "",
            theme: Path | None = None) -> list[PdfJob]:
    """The PDFs the built counties under output should have and do not."""
    jobs = []
    static = str(Path(theme).resolve() / "static") if theme else ""
    for folder in sorted(p for p in Path(output).iterdir() if p.is_dir() and (p / MANIFEST).is_file()):
        if codes and folder.name not in codes:
            continue
        for pdf, entry in sorted(read_manifest(folder).items()):
            if entry.get("pending") or not (folder / pdf).is_file():
                jobs.append(PdfJob(str(output), folder.name, pdf, entry["page"], site_url, static))
    return jobs


def render_pdfs(output: Path, site_url: str = "", codes: list[str] | None = None, workers: int | None = None,
                only: list[str] | None = None, theme: Path | None = None) -> dict:
    """Render the pending PDFs of the site in output, in parallel; return counts and seconds.

    `only` limits the step to these sheets (notice or project ids). `theme` is the Pelican theme folder the
    stylesheets are read from (without it, the copy under output/theme/). Raises PrintError when no CJK font is
    installed. A PDF that fails is reported and left pending; the others are written."""
    output = Path(output).resolve()
    jobs = pending(output, codes, site_url, theme)
    if only:
        jobs = [j for j in jobs if Path(j.pdf).name.removesuffix(".pdf").removesuffix("-households") in only]
    return render_jobs(output, jobs, workers)


def render_jobs(output: Path, jobs: list[PdfJob], workers: int | None = None) -> dict:
    """Render these PDFs of the site in output in parallel and mark them done; return counts and seconds."""
    result = {"rendered": 0, "failed": 0, "pages": 0, "seconds": 0.0, "fast_subsetting": fast_subsetting()}
    if not jobs:
        return result
    check_fonts()
    if not result["fast_subsetting"]:
        logger.warning("gongshi: 未安装 libharfbuzz-subset0，PDF 生成会慢约 30 倍 / HarfBuzz subsetting (Debian's "
                       "libharfbuzz-subset0) is missing: PDFs take about 30 times longer")
    started = time.perf_counter()
    done = parallel_map(_render_job, jobs, workers, chunksize=4)
    by_county: dict[str, list] = {}
    for job, outcome in zip(jobs, done, strict=True):
        by_county.setdefault(job.county, []).append((job, outcome))
    for code, results in by_county.items():
        folder = Path(output) / code
        manifest = read_manifest(folder)
        for job, outcome in results:
            if isinstance(outcome, str):
                result["failed"] += 1
                logger.error("gongshi: %s/%s: PDF 未生成 / PDF not written: %s", code, job.pdf, outcome)
            else:
                result["rendered"] += 1
                result["pages"] += outcome
                if job.pdf in manifest:
                    manifest[job.pdf]["pending"] = False
        write_manifest(folder, manifest)
    result["seconds"] = time.perf_counter() - started
    return result


class MissingFile(RuntimeError):
    """A file a print page needs (its stylesheet, an image) could not be read: the PDF would be wrong."""


def _render_job(job: PdfJob) -> int | str:
    """Render one PDF from its print page; return its page count, or what went wrong."""
    try:
        folder = Path(job.output) / job.county
        page = folder / job.page / "index.html"
        target = folder / job.pdf
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        with _quiet_load_errors():
            html, missing = _weasyprint_html(page, Path(job.output), job.site_url, job.theme)
            document = html.render()
        if missing:
            raise MissingFile(
                "打印页需要的文件无法读取，未生成 PDF / a file the print page needs could not be read, so no PDF "
                "was written: " + "; ".join(missing))
        document.write_pdf(tmp)
        os.replace(tmp, target)
        return len(document.pages)
    except MissingFile as error:
        return str(error)
    except Exception as error:  # one notice's PDF must not stop the others
        return f"{type(error).__name__}: {error}"


class _quiet_load_errors(logging.Filter):
    """While a page renders, WeasyPrint's own "Failed to load" records are dropped: the job reports them itself,
    once per sheet, naming the file."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to load")

    def __enter__(self):
        logging.getLogger("weasyprint").addFilter(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger("weasyprint").removeFilter(self)


def _weasyprint_html(page: Path, output: Path, site_url: str, theme: str = ""):
    """The print page as WeasyPrint's document, and the list that collects the files it could not read."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    root = output.resolve()
    static = Path(theme).resolve() if theme else None
    # Pages built with an absolute SITEURL (publishconf) link the site's files by it; a relative one needs nothing.
    prefix = site_url.rstrip("/") + "/" if "://" in site_url else None
    missing: list[str] = []

    def local(url: str) -> Path:
        """The file a URL of the site stands for: the theme's own file for theme/, else the site's file."""
        if prefix and url.startswith(prefix):
            url = (root / unquote(urlsplit(url).path[len(urlsplit(prefix).path):])).as_uri()
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve()
        if parts.scheme != "file" or not path.is_relative_to(root):
            raise ValueError(f"not a file of the site: {url}")
        if static is not None and path.is_relative_to(root / THEME_URL_DIR):
            path = (static / path.relative_to(root / THEME_URL_DIR)).resolve()
            if not path.is_relative_to(static):
                raise ValueError(f"not a file of the theme: {url}")
        return path

    class SiteFiles(URLFetcher):
        """Only the site's own files: a print page never makes the renderer fetch anything from elsewhere."""

        def fetch(self, url, headers=None):
            try:
                path = local(url)
                if not path.is_file():
                    raise FileNotFoundError(f"no such file: {path}")
                return super().fetch(path.as_uri(), headers)
            except Exception as error:
                missing.append(f"{_site_name(url, root, prefix)} ({error})")
                raise

    html = HTML(filename=str(page), base_url=page.as_uri(), url_fetcher=SiteFiles(allowed_protocols=("file",)))
    return html, missing


def _site_name(url: str, root: Path, prefix: str | None) -> str:
    """A URL as the site names it (theme/css/print.css), for the build log."""
    if prefix and url.startswith(prefix):
        return url[len(prefix):]
    path = Path(unquote(urlsplit(url).path))
    return path.relative_to(root).as_posix() if urlsplit(url).scheme == "file" and path.is_relative_to(root) else url
