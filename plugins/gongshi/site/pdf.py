"""The PDF step: render the wall notices' print pages as PDFs with WeasyPrint, in parallel, only those pending.

A sheet's PDF is written whole or not at all. The renderer reads only the site's own files, and the theme's
stylesheets from the theme itself, so a site's first build (before Pelican has copied the theme) prints as any
other; a stylesheet or image it cannot read is an error for that sheet, which then stays pending.
"""

from __future__ import annotations

import ctypes.util
import logging
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..parallel import parallel_map
from ..problems import GongshiError
from .sheets import MANIFEST, read_manifest, write_manifest

logger = logging.getLogger(__name__)

FONT_PACKAGE = "fonts-noto-cjk"
# Where the site serves its theme's static files (Pelican's THEME_STATIC_DIR); the renderer reads them from the
# theme itself, so a PDF never depends on whether Pelican has copied them into the output yet.
THEME_URL_DIR = "theme"


class PrintError(GongshiError, RuntimeError):
    """PDFs cannot be made here; the message says why and what to install."""


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
