"""The Pelican generator that writes every data page straight from the county models."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import time
from dataclasses import replace
from pathlib import Path

from pelican.generators import Generator

from . import problems as report
from .diff import diff_tables
from .downloads import (
    write_county_downloads,
    write_log_downloads,
    write_spreadsheets,
    write_trust_downloads,
    write_version_downloads,
)
from .history import LOG, county_history, read_log
from .model import County, Rejection, build_county
from .pipeline import CountyCheck, check_county, find_packages
from .schemas import ALL_RESOURCES, load_schemas
from .search import SearchIndexError, index_county, write_search_manifest
from .settings import Settings, from_dict
from .verify import ALLOWED_SIGNERS, load_trust

logger = logging.getLogger(__name__)

# What each page template receives besides Pelican's own context; docs/templates.md documents it.
SITE_CONTEXT = ("gongshi_counties", "gongshi_today", "NATIONAL_HOTLINE", "gongshi_current_notices",
                "gongshi_recent_notices", "LINK_SUFFIX", "PROVINCE_KEY_FINGERPRINT")
PAGE_CONTEXT = {
    "home": (),
    "dictionary": ("schemas", "resources"),
    "county": ("county", "region"),
    "region": ("county", "region"),
    "unit": ("county", "unit"),
    "allocation": ("county", "allocation"),
    "project": ("county", "project"),
    "notice": ("county", "notice"),
    "data": ("county", "downloads"),
    "versions": ("county", "versions", "downloads"),
    "report": ("county", "problems"),
    "version": ("county", "version", "diffs", "downloads"),
    "keys": ("downloads",),
}


class GongshiGenerator(Generator):
    """Load, check and model every county package, then write home, place, unit, money and notice pages."""

    def _timed(self, stage: str, started: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started

    def generate_context(self) -> None:
        self.timings: dict[str, float] = {}
        started = time.perf_counter()
        # Relative paths in GONGSHI are taken from the site's folder, the one holding content/.
        base = Path(self.settings["PATH"]).resolve().parent
        self.gongshi: Settings = from_dict(self.settings.get("GONGSHI"), base=base)
        self.counties: list[County] = []
        self.rejected: list[CountyCheck] = []
        self.sources: dict[str, Path] = {}
        self.texts: dict[str, dict[str, str]] = {}
        self.reports: dict[str, list] = {}
        trust = load_trust(self.gongshi.keys_path / ALLOWED_SIGNERS, self.gongshi.province_key_fingerprint)
        for problem in trust[1]:
            logger.error("gongshi: %s %s %s", problem.path, problem.code, problem.message_en)
        for folder in find_packages(self.gongshi.data_path):
            check = check_county(folder, self.gongshi, trust)
            for problem in check.problems:
                log = logger.error if problem.is_error else logger.warning
                log("gongshi: %s:%s %s %s", problem.path, problem.row or "", problem.code, problem.message_en)
            rejection = None
            if not check.publishable:
                errors, _ = report.count(check.problems)
                self.rejected.append(check)
                fallback = self._last_good(check.county, trust)
                if fallback is None:
                    logger.error("gongshi: county %s not published: %d error(s); run gongshi validate %s",
                                 check.county, errors, folder)
                    continue
                logger.error("gongshi: county %s: latest submission rejected (%d error(s)); publishing its last good "
                             "version %d", check.county, errors, fallback[1].seq)
                self.reports[check.county] = check.problems
                rejection = Rejection(submitted_on(folder), errors, fallback[1].seq, fallback[1].date)
                check = fallback[0]
            package = check.package
            county = build_county(package.county, package.title, package.demo, check.tables)
            county.verified = check.verified
            county.rejection = rejection
            self.counties.append(county)
            self.sources[county.code] = package.folder
            self.texts[county.code] = {n: t.text for n, t in check.normalized.items() if t.text is not None}
        self.counties.sort(key=lambda c: c.code)
        self._timed("check_and_model", started)
        today = self.gongshi.current_date()
        notices = [n for c in self.counties for n in c.notices.values()]
        site = {
            "gongshi_counties": self.counties,
            "gongshi_today": today,
            "NATIONAL_HOTLINE": self.gongshi.national_hotline,
            "gongshi_current_notices": sorted((n for n in notices if n.is_current(today)),
                                              key=lambda n: (n.end_date, n.notice_id)),
            "gongshi_recent_notices": sorted(notices, key=lambda n: (n.start_date, n.notice_id), reverse=True)[:10],
            "LINK_SUFFIX": "index.html" if self.gongshi.index_links else "",
            "PROVINCE_KEY_FINGERPRINT": self.gongshi.province_key_fingerprint,
        }
        assert tuple(site) == SITE_CONTEXT
        self.context.update(site)

    def _last_good(self, county: str, trust):
        """Return (check, log entry) of the newest archived version of the county that passes every check."""
        history = county_history(self.gongshi.history_path, county)
        try:
            entries = read_log(history / LOG)
        except ValueError:
            return None
        for entry in reversed(entries):
            check = check_county(history / str(entry.seq), self.gongshi, trust)
            if check.publishable and check.county == county:
                return check, entry
        return None

    def _write(self, writer, url: str, template: str, **context) -> None:
        assert tuple(context) == PAGE_CONTEXT[template], (template, tuple(context))
        self.pages_written += 1
        writer.write_file(url + "index.html", self.get_template(template), self.context,
                          relative_urls=self.settings.get("RELATIVE_URLS", False), url=url, **context)

    def generate_output(self, writer) -> None:
        started = time.perf_counter()
        pages_before = self.pages_written = 0
        self._generate_output(writer)
        self._timed("output", started)
        # A benchmark asks for the stages' times by naming a file in GONGSHI_TIMINGS.
        if os.environ.get("GONGSHI_TIMINGS"):
            Path(os.environ["GONGSHI_TIMINGS"]).write_text(
                json.dumps({**self.timings, "pages": self.pages_written - pages_before}), encoding="utf-8")

    def _generate_output(self, writer) -> None:
        self._write(writer, "", "home")
        self._write(writer, "dictionary/", "dictionary", schemas=load_schemas(self.gongshi.schemas_path),
                    resources=ALL_RESOURCES)
        output = Path(self.output_path)
        keys = self.gongshi.keys_path
        self._write(writer, "keys/", "keys",
                    downloads=write_trust_downloads(output / "keys", keys, self.gongshi.province_key_fingerprint))
        for county in self.counties:
            self._write(writer, county.url, "county", county=county, region=county.root)
            downloads = write_county_downloads(output / county.code / "data", county.code, self.sources[county.code],
                                               keys)
            downloads += write_spreadsheets(output / county.code / "data", county.code, self.texts[county.code],
                                            load_schemas(self.gongshi.schemas_path))
            self._write(writer, f"{county.code}/data/", "data", county=county, downloads=downloads)
            self._write_versions(writer, county)
            if county.rejection:
                # File names only: the report is public and must not show where the build ran.
                problems = [replace(p, path=Path(p.path).name) for p in self.reports[county.code]]
                self._write(writer, f"{county.code}/report/", "report", county=county, problems=problems)
            for region in county.regions.values():
                if region.level != "county":
                    self._write(writer, region.url, "region", county=county, region=region)
            for unit in county.units.values():
                self._write(writer, unit.url, "unit", county=county, unit=unit)
            for allocation in county.allocations.values():
                self._write(writer, allocation.url, "allocation", county=county, allocation=allocation)
            for project in county.projects.values():
                self._write(writer, project.url, "project", county=county, project=project)
            for notice in county.notices.values():
                self._write(writer, notice.url, "notice", county=county, notice=notice)
            self._index(output / county.code)
        write_search_manifest(output, {c.code: c.name for c in self.counties})

    def _index(self, county_dir: Path) -> None:
        """Index the county's pages for search; a county that cannot be indexed is still published."""
        started = time.perf_counter()
        try:
            index_county(county_dir)
        except SearchIndexError as error:
            logger.error("%s", error)
        self._timed("search_index", started)

    def _write_versions(self, writer, county: County) -> None:
        """Write the county's version list and one page per published version with what changed."""
        output = Path(self.output_path) / county.code / "versions"
        history = county_history(self.gongshi.history_path, county.code)
        entries = read_log(history / LOG)
        schemas = load_schemas(self.gongshi.schemas_path)
        versions = []
        for entry in entries:
            previous = history / str(entry.seq - 1) if entry.seq > 1 else None
            diffs = diff_tables(previous, history / str(entry.seq), schemas)
            downloads = write_version_downloads(output / str(entry.seq), county.code, entry.seq,
                                                history / str(entry.seq), self.gongshi.keys_path, history / LOG)
            self._write(writer, f"{county.code}/versions/{entry.seq}/", "version", county=county, version=entry,
                        diffs=diffs, downloads=downloads)
            versions.append((entry, diffs))
        self._write(writer, f"{county.code}/versions/", "versions", county=county, versions=versions[::-1],
                    downloads=write_log_downloads(output, history / LOG))


def submitted_on(folder: Path) -> dt.date:
    """Return the day of the county's latest submission: its last git commit, else its newest file."""
    try:
        day = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "."], cwd=folder, capture_output=True,
                             text=True, timeout=30).stdout.strip()
        if day:
            return dt.date.fromisoformat(day)
    except (OSError, ValueError, subprocess.SubprocessError):
        pass
    newest = max((p.stat().st_mtime for p in folder.iterdir() if p.is_file()), default=0)
    return dt.datetime.fromtimestamp(newest, dt.UTC).date()
