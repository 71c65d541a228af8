"""One county's part of the site, built as an independent job.

A county's pages, downloads and versions depend only on its own package and history, the schemas, the trust file,
the theme, gongshi's code and the site settings. The job hashes all of these into a key, builds the county into a
staging folder and swaps it in as `<output>/<code>/` with a stamp holding the key and a small summary for the
province pages. A later build whose key matches reuses the folder as it is. Jobs run in parallel processes; any
batch runner can run them apart (`invoke county`) and the province build then only merges.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import subprocess
import time
import traceback
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from .. import problems as report
from ..county import check_county
from ..model import County, Rejection, build_county
from ..schemas import load_schemas
from ..settings import Settings
from ..trust.diff import diff_tables
from ..trust.history import LOG, county_history, read_log
from .downloads import (
    write_county_downloads,
    write_log_downloads,
    write_spreadsheets,
    write_version_downloads,
)
from .search import SearchIndexError, index_county
from .sheets import (
    load_qr_masks,
    package_fingerprint,
    print_key,
    sheets,
    write_manifest,
    write_print_pages,
    write_qr_masks,
)

logger = logging.getLogger(__name__)

STAMP = ".gongshi-build.json"
STAGING = ".gongshi-staging"
CODE = Path(__file__).resolve().parents[1]  # the gongshi package

# What each page template receives besides the site context; docs/templates.md documents it.
PAGE_CONTEXT = {
    "home": ("counties", "current_notices", "recent_notices"),
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
    "print": ("county", "sheet", "paper", "fingerprint"),
}


@dataclass(frozen=True)
class UnitName:
    name: str


@dataclass(frozen=True)
class NoticeSummary:
    """What the province pages show of a notice."""

    notice_id: str
    title: str
    url: str
    start_date: dt.date
    end_date: dt.date
    discloser: UnitName

    def is_current(self, today: dt.date) -> bool:
        return self.start_date <= today <= self.end_date


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
    # Seconds spent per stage when the county was built (empty when reused).
    timings: dict = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, county: County, pages: int, timings: dict) -> CountySummary:
        notices = tuple(NoticeSummary(n.notice_id, n.title, n.url, n.start_date, n.end_date,
                                      UnitName(n.discloser.name)) for n in county.notices.values())
        return cls(county.code, county.name, county.url, county.demo, county.root.allocated_total,
                   county.root.budget_total, county.root.project_count, len(county.townships), notices, pages, timings)

    def to_json(self) -> dict:
        data = asdict(self)
        data["allocated_total"], data["budget_total"] = str(self.allocated_total), str(self.budget_total)
        for notice in data["notices"]:
            notice["start_date"], notice["end_date"] = notice["start_date"].isoformat(), notice["end_date"].isoformat()
        data.pop("timings")
        return data

    @classmethod
    def from_json(cls, data: dict) -> CountySummary:
        notices = tuple(NoticeSummary(n["notice_id"], n["title"], n["url"], dt.date.fromisoformat(n["start_date"]),
                                      dt.date.fromisoformat(n["end_date"]), UnitName(n["discloser"]["name"]))
                        for n in data["notices"])
        return cls(data["code"], data["name"], data["url"], data["demo"], Decimal(data["allocated_total"]),
                   Decimal(data["budget_total"]), data["project_count"], data["township_count"], notices,
                   data["pages"], {})


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


class CountySite:
    """Builds counties' folders of the site with the build's template environment and settings."""

    def __init__(self, env, context: dict, gongshi: Settings, output: Path, relative_urls: bool, trust,
                 theme: Path, site_settings: dict):
        self.env = env
        self.context = context
        self.gongshi = gongshi
        self.output = Path(output)
        self.relative_urls = relative_urls
        self.trust = trust
        self.schemas = load_schemas(gongshi.schemas_path)
        self.templates = {name: env.get_template(f"{name}.html") for name in PAGE_CONTEXT}
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

    # --- keys and stamps -------------------------------------------------------------------------------------------

    def key(self, folder: Path) -> str:
        """The hash of everything the county's folder of the site depends on."""
        digest = hashlib.sha256(self.site_key.encode())
        _hash_tree(digest, folder, "package")
        _hash_tree(digest, county_history(self.gongshi.history_path, folder.name), "history")
        return digest.hexdigest()

    def reusable(self, code: str, key: str) -> CountySummary | None:
        """Return the summary of the county's built folder if it was built with this key."""
        try:
            stamp = json.loads((self.output / code / STAMP).read_text(encoding="utf-8"))
            if stamp.get("key") == key:
                return CountySummary.from_json(stamp["summary"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    # --- building ---------------------------------------------------------------------------------------------------

    def build(self, folder: Path, key: str) -> CountySummary | None:
        """Build one county; never raises. Returns its summary, None when nothing of it can be published."""
        try:
            return self._build(Path(folder), key)
        except Exception:  # a bug must not take the other counties down; the county keeps what it had
            logger.error("gongshi: %s 无法生成，页面保持原样 / county %s could not be built; its pages stay as they "
                         "were:\n%s", Path(folder).name, Path(folder).name,
                         traceback.format_exc())
            return None

    def _build(self, folder: Path, key: str) -> CountySummary | None:
        timings: dict[str, float] = {}
        started = time.perf_counter()
        check = check_county(folder, self.gongshi, self.trust)
        for problem in check.problems:
            log = logger.error if problem.is_error else logger.warning
            log("gongshi: %s", report.as_line(problem))
        rejection, problems = None, []
        if not check.publishable:
            errors, _ = report.count(check.problems)
            fallback = self._last_good(check.county)
            if fallback is None:
                logger.error("gongshi: %s 未发布：%d 个错误，请运行 gongshi validate %s / county %s not published: "
                             "%d error(s); run gongshi validate %s", check.county, errors, folder, check.county, errors,
                             folder)
                return None
            logger.error("gongshi: %s 最新提交未通过检查（%d 个错误），发布上一个通过检查的第 %d 版 / county %s: latest "
                         "submission rejected (%d error(s)); publishing its last good version %d", check.county, errors,
                         fallback[1].seq, check.county, errors, fallback[1].seq)
            problems = [self._public(p) for p in check.problems]
            rejection = Rejection(submitted_on(folder), errors, fallback[1].seq, fallback[1].date)
            check = fallback[0]
        package = check.package
        version = rejection.version if rejection else self._latest_version(check.county)
        county = build_county(package.county, package.title, package.demo, check.tables)
        county.verified = check.verified
        county.rejection = rejection
        county.fingerprint, county.version = package_fingerprint(package.folder), version
        timings["check"] = time.perf_counter() - started

        staging = self.output / STAGING / f"{county.code}.{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        self.pages = 0
        load_qr_masks(self.output / county.code)
        started = time.perf_counter()
        self._pages(staging, county, problems)
        timings["pages"] = time.perf_counter() - started
        started = time.perf_counter()
        manifest = write_print_pages(self._print_page, staging, county, sheets(county, self.gongshi.paper),
                                     county.fingerprint, version, self.output / county.code, self.print_key)
        timings["print"] = time.perf_counter() - started
        started = time.perf_counter()
        texts = {n: t.text for n, t in check.normalized.items() if t.text is not None}
        self._downloads(staging, county, package.folder, texts)
        timings["downloads"] = time.perf_counter() - started
        if self.gongshi.search:
            started = time.perf_counter()
            try:
                index_county(staging / county.code)
            except SearchIndexError as error:  # the county is still published, without search
                logger.error("%s", error)
            timings["search"] = time.perf_counter() - started
        pages = self.pages
        summary = CountySummary.of(county, pages, timings)
        built = staging / county.code
        write_manifest(built, manifest)
        write_qr_masks(built, f"/{county.code}/")
        (built / STAMP).write_text(json.dumps({"key": key, "summary": summary.to_json()}, ensure_ascii=False),
                                   encoding="utf-8")
        self._swap(built, self.output / county.code)
        shutil.rmtree(staging, ignore_errors=True)
        return summary

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

    def _latest_version(self, county: str) -> int:
        """The number of the county's newest published version (0 before its first release)."""
        try:
            entries = read_log(county_history(self.gongshi.history_path, county) / LOG)
        except (OSError, ValueError):
            return 0
        return entries[-1].seq if entries else 0

    def _print_page(self, sheet, paper: str, fingerprint: str) -> str:
        """The HTML of a sheet's print page on this paper."""
        return self.page_html(sheet.paper_url(paper), "print", county=None, sheet=sheet, paper=paper,
                              fingerprint=fingerprint)

    def _last_good(self, county: str):
        """Return (check, log entry) of the newest archived version of the county that passes every check."""
        history = county_history(self.gongshi.history_path, county)
        try:
            entries = read_log(history / LOG)
        except ValueError:
            return None
        for entry in reversed(entries):
            check = check_county(history / str(entry.seq), self.gongshi, self.trust)
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

    def render(self, root: Path, url: str, template: str, **context) -> None:
        """Render one page to root/url/index.html, as Pelican's writer would."""
        path = root / url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(self.page_html(url, template, **context))

    def page_html(self, url: str, template: str, **context) -> str:
        """The HTML of the page at url, as Pelican's writer would make it."""
        assert tuple(context) == PAGE_CONTEXT[template], (template, tuple(context))
        local = self.context.copy()
        if self.relative_urls:
            depth = url.count("/")
            local["SITEURL"] = "/".join([".."] * depth) if depth else "."
        local["output_file"] = url + "index.html"
        local.update(context)
        self.pages += 1
        return self.templates[template].render(local)

    def _pages(self, root: Path, county: County, problems: list) -> None:
        page = self.render
        page(root, county.url, "county", county=county, region=county.root)
        if county.rejection:
            page(root, f"{county.code}/report/", "report", county=county, problems=problems)
        for region in county.regions.values():
            if region.level != "county":
                page(root, region.url, "region", county=county, region=region)
        for unit in county.units.values():
            page(root, unit.url, "unit", county=county, unit=unit)
        for allocation in county.allocations.values():
            page(root, allocation.url, "allocation", county=county, allocation=allocation)
        for project in county.projects.values():
            page(root, project.url, "project", county=county, project=project)
        for notice in county.notices.values():
            page(root, notice.url, "notice", county=county, notice=notice)

    def _downloads(self, root: Path, county: County, package: Path, texts: dict[str, str]) -> None:
        keys = self.gongshi.keys_path
        downloads = write_county_downloads(root / county.code / "data", county.code, package, keys)
        downloads += write_spreadsheets(root / county.code / "data", county.code, texts, self.schemas)
        self.render(root, f"{county.code}/data/", "data", county=county, downloads=downloads)
        self._versions(root, county)

    def _versions(self, root: Path, county: County) -> None:
        """Write the county's version list and one page per published version with what changed."""
        output = root / county.code / "versions"
        history = county_history(self.gongshi.history_path, county.code)
        entries = read_log(history / LOG)
        versions = []
        for entry in entries:
            previous = history / str(entry.seq - 1) if entry.seq > 1 else None
            diffs = diff_tables(previous, history / str(entry.seq), self.schemas)
            downloads = write_version_downloads(output / str(entry.seq), county.code, entry.seq,
                                                history / str(entry.seq), self.gongshi.keys_path, history / LOG)
            self.render(root, f"{county.code}/versions/{entry.seq}/", "version", county=county, version=entry,
                        diffs=diffs, downloads=downloads)
            versions.append((entry, diffs))
        self.render(root, f"{county.code}/versions/", "versions", county=county, versions=versions[::-1],
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
