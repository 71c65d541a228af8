"""The PDF step: typeset the pending wall notices as PDFs with Typst, in parallel, from each sheet's model.

The county job writes every sheet's model beside its print page (sheets.SHEET_MODEL); this step typesets it with
the theme's `typst/sheet.typ`. A sheet's PDF is written whole or not at all. The template is read from the theme
itself, so a site's first build (before Pelican has copied the theme) prints as any other; `gongshi pdf` without a
theme reads the site's own copy under theme/typst/. A template or model it cannot read is an error for that sheet,
which then stays pending.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..parallel import parallel_map
from ..problems import GongshiError
from .sheets import MANIFEST, SHEET_MODEL, TYPST_DIR, read_manifest, write_manifest

logger = logging.getLogger(__name__)

FONT_PACKAGE = "fonts-noto-cjk"
# Where the site serves its theme's static files (Pelican's THEME_STATIC_DIR); the renderer reads the template from
# the theme itself, so a PDF never depends on whether Pelican has copied it into the output yet.
THEME_URL_DIR = "theme"
TEMPLATE = "sheet.typ"


class PrintError(GongshiError, RuntimeError):
    """PDFs cannot be made here; the message says why and what to install."""


def cjk_fonts() -> list[str]:
    """The Chinese font files fontconfig offers (the ones the PDFs are typeset with)."""
    from .typeset import cjk_font_files

    return list(cjk_font_files())


def check_fonts() -> None:
    """Stop, with what to install, when no Chinese font is available: a PDF must never show empty boxes."""
    if not cjk_fonts():
        raise PrintError(
            f"gongshi: 没有可用的中文字体，无法生成 PDF。请安装 {FONT_PACKAGE}（apt-get install {FONT_PACKAGE}）后"
            f"运行 invoke pdf。 No Chinese (CJK) font is installed, so no PDF was written: install Debian's "
            f"{FONT_PACKAGE} and run `invoke pdf`.")


@dataclass(frozen=True)
class PdfJob:
    output: str  # the site's folder
    county: str
    pdf: str  # relative to the county's folder
    page: str  # the print page, relative to the county's folder
    theme: str = ""  # the theme's static folder, which the site serves as theme/; "" reads the site's own copy

    @property
    def template(self) -> Path:
        static = Path(self.theme) if self.theme else Path(self.output) / THEME_URL_DIR
        return static / TYPST_DIR / TEMPLATE


def pending(output: Path, codes: list[str] | None = None, theme: Path | None = None) -> list[PdfJob]:
    """The PDFs the built counties under output should have and do not."""
    jobs = []
    static = str(Path(theme).resolve() / "static") if theme else ""
    for folder in sorted(p for p in Path(output).iterdir() if p.is_dir() and (p / MANIFEST).is_file()):
        if codes and folder.name not in codes:
            continue
        for pdf, entry in sorted(read_manifest(folder).items()):
            if entry.get("pending") or not (folder / pdf).is_file():
                jobs.append(PdfJob(str(output), folder.name, pdf, entry["page"], static))
    return jobs


def render_pdfs(output: Path, codes: list[str] | None = None, workers: int | None = None,
                only: list[str] | None = None, theme: Path | None = None) -> dict:
    """Render the pending PDFs of the site in output, in parallel; return counts and seconds.

    `only` limits the step to these sheets (notice or project ids). `theme` is the Pelican theme folder the
    template is read from (without it, the copy under output/theme/). Raises PrintError when no CJK font is
    installed. A PDF that fails is reported and left pending; the others are written."""
    output = Path(output).resolve()
    jobs = pending(output, codes, theme)
    if only:
        jobs = [j for j in jobs if Path(j.pdf).name.removesuffix(".pdf").removesuffix("-households") in only]
    return render_jobs(output, jobs, workers)


def render_jobs(output: Path, jobs: list[PdfJob], workers: int | None = None) -> dict:
    """Render these PDFs of the site in output in parallel and mark them done; return counts and seconds."""
    result = {"rendered": 0, "failed": 0, "pages": 0, "seconds": 0.0}
    if not jobs:
        return result
    check_fonts()
    started = time.perf_counter()
    done = parallel_map(_render_job, jobs, workers, chunksize=16)
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


def _render_job(job: PdfJob) -> int | str:
    """Typeset one PDF from its sheet's model; return its page count, or what went wrong."""
    from .typeset import page_count, typeset

    folder = Path(job.output) / job.county
    target = folder / job.pdf
    template = job.template
    try:
        if not template.is_file():
            return (f"找不到 PDF 模板 {THEME_URL_DIR}/{TYPST_DIR}/{TEMPLATE}，未生成 PDF / the PDF template "
                    f"{THEME_URL_DIR}/{TYPST_DIR}/{TEMPLATE} could not be read, so no PDF was written")
        model = folder / job.page / SHEET_MODEL
        for path in (model, target):
            if not path.resolve().is_relative_to(folder.resolve()):
                return f"not a file of the county: {path.relative_to(folder)}"
        if not model.is_file():
            return (f"{job.page}/{SHEET_MODEL} 不存在，请重新生成本县 / the sheet's model is missing: build the "
                    f"county again")
        doc = json.loads(model.read_text(encoding="utf-8"))
        pdf = typeset(doc, template)
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        tmp.write_bytes(pdf)
        os.replace(tmp, target)
        return page_count(pdf)
    except Exception as error:  # one notice's PDF must not stop the others
        message = getattr(error, "message", None) or str(error)
        return f"{type(error).__name__}: {message}"
