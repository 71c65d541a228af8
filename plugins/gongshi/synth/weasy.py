"""The peer of the PDF step in the benchmark: printing a wall notice's HTML print page with WeasyPrint, as gongshi
did before its PDFs were typeset with Typst. Only `invoke bench` uses it (WeasyPrint comes with the test tools)."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..parallel import parallel_map
from ..site.pdf import THEME_URL_DIR, PdfJob


def render(jobs: list[PdfJob], target: Path, workers: int | None = None) -> dict:
    """Print these sheets' print pages to PDFs in target (not into the site); return counts and seconds."""
    target.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    done = parallel_map(_render, [(job, str(target / f"{i}.pdf")) for i, job in enumerate(jobs)], workers,
                        chunksize=4)
    pages = [n for n in done if isinstance(n, int)]
    return {"rendered": len(pages), "failed": len(done) - len(pages), "pages": sum(pages),
            "seconds": time.perf_counter() - started}


def _render(item: tuple[PdfJob, str]) -> int | str:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    job, target = item
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    root = Path(job.output).resolve()
    static = Path(job.theme).resolve()
    page = root / job.county / job.page / "index.html"

    class SiteFiles(URLFetcher):
        """The site's own files, and the theme's for theme/: nothing from elsewhere."""

        def fetch(self, url, headers=None):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if urlsplit(url).scheme != "file" or not path.is_relative_to(root):
                raise ValueError(f"not a file of the site: {url}")
            if path.is_relative_to(root / THEME_URL_DIR):
                path = static / path.relative_to(root / THEME_URL_DIR)
            return super().fetch(path.as_uri(), headers)

    try:
        document = HTML(filename=str(page), base_url=page.as_uri(),
                        url_fetcher=SiteFiles(allowed_protocols=("file",))).render()
        document.write_pdf(target)
        return len(document.pages)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
