"""One county's part of the site, built as an independent job.

A county's pages, downloads and versions depend only on its own package and history, the schemas, the trust file,
the theme, gongshi's code and the site settings. The job hashes all of these into a key, reading each file of the
package once (the checks, the signature, the fingerprint and the downloads then use the same bytes), builds the
county into a staging folder and swaps it in as `<output>/<code>/` with a stamp holding the key and a small summary
for the province pages. A later build whose key matches reuses the folder as it is. Jobs run in parallel processes;
any batch runner can run them apart (`invoke county`) and the province build then only merges.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import time
import traceback
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from .. import problems as report
from ..county import CountyCheck, as_archived, check_county
from ..forms.make import write_blank_forms, writer_of
from ..model import County, Rejection
from ..opendata.feeds import notice_day
from ..opendata.feeds import write_county as write_feeds
from ..opendata.oc4ids import Oc4idsError, Publication
from ..opendata.oc4ids import write as write_oc4ids
from ..opendata.pagedata import write_county as write_page_data
from ..opendata.pagedata import write_supervision as write_supervision_data
from ..opendata.sitemap import write_county as write_sitemap
from ..opendata.sqlite import write as write_database
from ..package.descriptor import DESCRIPTOR
from ..package.load import PackageFiles
from ..schemas import load_schemas
from ..settings import Settings
from ..supervision.report import attach, county_supervision, rates, summaries, write_csv
from ..trust.history import LOG, county_history, read_log
from .channels import query_code, write_channels
from .context import DataPage, FormsPage, PrintPage, ProblemPage, SupervisionPage
from .downloads import Download, download_of, write_county_downloads, write_spreadsheets
from .kept import read_kept
from .pages import PageWriter, verified_versions, write_county_pages, write_versions
from .search import SearchIndexError, index_county
from .sheetdoc import blocks, sheet_doc
from .sheets import package_fingerprint, print_key, sheets, write_manifest, write_print_pages

logger = logging.getLogger(__name__)

STAMP = ".gongshi-build.json"
RELEASES = ".gongshi-releases.json"  # the ids each signed release held, by archive stamp (supervision reads them)
STAGING = ".gongshi-staging"
CODE = Path(__file__).resolve().parents[1]  # the gongshi package

@dataclass(frozen=True)
class UnitName:
    name: str


@dataclass(frozen=True)
class NoticeSummary:
    """What the province pages show of a notice."""

    notice_id: str
    title: str
    url: str
    start_date: dt.date | None  # None: the notice states no period
    end_date: dt.date | None
    discloser: UnitName
    # The day a feed dates it by: its period's start, else the day it was published, else 1 January of its year.
    dated: dt.date | None = None

    def is_current(self, today: dt.date) -> bool:
        return self.start_date is not None and self.end_date is not None and self.start_date <= today <= self.end_date

    def is_upcoming(self, today: dt.date) -> bool:
        return self.start_date is not None and today < self.start_date


@dataclass(frozen=True)
class CountySummary:
    """What the province pages need of a built county; stored in its stamp so an unchanged county is not reloaded."""

    code: str
    name: str
    url: str
    demo: bool
    allocated_total: Decimal
    budget_total: Decimal
    project_count: int
    township_count: int
    notices: tuple[NoticeSummary, ...] = ()
    pages: int = 0
    # Per supervision rule: violations, the denominator of its rate (or None), the amount, whether judged.
    supervision: dict = field(default_factory=dict)
    # Seconds spent per stage when the county was built (empty when reused).
    timings: dict = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, county: County, pages: int, timings: dict, supervision: dict | None = None) -> CountySummary:
        notices = tuple(NoticeSummary(n.notice_id, n.title, n.url, n.start_date, n.end_date,
                                      UnitName(n.discloser_names), notice_day(county, n))
                        for n in county.notices.values())
        return cls(county.code, county.name, county.url, county.demo, county.root.allocated_total,
                   county.root.budget_total, county.root.project_count, len(county.townships), notices, pages,
                   supervision or {}, timings)

    def to_json(self) -> dict:
        data = asdict(self)
        data["allocated_total"], data["budget_total"] = str(self.allocated_total), str(self.budget_total)
        for notice in data["notices"]:
            for key in ("start_date", "end_date", "dated"):
                notice[key] = notice[key].isoformat() if notice[key] else None
        data.pop("timings")
        return data

    @classmethod
    def from_json(cls, data: dict) -> CountySummary:
        def day(text: str | None) -> dt.date | None:
            return dt.date.fromisoformat(text) if text else None

        notices = tuple(NoticeSummary(n["notice_id"], n["title"], n["url"], day(n["start_date"]), day(n["end_date"]),
                                      UnitName(n["discloser"]["name"]), day(n.get("dated")))
                        for n in data["notices"])
        return cls(data["code"], data["name"], data["url"], data["demo"], Decimal(data["allocated_total"]),
                   Decimal(data["budget_total"]), data["project_count"], data["township_count"], notices,
                   data["pages"], data.get("supervision") or {}, {})


def _hash_tree(digest, root: Path, label: str) -> None:
    """Feed every file under root (names and bytes, in a fixed order) into the digest."""
    if root.is_file():
        files = [root]
    elif root.is_dir():
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    else:
        files = []
    digest.update(f"\0{label}\0{len(files)}\0".encode())
    for path in files:
        digest.update(f"{path.relative_to(root) if path != root else path.name}\0".encode())
        with open(path, "rb") as fh:
            digest.update(hashlib.file_digest(fh, "sha256").digest())


@cache
def code_hash() -> str:
    """A hash of gongshi's own code and reference data: a new version rebuilds every county."""
    digest = hashlib.sha256()
    _hash_tree(digest, CODE, "code")
    return digest.hexdigest()


# The page templates a county's job renders (the province pages are Pelican's writer's).
COUNTY_TEMPLATES = ("county", "region", "unit", "allocation", "project", "notice", "data", "forms", "supervision",
                    "problem", "versions", "report", "version", "print", "now", "tv", "crawl", "itv", "wechat")


class CountySite:
    """Builds counties' folders of the site with the build's template environment and settings."""

    def __init__(self, env, context: dict, gongshi: Settings, output: Path, relative_urls: bool, trust,
                 theme: Path, site_settings: dict):
        self.gongshi = gongshi
        self.output = Path(output)
        # Where the public site is: printed QR codes, TV slides, SMS and feeds point there.
        self.public_url = str(site_settings.get("PUBLIC_SITEURL") or site_settings.get("SITEURL") or "").rstrip("/")
        self.trust = trust
        self.schemas = load_schemas(gongshi.schemas_path)
        self.writer = PageWriter(env, context, relative_urls, COUNTY_TEMPLATES)
        digest = hashlib.sha256(code_hash().encode())
        _hash_tree(digest, theme, "theme")
        _hash_tree(digest, gongshi.schemas_path, "schemas")
        _hash_tree(digest, gongshi.keys_path, "keys")
        # Where the files are does not matter, only what they hold (hashed above), so that jobs run on other
        # machines or checkouts give the same keys.
        ignored = ("data_path", "history_path", "schemas_path", "keys_path", "workers")
        settings = {k: str(v) for k, v in asdict(gongshi).items() if k not in ignored}
        settings["today"] = gongshi.current_date().isoformat()
        digest.update(json.dumps([settings, site_settings, relative_urls], sort_keys=True, default=str).encode())
        self.site_key = digest.hexdigest()
        self.print_key = print_key(theme)
        self._sheet_blocks: tuple = (None, [])  # the last sheet's tables (_print_page renders each sheet twice)
        # What a version's kept diff and bundle were made with: gongshi's code and the schemas.
        history = hashlib.sha256(code_hash().encode())
        _hash_tree(history, gongshi.schemas_path, "schemas")
        self.history_format = history.hexdigest()

    def key(self, files: PackageFiles) -> str:
        """The hash of everything the county's folder of the site depends on: the site's key, every file of the
        package, and the county's release log with the names and sizes of its archived files (a published version
        does not change; reading every version again would make each build cost more than the one before)."""
        digest = hashlib.sha256(self.site_key.encode())
        names = sorted(p.relative_to(files.folder).as_posix() for p in files.folder.rglob("*") if p.is_file())
        digest.update(f"\0package\0{len(names)}\0".encode())
        for name in names:
            digest.update(name.encode() + b"\0" + str(files.digest(name)).encode() + b"\0")
        history = county_history(self.gongshi.history_path, files.folder.name)
        for name in (LOG, LOG + ".sig"):
            digest.update(f"\0{name}\0".encode() + ((history / name).read_bytes() if (history / name).is_file()
                                                      else b"-"))
        listing = sorted((p.relative_to(history).as_posix(), p.stat().st_size) for p in history.rglob("*")
                         if p.is_file()) if history.is_dir() else []
        digest.update(json.dumps(listing).encode())
        return digest.hexdigest()

    def reusable(self, code: str, key: str) -> CountySummary | None:
        """Return the summary of the county's built folder if it was built with this key."""
        try:
            stamp = json.loads((self.output / code / STAMP).read_text(encoding="utf-8"))
            if stamp.get("key") == key:
                summary = CountySummary.from_json(stamp["summary"])
                return summary if summary.code == code else None
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def build(self, folder: Path) -> CountySummary | None:
        """Build one county, or reuse its folder when nothing it depends on changed; never raises. Returns its
        summary (with empty timings when reused), None when nothing of it can be published."""
        try:
            folder = Path(folder)
            files = PackageFiles(folder, self.gongshi.max_file_bytes)
            key = self.key(files)
            return self.reusable(folder.name, key) or self._build(folder, files, key)
        except Exception:  # a bug must not take the other counties down; the county keeps what it had
            logger.error("gongshi: %s 无法生成，页面保持原样 / county %s could not be built; its pages stay as they "
                         "were:\n%s", Path(folder).name, Path(folder).name, traceback.format_exc())
            return None

    def _build(self, folder: Path, files: PackageFiles, key: str) -> CountySummary | None:
        timings: dict[str, float] = {}
        started = time.perf_counter()
        checked = self._checked(folder, files)
        if checked is None:
            return None
        check, rejection, problems = checked
        county = check.model
        county.rejection = rejection
        county.fingerprint = package_fingerprint(check.package.files.get(DESCRIPTOR))
        newest = self._newest_release(county.code)
        county.version = rejection.version if rejection else (newest.seq if newest else 0)
        county.released_on = dt.date.fromisoformat(str(newest.date)[:10]) if newest else None
        timings["check"] = time.perf_counter() - started
        staging = self.output / STAGING / f"{county.code}.{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        self.writer.count = 0
        built = staging / county.code
        manifest, supervision = self._write(staging, county, check, problems, timings)
        summary = CountySummary.of(county, self.writer.count, timings, supervision)
        write_manifest(built, manifest)
        (built / STAMP).write_text(json.dumps({"key": key, "summary": summary.to_json()}, ensure_ascii=False),
                                   encoding="utf-8")
        self._swap(built, self.output / county.code)
        shutil.rmtree(staging, ignore_errors=True)
        return summary

    def _checked(self, folder: Path, files: PackageFiles) -> tuple[CountyCheck, Rejection | None, list] | None:
        """Check the county's newest submission, logging every problem. A submission that fails is replaced by the
        newest archived version that passes (with the rejection and its problems, for the report page); None when
        there is none."""
        check = check_county(folder, self.gongshi, self.trust, files,
                             verified_versions(self.output / folder.name, self.history_format))
        # Real notices leave out many facts: the build says how many in one line; `gongshi validate` lists each.
        unstated = [p for p in check.problems if p.code == "not-stated" and not p.is_error]
        for problem in check.problems:
            if problem.code == "not-stated" and not problem.is_error:
                continue
            log = logger.error if problem.is_error else logger.warning
            log("gongshi: %s", report.as_line(problem))
        if unstated:
            logger.warning("gongshi: %s：%d 项内容原公告未载明，网页显示“未载明”；逐项列出请运行 gongshi validate %s / "
                           "county %s: %d fact(s) not stated in its notices, shown as 未载明; gongshi validate %s "
                           "lists each", folder.name, len(unstated), folder, folder.name, len(unstated), folder)
        if check.publishable:
            return check, None, []
        errors, _ = report.count(check.problems)
        fallback = self._last_good(check.county)
        if fallback is None:
            logger.error("gongshi: %s 未发布：%d 个错误，请运行 gongshi validate %s / county %s not published: "
                         "%d error(s); run gongshi validate %s", check.county, errors, folder, check.county, errors,
                         folder)
            return None
        good, entry = fallback
        logger.error("gongshi: %s 最新提交未通过检查（%d 个错误），发布上一个通过检查的第 %d 版 / county %s: latest "
                     "submission rejected (%d error(s)); publishing its last good version %d", check.county, errors,
                     entry.seq, check.county, errors, entry.seq)
        problems = [self._public(p) for p in check.problems]
        return good, Rejection(submitted_on(folder), errors, entry.seq, entry.date), problems

    def _write(self, staging: Path, county: County, check: CountyCheck, problems: list,
               timings: dict) -> tuple[dict, dict]:
        """Write the county's pages, print pages, downloads and search index into staging; return its PDF
        manifest and the rates its supervision page shows, for the province's."""
        started = time.perf_counter()
        for notice in county.notices.values():
            notice.query_code = query_code(county.code, notice.notice_id, county.fingerprint)
        # What the previous build read of the county's releases, so that their archives are not read again.
        kept = read_kept(self.output / county.code / RELEASES)
        kept = kept.get("releases") if kept.get("format") == self.history_format else None
        supervision = county_supervision(check, self.gongshi, self.gongshi.current_date(),
                                         kept if isinstance(kept, dict) else None)
        built = staging / county.code
        built.mkdir(parents=True, exist_ok=True)
        (built / RELEASES).write_text(json.dumps({"format": self.history_format, "releases": supervision.releases.kept}),
                                      encoding="utf-8")
        attach(county, supervision)
        timings["supervision"] = time.perf_counter() - started
        write_county_pages(self.writer, staging, county, problems)
        part = time.perf_counter()
        write_page_data(staging, county, self.public_url, self.schemas.label)
        timings["page_data"] = time.perf_counter() - part  # part of "pages", as the next three are of "downloads"
        rules = self._write_supervision(staging, county, supervision)
        for problem in write_channels(self.writer, staging, county, self.gongshi, self.public_url):
            logger.warning("gongshi: %s", report.as_line(problem))
        _write_attachments(staging, county, check.package.files)
        timings["pages"] = time.perf_counter() - started
        # Pages made in each stage, so that a rate is a stage's pages over that stage's time (invoke bench).
        timings["pages_written"] = float(self.writer.count)
        started = time.perf_counter()
        sheet_list = sheets(county, self.gongshi.paper)
        manifest = write_print_pages(self._print_page, staging, county, sheet_list, county.fingerprint,
                                     county.version, self.output / county.code, self.print_key)
        timings["print"] = time.perf_counter() - started
        timings["print_pages"] = float(2 * len(sheet_list))  # each sheet in both paper sizes
        started = time.perf_counter()
        data = staging / county.code / "data"
        downloads = write_county_downloads(data, county.code, check.package.files, self.gongshi.keys_path)
        downloads += write_spreadsheets(data, county.code, check.texts, self.schemas)
        part = time.perf_counter()
        downloads += self._write_oc4ids(data, county, check)
        timings["oc4ids"] = time.perf_counter() - part
        part = time.perf_counter()
        downloads += self._write_database(data, county, check)
        timings["database"] = time.perf_counter() - part
        self.writer.write(staging, f"{county.code}/data/", DataPage(county, downloads))
        # The standard forms, blank with the county's own lists (gongshi forms makes prefilled ones).
        forms = write_blank_forms(staging / county.code / "forms", writer_of(check, self.schemas))
        self.writer.write(staging, f"{county.code}/forms/", FormsPage(county, forms))
        versions = write_versions(self.writer, staging, county, self.gongshi.history_path, self.gongshi.keys_path,
                                  self.schemas, self.output / county.code, check.clean_archives, self.history_format)
        part = time.perf_counter()
        write_feeds(staging, county, self.public_url, versions)
        timings["feeds"] = time.perf_counter() - part
        timings["downloads"] = time.perf_counter() - started
        write_sitemap(staging, county.code, self.public_url, county.released_on)
        if self.gongshi.search:
            started = time.perf_counter()
            try:
                index_county(staging / county.code)
            except SearchIndexError as error:  # the county is still published, without search
                logger.error("%s", error)
            timings["search"] = time.perf_counter() - started
        return manifest, rates(rules)

    def _write_oc4ids(self, data: Path, county: County, check: CountyCheck) -> list[Download]:
        """The county's projects in OC4IDS, validated against the official schema; nothing when they do not
        validate (a fault of gongshi's, logged), so that no invalid file is ever published."""
        if not county.projects:
            return []  # an OC4IDS package holds at least one project
        name = f"oc4ids-{county.code}.json"
        uri = f"{self.public_url}/{county.code}/data/{name}" if self.public_url else f"tag:gongshi,2026:{county.code}/oc4ids"
        released = county.released_on or self.gongshi.current_date()
        publication = Publication(uri, self.public_url, released, county.version, county.fingerprint,
                                  self.gongshi.oc4ids_prefix, self.gongshi.data_license)
        try:
            path = write_oc4ids(data / name, county, check.tables, publication, self.schemas.label)
        except Oc4idsError as error:
            logger.error("gongshi: %s", error)
            return []
        return [download_of(path, "项目数据（OC4IDS 0.9.5 开放合同基础设施数据标准，JSON）")]

    def _write_database(self, data: Path, county: County, check: CountyCheck) -> list[Download]:
        """The county's tables as a SQLite database with its Datasette metadata; nothing when it cannot be made
        (a fault of gongshi's, logged)."""
        try:
            path, meta = write_database(data, self.schemas, county, check.texts, self.public_url)
        except (sqlite3.Error, ValueError) as error:
            logger.error("gongshi: %s：SQLite 数据库未生成 / database not made: %s", county.code, error)
            return []
        return [download_of(path, "SQLite 数据库：全部数据表，带外键和全文检索（可用 Datasette 或任何 SQLite 工具打开）"),
                download_of(meta, "数据库说明（Datasette metadata.json：表和字段的中文名称和说明）")]

    def _write_supervision(self, staging: Path, county: County, supervision) -> list:
        """The county's supervision page with its findings as CSV, and a page per problem of its ledger."""
        rules = summaries(supervision, county)
        write_csv(staging / county.code / "supervision" / "findings.csv", supervision)
        titles = {name: self.schemas.tables[name].get("title", name) for name in supervision.missing}
        self.writer.write(staging, f"{county.code}/supervision/", SupervisionPage(
            county, supervision, rules, supervision.overdue(), titles,
            {r.code: r.name for r in county.townships}, {u.unit_id: u.name for u in county.units.values()}))
        for case in county.rectifications.values():
            self.writer.write(staging, case.url, ProblemPage(county, case))
        write_supervision_data(staging, county, supervision, rules, self.public_url, self.schemas.label)
        return rules

    def _public(self, problem: report.Problem) -> report.Problem:
        """The problem as the public report shows it: file names and the site's own folders, never where the build
        ran (messages name the package folder, as in `gongshi sign data/519901`)."""
        def local(text: str) -> str:
            for folder, name in ((self.gongshi.data_path, "data"), (self.gongshi.history_path, "history")):
                text = text.replace(f"{Path(folder).resolve()}{os.sep}", f"{name}/").replace(f"{folder}{os.sep}",
                                                                                            f"{name}/")
            return text

        return replace(problem, path=Path(problem.path).name, message=local(problem.message),
                       message_en=local(problem.message_en))

    def _newest_release(self, county: str):
        """The county's newest entry in its release log (its number and date), None before its first release."""
        try:
            entries = read_log(county_history(self.gongshi.history_path, county) / LOG)
        except (OSError, ValueError):
            return None
        return entries[-1] if entries else None

    def _print_page(self, sheet, paper: str, fingerprint: str) -> tuple[str, dict]:
        """The HTML of a sheet's print page on this paper, and the sheet model it shows (the PDF's); its tables are
        made once for both papers."""
        if self._sheet_blocks[0] is not sheet:
            self._sheet_blocks = (sheet, blocks(sheet, self.schemas.label))
        doc = sheet_doc(sheet, paper, fingerprint, self.gongshi.national_hotline, self.public_url,
                        self.schemas.label, self._sheet_blocks[1])
        return self.writer.html(sheet.paper_url(paper), PrintPage(None, sheet, paper, fingerprint, doc)), doc

    def _last_good(self, county: str):
        """Return (check, log entry) of the newest archived version of the county that passes every check."""
        history = county_history(self.gongshi.history_path, county)
        try:
            entries = read_log(history / LOG)
        except ValueError:
            return None
        for entry in reversed(entries):
            check = as_archived(check_county(history / str(entry.seq), self.gongshi, self.trust))
            if check.publishable and check.county == county:
                return check, entry
        return None

    @staticmethod
    def _swap(built: Path, target: Path) -> None:
        """Put the new folder in place of the old one, so a reader never sees a half-written county."""
        old = built.parent / (built.name + ".old")
        if target.exists():
            os.replace(target, old)
        os.replace(built, target)
        shutil.rmtree(old, ignore_errors=True)


def _write_attachments(staging: Path, county: County, files: PackageFiles) -> None:
    """Publish each notice's attachments beside its page (they passed the checks: safe paths, no personal data)."""
    for notice in county.notices.values():
        for name in notice.attachments:
            data = files.get(name)
            if data is not None:
                target = staging / notice.url / Path(name).name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)


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
