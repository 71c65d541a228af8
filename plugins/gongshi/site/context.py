"""What each page template receives: one record per page kind, and the names every page has.

`docs/templates.md` documents these records field by field, and `tests/test_templates.py` checks that the two agree.
A page is rendered from its record only, so a template can rely on exactly these names (besides Pelican's own).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any, ClassVar


@dataclass(frozen=True)
class SiteContext:
    """The names every page template receives."""

    gongshi_today: dt.date
    NATIONAL_HOTLINE: str
    LINK_SUFFIX: str
    PROVINCE_KEY_FINGERPRINT: str | None

    def names(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Page:
    """A page's own context; `template` names the template (theme/templates/<template>.html) that renders it."""

    template: ClassVar[str]

    def names(self) -> dict[str, Any]:
        """The record as template names (not a deep copy: the model objects are passed as they are)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class HomePage(Page):
    template = "home"
    counties: list
    current_notices: list
    recent_notices: list


@dataclass(frozen=True)
class DictionaryPage(Page):
    template = "dictionary"
    schemas: Any
    resources: tuple


@dataclass(frozen=True)
class CountyPage(Page):
    template = "county"
    county: Any
    region: Any


@dataclass(frozen=True)
class RegionPage(Page):
    template = "region"
    county: Any
    region: Any


@dataclass(frozen=True)
class UnitPage(Page):
    template = "unit"
    county: Any
    unit: Any


@dataclass(frozen=True)
class AllocationPage(Page):
    template = "allocation"
    county: Any
    allocation: Any


@dataclass(frozen=True)
class ProjectPage(Page):
    template = "project"
    county: Any
    project: Any


@dataclass(frozen=True)
class NoticePage(Page):
    template = "notice"
    county: Any
    notice: Any


@dataclass(frozen=True)
class DataPage(Page):
    template = "data"
    county: Any
    downloads: list


@dataclass(frozen=True)
class FormsPage(Page):
    template = "forms"
    county: Any
    forms: list


@dataclass(frozen=True)
class SupervisionPage(Page):
    template = "supervision"
    county: Any
    supervision: Any  # supervision.report.Supervision
    rules: list  # RuleSummary, in the rules' order
    overdue: list  # Finding, the longest overdue first
    ledger_titles: dict  # ledger table name: its Chinese title
    township_names: dict  # township code: name
    unit_names: dict  # unit id: name


@dataclass(frozen=True)
class ProblemPage(Page):
    template = "problem"
    county: Any
    problem: Any  # model.Rectification


@dataclass(frozen=True)
class ProvinceSupervisionPage(Page):
    template = "province_supervision"
    counties: list  # CountySummary, by code
    rules: list  # RuleInfo, in the rules' order
    today: dt.date


@dataclass(frozen=True)
class SiteDataPage(Page):
    template = "site_data"
    manifest: dict | None  # opendata/bulk.py: counties, files, keys
    titles: dict  # table name: its Chinese title


@dataclass(frozen=True)
class VersionsPage(Page):
    template = "versions"
    county: Any
    versions: list
    downloads: list


@dataclass(frozen=True)
class ReportPage(Page):
    template = "report"
    county: Any
    problems: list


@dataclass(frozen=True)
class VersionPage(Page):
    template = "version"
    county: Any
    version: Any
    diffs: list
    downloads: list


@dataclass(frozen=True)
class NowPage(Page):
    template = "now"
    county: Any
    summaries: list
    crawl: Any


@dataclass(frozen=True)
class TvPage(Page):
    template = "tv"
    county: Any
    place: Any
    summary: Any
    number: int
    count: int
    next_url: str
    seconds: int


@dataclass(frozen=True)
class CrawlPage(Page):
    template = "crawl"
    county: Any
    crawl: Any
    reload_seconds: int


@dataclass(frozen=True)
class ItvPage(Page):
    template = "itv"
    county: Any
    view: Any
    summaries: list
    summary: Any
    number: int
    pages: int
    prev_url: str | None
    next_url: str | None
    back_url: str


@dataclass(frozen=True)
class WechatPage(Page):
    template = "wechat"
    county: Any
    summary: Any
    title: str
    digest: str
    images: bool


@dataclass(frozen=True)
class KeysPage(Page):
    template = "keys"
    downloads: list


@dataclass(frozen=True)
class PrintPage(Page):
    template = "print"
    county: None
    sheet: Any
    paper: str
    fingerprint: str
    doc: dict  # the sheet as text (site/sheetdoc.py): heading, period, tables, as its PDF shows them


PAGES: tuple[type[Page], ...] = (HomePage, DictionaryPage, CountyPage, RegionPage, UnitPage, AllocationPage,
                                 ProjectPage, NoticePage, DataPage, FormsPage, SupervisionPage, ProblemPage,
                                 ProvinceSupervisionPage, SiteDataPage, VersionsPage, ReportPage, VersionPage, KeysPage, PrintPage,
                                 NowPage, TvPage, CrawlPage, ItvPage, WechatPage)
