"""The Pelican generator: every county's folder of the site as a cached, parallel job, then the province pages."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

from pelican.generators import Generator

from ..package.load import find_packages
from ..parallel import parallel_map
from ..problems import as_line
from ..schemas import ALL_RESOURCES, load_schemas
from ..settings import Settings, from_dict
from ..trust.verify import ALLOWED_SIGNERS, load_trust
from .downloads import write_trust_downloads
from .job import PAGE_CONTEXT, STAGING, CountySite, CountySummary
from .search import write_search_manifest
from .sheets import PrintError, render_pdfs

__all__ = ["GongshiGenerator", "PAGE_CONTEXT", "SITE_CONTEXT"]

logger = logging.getLogger(__name__)

# What every page template receives besides Pelican's own context; docs/templates.md documents it.
SITE_CONTEXT = ("gongshi_today", "NATIONAL_HOTLINE", "LINK_SUFFIX", "PROVINCE_KEY_FINGERPRINT")

# The county builder of the running build; forked workers inherit it with its template environment.
_SITE: CountySite | None = None


def _build_in_worker(job: tuple[Path, str]):
    return _SITE.build(*job)


class GongshiGenerator(Generator):
    """Check and build every county (reusing unchanged ones), then write the home, dictionary and keys pages."""

    def generate_context(self) -> None:
        # Relative paths in GONGSHI are taken from the site's folder, the one holding content/.
        base = Path(self.settings["PATH"]).resolve().parent
        self.gongshi: Settings = from_dict(self.settings.get("GONGSHI"), base=base)
        site = {
            "gongshi_today": self.gongshi.current_date(),
            "NATIONAL_HOTLINE": self.gongshi.national_hotline,
            "LINK_SUFFIX": "index.html" if self.gongshi.index_links else "",
            "PROVINCE_KEY_FINGERPRINT": self.gongshi.province_key_fingerprint,
        }
        assert tuple(site) == SITE_CONTEXT
        self.context.update(site)
        # The counties are built now, before any generator writes, so that Pelican's own pages (the search page)
        # can list them: gongshi_counties.
        self.counties = self._build_counties()
        self.context["gongshi_counties"] = self.counties

    def _build_counties(self) -> list[CountySummary]:
        global _SITE
        started = time.perf_counter()
        output = Path(self.output_path)
        trust = load_trust(self.gongshi.keys_path / ALLOWED_SIGNERS, self.gongshi.province_key_fingerprint)
        for problem in trust[1]:
            logger.error("gongshi: %s", as_line(problem))
        relative = self.settings.get("RELATIVE_URLS", False)
        site_settings = {k: self.settings.get(k) for k in ("SITEURL", "SITENAME", "THEME_STATIC_DIR",
                                                              "PUBLIC_SITEURL")}
        _SITE = site = CountySite(self.env, self.context, self.gongshi, output, relative, trust,
                                  Path(self.theme), site_settings)
        shutil.rmtree(output / STAGING, ignore_errors=True)
        summaries: dict[str, CountySummary] = {}
        jobs = []
        for folder in find_packages(self.gongshi.data_path):
            key = site.key(folder)
            reused = site.reusable(folder.name, key)
            if reused is not None and reused.code == folder.name:
                summaries[reused.code] = reused
            else:
                jobs.append((folder, key))
        self.timings = {"reused": len(summaries), "built": len(jobs), "start": time.perf_counter() - started}
        started = time.perf_counter()
        for summary in self._run(jobs):
            if summary is not None:
                summaries[summary.code] = summary
        shutil.rmtree(output / STAGING, ignore_errors=True)
        self.timings["counties"] = time.perf_counter() - started
        counties = sorted(summaries.values(), key=lambda c: c.code)
        built = [c for c in counties if c.timings]
        for stage in ("check", "pages", "print", "downloads", "search"):
            self.timings[stage] = sum(c.timings.get(stage, 0.0) for c in built)
        self.timings["pages_built"] = sum(c.pages for c in built)
        self.timings["pages_total"] = sum(c.pages for c in counties) + 3
        if self.gongshi.pdf:
            self._pdfs(output, [c.code for c in counties])
        return counties

    def _pdfs(self, output: Path, codes: list[str]) -> None:
        """Render the wall notices' PDFs that are new or whose notice changed; the rest were carried over."""
        try:
            done = render_pdfs(output, self.settings.get("SITEURL", ""), codes, self.gongshi.workers,
                               theme=Path(self.theme))
        except PrintError as error:
            logger.error("%s", error)
            return
        self.timings["pdf"], self.timings["pdfs"] = done["seconds"], done["rendered"]
        if done["rendered"] or done["failed"]:
            logger.info("gongshi: PDF 已生成 %d 份，用时 %.1f 秒，失败 %d 份 / %d PDF(s) rendered in %.1f s, %d failed",
                        done["rendered"], done["seconds"], done["failed"], done["rendered"], done["seconds"],
                        done["failed"])

    def generate_output(self, writer) -> None:
        started = time.perf_counter()
        self._province_pages(writer, self.counties)
        self.timings["province"] = time.perf_counter() - started
        # A benchmark asks for the stages' times by naming a file in GONGSHI_TIMINGS.
        if os.environ.get("GONGSHI_TIMINGS"):
            Path(os.environ["GONGSHI_TIMINGS"]).write_text(json.dumps(self.timings), encoding="utf-8")

    def _run(self, jobs: list):
        """Build the counties, in parallel worker processes when there is more than one to build."""
        # Largest packages first, so that no worker is left with a big county at the end.
        jobs = sorted(jobs, key=lambda job: -sum(p.stat().st_size for p in job[0].iterdir() if p.is_file()))
        return parallel_map(_build_in_worker, jobs, self.gongshi.workers)

    def _write(self, writer, url: str, template: str, **context) -> None:
        assert tuple(context) == PAGE_CONTEXT[template], (template, tuple(context))
        writer.write_file(url + "index.html", self.get_template(template), self.context,
                          relative_urls=self.settings.get("RELATIVE_URLS", False), url=url, **context)

    def _province_pages(self, writer, counties: list[CountySummary]) -> None:
        today = self.gongshi.current_date()
        notices = [n for c in counties for n in c.notices]
        current = sorted((n for n in notices if n.is_current(today)), key=lambda n: (n.end_date, n.notice_id))
        recent = sorted(notices, key=lambda n: (n.start_date, n.notice_id), reverse=True)[:10]
        self._write(writer, "", "home", counties=counties, current_notices=current, recent_notices=recent)
        self._write(writer, "dictionary/", "dictionary", schemas=load_schemas(self.gongshi.schemas_path),
                    resources=ALL_RESOURCES)
        output = Path(self.output_path)
        self._write(writer, "keys/", "keys", downloads=write_trust_downloads(
            output / "keys", self.gongshi.keys_path, self.gongshi.province_key_fingerprint))
        if self.gongshi.search:
            write_search_manifest(output, {c.code: c.name for c in counties})

