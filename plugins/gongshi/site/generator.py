"""The Pelican generator: every county's folder of the site as a cached, parallel job, then the province pages."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

from pelican.generators import Generator

from ..forms.make import write_blank_forms
from ..forms.workbook import FormWriter
from ..opendata.bulk import BulkError, read_manifest
from ..opendata.bulk import write as write_bulk
from ..opendata.feeds import write_site as write_site_feed
from ..package.load import DESCRIPTOR, find_packages
from ..parallel import parallel_map
from ..problems import as_line
from ..schemas import ALL_RESOURCES, load_schemas
from ..settings import Settings, from_dict
from ..supervision import RULE_INFO
from ..trust.verify import ALLOWED_SIGNERS, load_trust
from .context import (
    DictionaryPage,
    FormsPage,
    HomePage,
    KeysPage,
    Page,
    ProvinceSupervisionPage,
    SiteContext,
    SiteDataPage,
)
from .downloads import write_trust_downloads
from .job import STAGING, CountySite, CountySummary, code_hash
from .pdf import PrintError, render_pdfs
from .search import write_search_manifest

logger = logging.getLogger(__name__)

# The county builder of the running build; forked workers inherit it with its template environment.
_SITE: CountySite | None = None


def _build_in_worker(folder: Path) -> CountySummary | None:
    return _SITE.build(folder)


# The counties the running build published, for the sitemap written once every page is (finish_site).
_BUILT: list[str] = []


def finish_site(pelican) -> None:
    """Write the sitemap index and robots.txt over everything the build wrote."""
    from ..opendata.sitemap import write_site

    site = str(pelican.settings.get("PUBLIC_SITEURL") or pelican.settings.get("SITEURL") or "").rstrip("/")
    gongshi = demo_day(from_dict(pelican.settings.get("GONGSHI"),
                                 base=Path(pelican.settings["PATH"]).resolve().parent))
    write_site(Path(pelican.output_path), site, list(_BUILT), gongshi.current_date())


def demo_day(settings: Settings) -> Settings:
    """A site made of demo counties alone, each stating the day its data is true on (`as_of` in datapackage.json), is
    shown as on the latest of those days, unless `today` is set: the demo's notices are then in their period, on TV and
    on the now page whenever it is built. One real county makes it the real day again."""
    if settings.today is not None:
        return settings
    days = []
    for folder in find_packages(settings.data_path):  # read until the first package that is not a dated demo
        try:
            meta = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8")).get("gongshi")
            if meta.get("demo") is not True:
                return settings
            days.append(dt.date.fromisoformat(meta["as_of"]))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return settings  # a demo without its day: the package's own check says what is wrong
    if not days:
        return settings
    logger.info("gongshi: 演示数据：网站按演示数据的日期 %s 显示 / demo data: the site is shown as on %s",
                max(days).isoformat(), max(days).isoformat())
    return replace(settings, today=max(days))


class GongshiGenerator(Generator):
    """Check and build every county (reusing unchanged ones), then write the home, dictionary and keys pages."""

    def generate_context(self) -> None:
        # Relative paths in GONGSHI are taken from the site's folder, the one holding content/.
        base = Path(self.settings["PATH"]).resolve().parent
        self.gongshi: Settings = demo_day(from_dict(self.settings.get("GONGSHI"), base=base))
        self.context.update(SiteContext(
            gongshi_today=self.gongshi.current_date(),
            NATIONAL_HOTLINE=self.gongshi.national_hotline,
            LINK_SUFFIX="index.html" if self.gongshi.index_links else "",
            PROVINCE_KEY_FINGERPRINT=self.gongshi.province_key_fingerprint,
        ).names())
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
        _SITE = CountySite(self.env, self.context, self.gongshi, output, relative, trust,
                           Path(self.theme), site_settings)
        shutil.rmtree(output / STAGING, ignore_errors=True)
        folders = find_packages(self.gongshi.data_path)
        self.timings = {"start": time.perf_counter() - started}
        started = time.perf_counter()
        # Each job decides itself whether its county changed (reading its files once), so every county is sent.
        counties = sorted((s for s in self._run(folders) if s is not None), key=lambda c: c.code)
        _BUILT[:] = [c.code for c in counties]
        shutil.rmtree(output / STAGING, ignore_errors=True)
        self.timings["counties"] = time.perf_counter() - started
        built = [c for c in counties if c.timings]
        self.timings["reused"], self.timings["built"] = len(counties) - len(built), len(folders) - len(counties) + len(built)
        for stage in ("check", "pages", "pages_written", "print", "print_pages", "downloads", "search", "page_data",
                      "oc4ids", "database", "feeds"):
            self.timings[stage] = sum(c.timings.get(stage, 0.0) for c in built)
        self.timings["pages_built"] = sum(c.pages for c in built)
        self.timings["pages_total"] = sum(c.pages for c in counties) + 5  # home, dictionary, forms, supervision, keys
        if self.gongshi.pdf:
            self._pdfs(output, [c.code for c in counties])
        return counties

    def _pdfs(self, output: Path, codes: list[str]) -> None:
        """Render the wall notices' PDFs that are new or whose notice changed; the rest were carried over."""
        try:
            done = render_pdfs(output, codes, self.gongshi.workers,
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

    def _run(self, folders: list[Path]) -> list[CountySummary | None]:
        """Build (or reuse) the counties, in parallel worker processes when there is more than one."""
        # Largest packages first, so that no worker is left with a big county at the end.
        folders = sorted(folders, key=lambda f: -sum(p.stat().st_size for p in f.iterdir() if p.is_file()))
        return parallel_map(_build_in_worker, folders, self.gongshi.workers)

    def _write(self, writer, url: str, page: Page) -> None:
        writer.write_file(url + "index.html", self.get_template(page.template), self.context,
                          relative_urls=self.settings.get("RELATIVE_URLS", False), url=url, **page.names())

    def _province_pages(self, writer, counties: list[CountySummary]) -> None:
        today = self.gongshi.current_date()
        notices = [n for c in counties for n in c.notices]
        current = sorted((n for n in notices if n.is_current(today)), key=lambda n: (n.end_date, n.notice_id))
        recent = sorted(notices, key=lambda n: (n.start_date or dt.date.min, n.notice_id), reverse=True)[:10]
        self._write(writer, "", HomePage(counties, current, recent))
        schemas = load_schemas(self.gongshi.schemas_path)
        self._write(writer, "dictionary/", DictionaryPage(schemas, ALL_RESOURCES))
        output = Path(self.output_path)
        # The blank forms of the whole site, without any county's lists.
        self._write(writer, "forms/", FormsPage(None, write_blank_forms(output / "forms", FormWriter(schemas))))
        self._write(writer, "supervision/", ProvinceSupervisionPage(counties, list(RULE_INFO.values()), today))
        started = time.perf_counter()
        site = str(self.settings.get("PUBLIC_SITEURL") or self.settings.get("SITEURL") or "").rstrip("/")
        try:
            manifest = write_bulk(output, schemas, counties, code_hash(), site)
        except BulkError as error:
            logger.error("gongshi: 全站数据文件未更新，保留上次的 / the site's bulk files were not made again, the last "
                         "ones stay: %s", error)
            manifest = read_manifest(output)
        self.timings["bulk"] = time.perf_counter() - started
        self._write(writer, "data/", SiteDataPage(manifest, {n: t.get("title", n) for n, t in schemas.tables.items()}))
        self._write(writer, "keys/", KeysPage(write_trust_downloads(
            output / "keys", self.gongshi.keys_path, self.gongshi.province_key_fingerprint)))
        write_site_feed(output, site, counties)
        if self.gongshi.search:
            write_search_manifest(output, {c.code: c.name for c in counties})

