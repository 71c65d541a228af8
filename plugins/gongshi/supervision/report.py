"""Supervision findings for people and programs: in the one error shape (`gongshi supervise`), as an Excel-safe CSV,
and summed up per rule, township and unit for the supervision page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..package.records import ROW
from ..problems import Problem
from ..site.spreadsheet import write_table
from . import CANNOT_JUDGE, PENDING, RULE_INFO, STATUS_NAMES, THRESHOLDS, VIOLATION, Finding, RuleInfo
from . import supervise as run_rules
from . import thresholds as merge_thresholds
from .calendar import WorkCalendar

TABLE_OF = {"allocation": ("allocations", "allocation_id"), "project": ("projects", "project_id"),
            "problem": ("problems", "problem_id")}
FIELD_OF = {"allocation-notice-late": "allocated_on", "upstream-transfer-late": "received_on",
            "funds-unassigned": "amount", "funds-idle": "amount", "before-start-notice-missing": "start_date",
            "project-start-late": "start_date", "after-completion-notice-missing": "status",
            "accepted-before-completion": "completed_on", "supervisor-missing": "project_id",
            "evaluation-missing": "project_id", "funds-undisbursed": "project_id", "rectification-overdue": "deadline",
            "rectification-escalate": "status"}
SITE_WIDE = ("calendar",)


@dataclass
class Supervision:
    """A county's findings and what they were judged by."""

    findings: list[Finding]
    values: dict
    refused: list[str]
    today: dt.date
    kept: set[str]
    missing: list[str] = field(default_factory=list)  # ledgers the county does not keep
    releases: object = None  # the county's signed releases (Releases), as read for this judgement
    looked: dict[str, set[str]] = field(default_factory=dict)  # by rule, the cases it judged

    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.status == VIOLATION]

    def overdue(self) -> list[Overdue]:
        """Violations past a deadline: those still not done, the longest overdue first, then those done late."""
        late = [Overdue(f, ((f.actual or self.today) - f.due).days, f.actual is None)
                for f in self.violations() if f.due is not None and f.code not in NOT_DEADLINES]
        return sorted(late, key=lambda o: (not o.open, -o.days, o.finding.code, o.finding.subject_id))


# Rules whose `due` is a day to compare with, not a deadline that runs out (completion before acceptance).
NOT_DEADLINES = ("accepted-before-completion",)


@dataclass(frozen=True)
class Overdue:
    """A violation past its deadline: still not done today (`open`), or done late; by how many days."""

    finding: Finding
    days: int
    open: bool


def county_supervision(check, settings, today: dt.date, kept_releases: dict | None = None) -> Supervision:
    """Judge one checked county on `today` with the site's thresholds, tightened by the county's own.
    `kept_releases` is what an earlier build read of the county's releases (`Supervision.releases.kept`)."""
    from . import LEDGERS, Releases

    site = dict(getattr(settings, "supervision", None) or {})
    county = (check.package.descriptor.get("gongshi") or {}).get("supervision") or {}
    values, refused = merge_thresholds(site, county)
    years = {**(site.get("calendar") or {})}
    kept = {name for name in LEDGERS if name in (check.package.resources or {})}
    releases = Releases.read(settings.history_path, check.model.code, kept_releases)
    looked: dict[str, set[str]] = {}
    findings = run_rules(check.model, check.tables, today, values, WorkCalendar(years), settings.history_path, kept,
                         releases, looked)
    missing = [name for name in LEDGERS if name not in kept]
    return Supervision(findings, values, refused, today, kept, missing, releases, looked)


def as_problems(supervision: Supervision, check, show_all: bool = False) -> list[Problem]:
    """The findings in the one error shape: the table's file, the row and column a clerk or inspector opens."""
    rows = {}
    for subject, (table, key) in TABLE_OF.items():
        for record in check.tables.get(table) or []:
            rows[(subject, str(record.get(key)))] = record.get(ROW)
    out = []
    for f in supervision.findings:
        if f.status != VIOLATION and not show_all:
            continue
        table = TABLE_OF.get(f.subject, ("datapackage", None))[0]
        path = check.package.display_path(table) if f.subject in TABLE_OF else str(check.package.folder /
                                                                                     "datapackage.json")
        mark = "" if f.status == VIOLATION else f"[{STATUS_NAMES[f.status]}] "
        mark_en = "" if f.status == VIOLATION else f"[{f.status}] "
        out.append(Problem(f.code, "warning", path, rows.get((f.subject, f.subject_id)),
                           FIELD_OF.get(f.code) if f.subject in TABLE_OF else None,
                           f"{mark}{f.name}：{f.subject_id}（{f.title}）{f.message}",
                           f"{mark_en}{RULE_INFO[f.code].name_en}: {f.subject_id}. {f.message_en}"))
    return out


COLUMNS = (("code", "规则代码"), ("name", "问题"), ("status", "状态"), ("subject", "对象"), ("subject_id", "编号"),
           ("title", "名称"), ("township_code", "乡镇"), ("unit_id", "单位"), ("start", "起算日期"),
           ("due", "截止日期"), ("actual", "实际日期"), ("working_days", "工作日"), ("days", "天数"),
           ("amount", "金额（元）"), ("by_history", "按发布历史判断"), ("message", "说明"))


def write_csv(target: Path, supervision: Supervision) -> Path:
    """Every finding as a row, for Excel: a byte-order mark, Chinese headers over field names, every text cell
    neutralised so that a spreadsheet shows it and never runs it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for f in supervision.findings:
        values = {**f.as_dict(), "status": STATUS_NAMES[f.status], "by_history": "是" if f.by_history else "否"}
        rows.append([str(values.get(name, "")) for name, _ in COLUMNS])
    write_table(target, [[title for _, title in COLUMNS], [name for name, _ in COLUMNS]], rows)
    return target


@dataclass
class RuleSummary:
    """One rule on the supervision page: its findings, their amount, a rate where the rule has a denominator, and
    the findings by township."""

    info: RuleInfo
    violations: list[Finding]
    pending: int
    cannot_judge: int
    amount: Decimal
    rate: tuple[int, int] | None
    threshold: object
    unit: str
    source: str
    by_township: dict[str, int]
    by_unit: dict[str, int]
    judged: bool  # False when the county does not keep the ledger the rule reads

    @property
    def threshold_text(self) -> str:
        """The threshold as the page states it: 15 个工作日, 10%, 365、730 天."""
        value = self.threshold
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:.0%}"
        if isinstance(value, tuple):
            return "、".join(str(v) for v in value) + " " + self.unit
        return f"{value} {self.unit}".strip()


NEEDS = {"supervisor-missing": "supervisors", "inspection-frequency": "inspections",
         "rectification-overdue": "problems", "rectification-escalate": "accountability_actions",
         "evaluation-missing": "evaluations", "funds-undisbursed": "disbursements"}


def summaries(supervision: Supervision, county) -> list[RuleSummary]:
    """Per rule, in the order of the rules: what the page shows. A rule's rate is its cases in violation over the
    cases it judged; a rule not applied (its ledger is not kept) has none."""
    out = []
    for code, info in RULE_INFO.items():
        mine = [f for f in supervision.findings if f.code == code]
        bad = [f for f in mine if f.status == VIOLATION]
        towns: dict[str, int] = defaultdict(int)
        units: dict[str, int] = defaultdict(int)
        for f in bad:
            # "" is the county as a whole; "?" a case whose place is not stated.
            towns[f.township_code or ("" if f.region_code else "?")] += 1
            if f.unit_id:
                units[f.unit_id] += 1
        amount = sum((f.amount for f in bad if f.amount is not None and f.subject != "project"), Decimal(0))
        if code in ("funds-idle", "funds-unassigned", "funds-undisbursed"):
            amount = sum((f.amount for f in bad if f.amount is not None), Decimal(0))
        threshold = THRESHOLDS.get(info.setting) if info.setting else None
        judged = NEEDS.get(code) is None or NEEDS[code] in supervision.kept
        rate = None
        if judged and code in RATED:
            rate = (len({f.subject_id for f in bad}), len(supervision.looked.get(code, ())))
        out.append(RuleSummary(info, bad, sum(f.status == PENDING for f in mine),
                               sum(f.status == CANNOT_JUDGE for f in mine), amount, rate,
                               supervision.values.get(info.setting) if info.setting else None,
                               threshold.unit if threshold else "", threshold.source if threshold else info.basis,
                               dict(towns), dict(units), judged))
    return out


# The rules judged case by case (an allocation, a project, a problem), which therefore have a rate; the others judge
# the county as a whole (a year's spot checks, a quarter's inspections).
RATED = ("allocation-notice-late", "before-start-notice-missing", "after-completion-notice-missing",
         "upstream-transfer-late", "project-start-late", "funds-unassigned", "funds-idle", "funds-undisbursed",
         "accepted-before-completion", "supervisor-missing", "rectification-overdue", "rectification-escalate",
         "evaluation-missing")

def attach(county, supervision: Supervision) -> None:
    """Give each allocation, project and problem of the model the findings about it, for its page."""
    for item in (*county.allocations.values(), *county.projects.values(), *county.rectifications.values()):
        item.findings = []
    owners = {"allocation": county.allocations, "project": county.projects, "problem": county.rectifications}
    for f in supervision.findings:
        owner = owners.get(f.subject, {}).get(f.subject_id)
        if owner is not None and f.status == VIOLATION:
            owner.findings.append(f)


def rates(rules: list[RuleSummary]) -> dict[str, list]:
    """What the province page compares of a county, per rule: violations, the denominator of its rate (None for a
    rule without one), the amount involved, whether the county keeps the ledger the rule reads, and the cases that
    cannot be judged."""
    return {r.info.code: [len(r.violations), r.rate[1] if r.rate else None, f"{r.amount:.2f}", r.judged,
                          r.cannot_judge] for r in rules}
