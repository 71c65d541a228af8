"""Supervision (监督): what an inspector asks of a county's records, computed from its tables, the thresholds, the
build day and the working-day calendar.

Each rule (supervision/rules.py) yields findings: a violation, a deadline still ahead (pending), or a case that
cannot be judged. Findings never block publication and never change what `validate` returns. Every threshold is a
setting with the document it comes from; a county may tighten a threshold in its datapackage.json
(`gongshi.supervision`), never relax it.

Whether a notice announced a project or an allocation is judged from the signed release history: only a release
published before the notice went up shows that the project was already in the data, so that a project added later
is not excused by a notice that never named it. Where the history begins after the notice, today's data is used,
and the finding says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .calendar import WorkCalendar

VIOLATION, PENDING, CANNOT_JUDGE = "violation", "pending", "cannot-judge"
RETENTION = Decimal("0.10")  # the quality retention (质量保证金) a project may hold back a year after acceptance
STATUS_NAMES = {VIOLATION: "违反", PENDING: "未到期", CANNOT_JUDGE: "无法判断"}


@dataclass(frozen=True)
class Threshold:
    default: object
    stricter: str  # "lower": a county may set less (fewer days); "higher": more (a higher rate)
    unit: str
    source: str


THRESHOLDS = {
    "allocation_notice_within": Threshold(
        15, "lower", "个工作日",
        "《关于完善扶贫资金项目公告公示制度的指导意见》（国务院扶贫办、财政部，2017）：资金分配结果在分配后 15 个工作日内公告"
        "（据县级政府信息公开目录引述）"),
    "after_completion_notice_within": Threshold(
        20, "lower", "个工作日", "《中华人民共和国政府信息公开条例》第二十六条：信息形成或变更之日起 20 个工作日内公开"),
    "upstream_transfer_within": Threshold(
        20, "lower", "个工作日", "中央财政专项扶贫资金拨付时限：资金到账后 20 个工作日内拨付到县（青海省做法，2017）"),
    "project_start_within": Threshold(
        30, "lower", "个工作日", "资金到县后 30 个工作日内完成前期准备并落地实施（青海省做法，2017）"),
    "funds_unassigned_after": Threshold(
        30, "lower", "个工作日", "资金到县后 30 个工作日内落实到项目（青海省做法，2017）"),
    "funds_idle_days": Threshold(
        (365, 730), "lower", "天", "审计署扶贫审计结果公告（2017、2018）：资金闲置一年以上、两年以上"),
    "disbursement_after_acceptance_within": Threshold(
        30, "lower", "个工作日",
        "县级财政报账制：项目完工验收后报账拨付，质量保证金不超过财政补助的 10%、一年后拨付（重庆市县级财政扶贫资金"
        "“4:5:1”报账做法）；30 个工作日是本站的默认期限，各县可按本地规定收紧"),
    "county_spot_check_min": Threshold(
        0.10, "higher", "", "三级验收：县级按不低于已验收项目 10% 的比例抽查（村级初验、乡级复验、县级抽查）"),
    "inspections_per_quarter": Threshold(1, "higher", "次", "县（区）每季度至少开展一次监督检查"),
    "rectification_escalate_after": Threshold(
        2, "lower", "次", "问责：督促后仍不整改的，依次约谈、暂停拨付、通报批评、移交处理"),
    "evaluation_window_years": Threshold(
        (1, 3), "lower", "年", "项目验收后 1 至 3 年开展绩效评估（项目验收绩效评估台账）"),
}


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    name_en: str
    test: str
    setting: str | None
    basis: str = ""  # the source of a rule without a threshold (one with a threshold cites the threshold's)


RULE_INFO = {r.code: r for r in (
    RuleInfo("allocation-notice-late", "公告不及时", "allocation result announced late",
             "资金分配后，分配结果公告在期限内发出", "allocation_notice_within"),
    RuleInfo("before-start-notice-missing", "实施前未公示", "no before-start notice",
             "项目开工前，实施前公示期已满", None,
             "《关于完善扶贫资金项目公告公示制度的指导意见》（国务院扶贫办、财政部，2017）：项目实施前公示、竣工后公告，"
             "公示期不少于 10 天"),
    RuleInfo("after-completion-notice-missing", "完工后未公告", "no completion notice",
             "项目验收合格后，竣工公告在期限内发出", "after_completion_notice_within"),
    RuleInfo("upstream-transfer-late", "上级资金到县滞后", "upstream transfer late",
             "上级下达资金后，在期限内到县", "upstream_transfer_within"),
    RuleInfo("project-start-late", "开工滞后", "project started late",
             "资金到位后，项目在期限内开工", "project_start_within"),
    RuleInfo("funds-unassigned", "资金未落实到项目", "funds not assigned to projects",
             "资金分配后，在期限内全部安排到项目", "funds_unassigned_after"),
    RuleInfo("funds-idle", "资金闲置", "funds idle",
             "资金没有安排到项目超过一年（两年）", "funds_idle_days"),
    RuleInfo("funds-undisbursed", "报账拨付滞后", "funds not paid out after acceptance",
             "项目验收合格后，除质量保证金外的资金在期限内报账拨付", "disbursement_after_acceptance_within"),
    RuleInfo("spot-check-below-minimum", "抽查比例不足", "county spot checks below the minimum",
             "每年县级验收抽查不少于已验收项目的规定比例", "county_spot_check_min"),
    RuleInfo("accepted-before-completion", "未完工先验收", "accepted before completion",
             "验收日期不早于竣工日期", None, "三级验收：项目竣工后由村级初验、乡级复验、县级抽查"),
    RuleInfo("supervisor-missing", "监管责任未落实", "no supervisor, or a letter signed after the start",
             "项目开工前落实监管单位、责任人并签订责任书", None,
             "四本台账之项目监管责任台账：每个项目明确监管单位和责任人，签订监管责任书，终身追责"),
    RuleInfo("inspection-frequency", "督查频次不足", "inspections less often than the rule",
             "县级每季度至少开展规定次数的监督检查", "inspections_per_quarter"),
    RuleInfo("rectification-overdue", "逾期未整改", "rectification overdue",
             "问题在整改时限内整改完成", None,
             "四本台账之问题整改台账：发现的问题明确整改措施、时限和责任人，按期整改、核查销号"),
    RuleInfo("rectification-escalate", "多次督促仍不整改", "still open after repeated reminders",
             "督促达到规定次数仍未整改的，升级问责", "rectification_escalate_after"),
    RuleInfo("evaluation-missing", "绩效评估未开展", "evaluation missing",
             "项目验收后规定年限内开展绩效评估", "evaluation_window_years"),
)}


class SupervisionSettingError(ValueError):
    """A supervision setting names no threshold, or relaxes one."""


def thresholds(site: dict | None = None, county: dict | None = None) -> tuple[dict, list[str]]:
    """The thresholds in force: the defaults, tightened by the site's settings and then by the county's; and a
    message for each setting refused because it would relax a threshold (or names none)."""
    values = {key: t.default for key, t in THRESHOLDS.items()}
    refused = []
    for origin, given in (("GONGSHI['supervision']", site or {}), ("datapackage.json gongshi.supervision", county or {})):
        for key, value in given.items():
            if key == "calendar":
                continue
            # What is refused is shown on the supervision page: a name is said back only when it could be a
            # setting's, a value never (a phone number typed here must not reach the page).
            name = key if isinstance(key, str) and re.fullmatch(r"[a-z0-9_]{1,40}", key) else "（无法识别的名称）"
            if key not in THRESHOLDS:
                refused.append(f"{origin}: 没有“{name}”这一项 / no threshold {name}")
                continue
            current = values[key]
            try:
                new = tuple(value) if isinstance(current, tuple) else type(current)(value)
            except (TypeError, ValueError):
                refused.append(f"{origin}: {key} 不是数 / not a number")
                continue
            if not _tighter_or_equal(new, current, THRESHOLDS[key].stricter):
                refused.append(f"{origin}: {key} 比默认的 {current!r} 宽松，只能收紧 / would relax {current!r}")
                continue
            values[key] = new
    return values, refused


def _tighter_or_equal(new, current, stricter: str) -> bool:
    pairs = zip(new, current, strict=True) if isinstance(current, tuple) else [(new, current)]
    try:
        return all((a <= b) if stricter == "lower" else (a >= b) for a, b in pairs)
    except ValueError:
        return False


@dataclass(frozen=True)
class Finding:
    """What a rule found about one allocation, project, problem, or the county as a whole."""

    code: str
    status: str
    subject: str  # allocation, project, problem, county
    subject_id: str
    title: str
    message: str
    message_en: str
    region_code: str | None = None
    township_code: str | None = None
    unit_id: str | None = None
    start: dt.date | None = None  # the event the deadline runs from
    due: dt.date | None = None
    actual: dt.date | None = None
    working_days: int | None = None  # from start to the actual date (or to the build day), where counted
    days: int | None = None  # days overdue or idle
    amount: Decimal | None = None
    url: str | None = None
    by_history: bool = True  # False: the release history does not reach back to the notice; today's data was used
    rate: tuple[int, int] | None = None  # numerator and denominator of a rate rule

    @property
    def name(self) -> str:
        return RULE_INFO[self.code].name

    def as_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if v is not None}
        for k, v in list(out.items()):
            if isinstance(v, dt.date):
                out[k] = v.isoformat()
            elif isinstance(v, Decimal):
                out[k] = f"{v:.2f}"
        out["name"] = self.name
        return out


@dataclass
class Releases:
    """The ids each signed release of a county held, and when it was published."""

    dates: list[dt.date] = field(default_factory=list)
    ids: list[dict[str, set[str]]] = field(default_factory=list)
    # By archive stamp, the ids read from each release: a later build reads only releases it has not seen.
    kept: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @classmethod
    def read(cls, history: Path | None, county: str, kept: dict | None = None) -> Releases:
        """The county's releases, reading each archived version's projects and allocations once: an archive whose
        stamp (its files' names, sizes and times) is in `kept` is taken from there."""
        from ..trust.history import LOG, archive_stamp, read_log

        out = cls()
        folder = Path(history) / county if history else None
        if folder is None or not (folder / LOG).is_file():
            return out
        for entry in read_log(folder / LOG):
            stamp = archive_stamp(folder, entry)
            was = (kept or {}).get(stamp)
            if isinstance(was, dict) and all(isinstance(was.get(name), list) for name, _ in RELEASE_IDS):
                ids = {name: set(was[name]) for name, _ in RELEASE_IDS}
            else:
                ids = {name: _ids(folder / str(entry.seq) / f"{name}.csv", key) for name, key in RELEASE_IDS}
            out.dates.append(dt.date.fromisoformat(str(entry.date)[:10]))
            out.ids.append(ids)
            out.kept[stamp] = {name: sorted(values) for name, values in ids.items()}
        return out

    def reaches(self, day: dt.date) -> bool:
        """Whether a release was published before day: the history can tell what the data held then."""
        return bool(self.dates) and self.dates[0] < day

    def held_before(self, table: str, key: str, day: dt.date) -> bool:
        return any(d < day and key in ids.get(table, set()) for d, ids in zip(self.dates, self.ids, strict=True))


RELEASE_IDS = (("projects", "project_id"), ("allocations", "allocation_id"))


ID_TITLES = {"project_id": "项目编号", "allocation_id": "资金编号"}


def _ids(path: Path, key: str) -> set[str]:
    """The ids an archived table held, under its field name or its Chinese title."""
    if not path.is_file():
        return set()
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    column = key if key in (reader.fieldnames or []) else ID_TITLES.get(key, key)
    return {row.get(column) or "" for row in reader} - {""}


@dataclass
class Context:
    """What every rule reads: the county's model and tables, the thresholds, the build day, the calendar and the
    release history; and the helpers that make its findings."""

    county: object  # model.County
    tables: dict[str, list[dict]]
    values: dict
    today: dt.date
    calendar: WorkCalendar
    releases: Releases
    kept: set[str]  # the optional ledgers the county keeps
    unverified: set[str] = field(default_factory=set)  # rule:table:id judged on today's data, not the history
    looked: dict[str, set[str]] = field(default_factory=dict)  # by rule, the cases it judged: a rate's denominator

    def value(self, key: str):
        return self.values[key]

    def late(self, start: dt.date, day: dt.date, within: int) -> bool | None:
        """Whether day is past a deadline of `within` working days from start. A deadline that falls on a holiday
        runs on to the next working day (Civil Code Art. 203), so a day is late only when more than `within` working
        days have passed by it. When a day between is of a year the calendar does not know, a day after a deadline
        the calendar does know is still late; otherwise None (cannot judge)."""
        counted = self.calendar.between(start, day)
        if counted is not None:
            return counted > within
        due = self.calendar.add(start, within)
        return True if due is not None and day > due else None

    def look(self, code: str, subject_id: str) -> None:
        """Count a case the rule judges (in time, late, pending or not judgeable), for its rate."""
        self.looked.setdefault(code, set()).add(subject_id)

    def keeps(self, table: str) -> bool:
        return table in self.kept

    def table(self, name: str) -> list[dict]:
        return self.tables.get(name) or []

    def projects(self):
        """The projects the rules judge: a cancelled project is not carried out."""
        return [p for p in self.county.projects.values() if p.status != "cancelled"]

    def announced(self, table: str, key: str, notice, code: str) -> bool:
        """Whether the notice announced this project or allocation: a release before it went up held it. When the
        history does not reach back that far, today's data answers, and the finding says so."""
        from .rules import notice_day

        day = notice_day(notice)
        if day is None or not self.releases.reaches(day):
            self.unverified.add(f"{code}:{table}:{key}")
            return True
        return self.releases.held_before(table, key, day)

    def _finding(self, code, status, subject, subject_id, title, message, message_en, region=None, unit=None,
                 url=None, start=None, due=None, actual=None, amount=None, days=None, rate=None) -> Finding:
        township = None
        if region is not None:
            township = next((r.code for r in [region, *region.ancestors] if r.level == "township"), None)
        counted = None
        if start is not None and (actual or self.today) and start <= (actual or self.today):
            counted = self.calendar.between(start, actual or self.today)
        return Finding(code, status, subject, subject_id, title, message, message_en,
                       region.code if region is not None else None, township,
                       unit, start, due, actual, counted, days, amount, url,
                       f"{code}:{subject}s:{subject_id}" not in self.unverified, rate)

    def allocation(self, a, code, status, message, message_en, start=None, due=None, actual=None, amount=None,
                   days=None, upstream=False) -> Finding:
        """A finding about an allocation, counted against the unit that made it and the place it went to; one about
        money reaching the county late (`upstream`) against the county as a whole."""
        title = " ".join(x for x in (a.document_no, a.purpose) if x) or a.allocation_id
        return self._finding(code, status, "allocation", a.allocation_id, title, message, message_en,
                             self.county.root if upstream else a.recipient_region,
                             None if upstream else a.allocator.unit_id, a.url, start, due, actual,
                             amount if amount is not None else a.amount, days)

    def project(self, p, code, status, message, message_en, start=None, due=None, actual=None, days=None,
                amount=None) -> Finding:
        return self._finding(code, status, "project", p.project_id, p.name, message, message_en, p.region,
                             p.implementing_unit.unit_id, p.url, start, due, actual,
                             amount if amount is not None else p.budget, days)

    def problem(self, row, code, status, message, message_en, due=None, actual=None, days=None) -> Finding:
        region = self.county.regions.get(row.get("region_code") or "")
        project = self.county.projects.get(row.get("project_id") or "")
        if region is None and project is not None:
            region = project.region  # where its project is
        text = row.get("description") or ""
        title = text[:40] + ("…" if len(text) > 40 else "")
        return self._finding(code, status, "problem", row["problem_id"], title, message, message_en, region,
                             row.get("responsible_unit_id"), f"{self.county.code}/problem/{row['problem_id']}/", None,
                             due, actual, row.get("amount_involved"), days)

    def whole(self, code, status, message, message_en, subject_id: str, rate=None) -> Finding:
        return self._finding(code, status, "county", subject_id, self.county.name, message, message_en,
                             self.county.root, None, None, rate=rate)


LEDGERS = ("supervisors", "inspections", "problems", "accountability_actions", "evaluations", "indicators",
           "disbursements")


def supervise(county, tables: dict[str, list[dict]], today: dt.date, values: dict | None = None,
              calendar: WorkCalendar | None = None, history: Path | None = None,
              kept: set[str] | None = None, releases: Releases | None = None,
              looked: dict[str, set[str]] | None = None) -> list[Finding]:
    """Every finding of every rule about one county, in the rules' order. `releases` are the county's signed
    releases when already read (else they are read from `history`); `looked`, when given, receives by rule the cases
    each rule judged."""
    from .rules import RULES

    ctx = Context(county, tables, values or thresholds()[0], today, calendar or WorkCalendar(),
                  releases if releases is not None else Releases.read(history, county.code),
                  kept if kept is not None else {name for name in LEDGERS if tables.get(name)})
    found = []
    for rule in RULES:
        found.extend(rule(ctx))
    if looked is not None:
        looked.update(ctx.looked)
    return found
