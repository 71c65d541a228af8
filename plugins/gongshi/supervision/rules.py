"""The supervision rules, each a pure function of the county's records, the thresholds, the build day, the working-day
calendar and the signed release history. A rule yields findings: a violation, a deadline still ahead (pending), or
a case that cannot be judged (a date not stated, a year the calendar does not know). Rules whose ledger the county
does not keep yield nothing: the supervision page says which ledgers are missing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from ..dates import PartialDate
from . import CANNOT_JUDGE, PENDING, RETENTION, VIOLATION, Context, Finding

ALLOCATION_NOTICES = ("allocation-result", "allocation-and-projects")
OPEN = ("open", "in-progress")
UNCOUNTED = ("到今天的工作日数无法计算：其间有节假日安排尚未公布的年份。",
             "The working days up to today cannot be counted: a year between has no official calendar yet.")


def exact(day) -> dt.date | None:
    """A date to the day; None for a date not stated, or stated only to the month or the year."""
    if day is None or (isinstance(day, PartialDate) and day.precision != "day"):
        return None
    return day


def notice_day(notice) -> dt.date | None:
    """When a notice went up: its first day, else the date it is signed (落款)."""
    return exact(notice.start_date) or exact(notice.published_on)


def _last_passed(project) -> dt.date | None:
    days = [a.accepted_on for a in project.acceptances if a.result == "passed"]
    return max(days) if days else None


def allocation_notice_late(ctx: Context) -> Iterator[Finding]:
    within = ctx.value("allocation_notice_within")
    for a in ctx.county.allocations.values():
        start = exact(a.allocated_on)
        ctx.look("allocation-notice-late", a.allocation_id)
        if start is None:
            yield ctx.allocation(a, "allocation-notice-late", CANNOT_JUDGE, "资金的分配日期未载明，无法判断公告是否及时。",
                                 "The allocation's date is not stated: timeliness cannot be judged.")
            continue
        due = ctx.calendar.add(start, within)
        notices = [n for n in a.notices if n.kind in ALLOCATION_NOTICES
                   and ctx.announced("allocations", a.allocation_id, n, "allocation-notice-late")]
        days = sorted(d for d in (notice_day(n) for n in notices) if d)
        if due is None:
            yield ctx.allocation(a, "allocation-notice-late", CANNOT_JUDGE, "截止日所在年份的节假日安排尚未公布，无法计算工作日。",
                                 "The deadline falls in a year whose official calendar is not known yet.", start=start)
        elif days and ctx.late(start, days[0], within) is False:
            continue
        elif days:
            yield ctx.allocation(a, "allocation-notice-late", VIOLATION,
                                 f"{start.isoformat()} 分配，{days[0].isoformat()} 才公告，"
                                 f"超过 {within} 个工作日（应在 {due.isoformat()} 前）。",
                                 f"Allocated on {start}, announced only on {days[0]}: more than {within} working days "
                                 f"(due {due}).", start=start, due=due, actual=days[0])
        elif ctx.late(start, ctx.today, within):
            yield ctx.allocation(a, "allocation-notice-late", VIOLATION,
                                 f"{start.isoformat()} 分配，到 {ctx.today.isoformat()} 还没有分配结果公告（应在 {due.isoformat()} 前）。",
                                 f"Allocated on {start}; no allocation-result notice by {ctx.today} (due {due}).",
                                 start=start, due=due)
        elif ctx.late(start, ctx.today, within) is None:
            yield ctx.allocation(a, "allocation-notice-late", CANNOT_JUDGE, *UNCOUNTED, start=start, due=due)
        elif notices and not days:
            yield ctx.allocation(a, "allocation-notice-late", CANNOT_JUDGE, "分配结果公告的日期未载明，无法判断是否及时。",
                                 "The allocation-result notice states no date.", start=start, due=due)
        else:
            yield ctx.allocation(a, "allocation-notice-late", PENDING, f"应在 {due.isoformat()} 前公告分配结果。",
                                 f"The allocation result is due by {due}.", start=start, due=due)


def before_start_notice_missing(ctx: Context) -> Iterator[Finding]:
    for p in ctx.projects():
        start = exact(p.start_date)
        if p.status != "planned" or (start is not None and start <= ctx.today):
            ctx.look("before-start-notice-missing", p.project_id)
        notices = [n for n in p.notices if n.kind == "before-start"
                   and ctx.announced("projects", p.project_id, n, "before-start-notice-missing")]
        if start is None:
            if p.status not in ("planned",):
                yield ctx.project(p, "before-start-notice-missing", CANNOT_JUDGE,
                                  "开工日期未载明（或只写到月），无法判断实施前是否公示期满。",
                                  "The start date is not stated to the day.")
            continue
        ends = sorted(exact(n.end_date) for n in notices if exact(n.end_date))
        if ends and ends[0] <= start:
            continue
        if start > ctx.today:
            yield ctx.project(p, "before-start-notice-missing", PENDING,
                              f"项目计划 {start.isoformat()} 开工，开工前要公示期满" +
                              (f"（现在的公示到 {ends[0].isoformat()} 才期满）。" if ends else "。"),
                              f"Work is to start on {start}: its before-start notice must end by then.", due=start)
        elif ends:
            yield ctx.project(p, "before-start-notice-missing", VIOLATION,
                              f"实施前公示到 {ends[0].isoformat()} 才期满，项目 {start.isoformat()} 已开工：公示期未满即开工。",
                              f"The before-start notice ran until {ends[0]}, but work started on {start}.",
                              due=start, actual=ends[0])
        elif notices:
            yield ctx.project(p, "before-start-notice-missing", CANNOT_JUDGE, "实施前公示的结束日期未载明，无法判断开工前是否期满。",
                              "The before-start notice states no end date.", due=start)
        else:
            yield ctx.project(p, "before-start-notice-missing", VIOLATION,
                              f"项目 {start.isoformat()} 开工，没有实施前公示。",
                              f"Work started on {start} without a before-start notice.", due=start)


def after_completion_notice_missing(ctx: Context) -> Iterator[Finding]:
    within = ctx.value("after_completion_notice_within")
    for p in ctx.projects():
        accepted = _last_passed(p)
        if accepted is None:
            continue
        due = ctx.calendar.add(accepted, within)
        ctx.look("after-completion-notice-missing", p.project_id)
        notices = [n for n in p.notices if n.kind == "after-completion"
                   and ctx.announced("projects", p.project_id, n, "after-completion-notice-missing")]
        days = sorted(d for d in (notice_day(n) for n in notices) if d)
        if due is None:
            yield ctx.project(p, "after-completion-notice-missing", CANNOT_JUDGE, "截止日所在年份的节假日安排尚未公布。",
                              "The deadline falls in a year whose official calendar is not known yet.", start=accepted)
        elif days and ctx.late(accepted, days[0], within) is False:
            continue
        elif days:
            yield ctx.project(p, "after-completion-notice-missing", VIOLATION,
                              f"{accepted.isoformat()} 验收，{days[0].isoformat()} 才发竣工公告，超过 {within} 个工作日。",
                              f"Accepted on {accepted}, completion notice only on {days[0]}.", start=accepted, due=due,
                              actual=days[0])
        elif ctx.late(accepted, ctx.today, within):
            yield ctx.project(p, "after-completion-notice-missing", VIOLATION,
                              f"{accepted.isoformat()} 验收合格，到 {ctx.today.isoformat()} 还没有竣工公告（应在 {due.isoformat()} 前）。",
                              f"Accepted on {accepted}; no completion notice by {ctx.today} (due {due}).",
                              start=accepted, due=due)
        elif ctx.late(accepted, ctx.today, within) is None:
            yield ctx.project(p, "after-completion-notice-missing", CANNOT_JUDGE, *UNCOUNTED, start=accepted, due=due)
        else:
            yield ctx.project(p, "after-completion-notice-missing", PENDING, f"应在 {due.isoformat()} 前发竣工公告。",
                              f"The completion notice is due by {due}.", start=accepted, due=due)


def upstream_transfer_late(ctx: Context) -> Iterator[Finding]:
    within = ctx.value("upstream_transfer_within")
    for row in ctx.table("allocations"):
        issued, received = row.get("upstream_issued_on"), row.get("received_on")
        if issued is None or received is None:
            continue
        a = ctx.county.allocations.get(row["allocation_id"])
        if a is None:
            continue
        ctx.look("upstream-transfer-late", a.allocation_id)
        due = ctx.calendar.add(issued, within)
        if due is None:
            yield ctx.allocation(a, "upstream-transfer-late", CANNOT_JUDGE, "截止日所在年份的节假日安排尚未公布。",
                                 "The deadline falls in a year whose official calendar is not known yet.", start=issued,
                                 upstream=True)
        elif ctx.late(issued, received, within):
            yield ctx.allocation(a, "upstream-transfer-late", VIOLATION,
                                 f"上级 {issued.isoformat()} 下达（{row.get('upstream_document_no') or '文号未载明'}），"
                                 f"{received.isoformat()} 才到县，"
                                 f"超过 {within} 个工作日。",
                                 f"Issued upstream on {issued}, received only on {received}.", start=issued, due=due,
                                 actual=received, upstream=True)


def project_start_late(ctx: Context) -> Iterator[Finding]:
    within = ctx.value("project_start_within")
    # The deadline runs from the day the money reached the county (allocations.received_on), where it is recorded.
    received = {r["allocation_id"]: r.get("received_on") for r in ctx.table("allocations")}
    for p in ctx.projects():
        days = [d for d in (received.get(f.allocation.allocation_id) for f in p.funds) if d]
        if not days:
            continue
        ctx.look("project-start-late", p.project_id)
        funded = min(days)
        due = ctx.calendar.add(funded, within)
        start = exact(p.start_date)
        if due is None:
            yield ctx.project(p, "project-start-late", CANNOT_JUDGE, "截止日所在年份的节假日安排尚未公布。",
                              "The deadline falls in a year whose official calendar is not known yet.", start=funded)
        elif start is not None and start <= ctx.today and ctx.late(funded, start, within) is False:
            continue
        elif start is not None and start <= ctx.today:
            yield ctx.project(p, "project-start-late", VIOLATION,
                              f"资金 {funded.isoformat()} 到位，项目 {start.isoformat()} 才开工，超过 {within} 个工作日。",
                              f"Funds arrived on {funded}; work started only on {start}.", start=funded, due=due,
                              actual=start)
        elif ctx.late(funded, ctx.today, within):
            yield ctx.project(p, "project-start-late", VIOLATION,
                              f"资金 {funded.isoformat()} 到位，到 {ctx.today.isoformat()} 还没有开工（应在 {due.isoformat()} 前）。",
                              f"Funds arrived on {funded}; work has not started by {ctx.today} (due {due}).",
                              start=funded, due=due)
        elif ctx.late(funded, ctx.today, within) is None:
            yield ctx.project(p, "project-start-late", CANNOT_JUDGE, *UNCOUNTED, start=funded, due=due)
        else:
            yield ctx.project(p, "project-start-late", PENDING, f"应在 {due.isoformat()} 前开工。",
                              f"Work is due to start by {due}.", start=funded, due=due)


def funds_idle(ctx: Context) -> Iterator[Finding]:
    after = ctx.value("funds_unassigned_after")
    one, two = ctx.value("funds_idle_days")
    for a in ctx.county.allocations.values():
        start = exact(a.allocated_on)
        amounts = [f.amount for f in a.funds]
        if any(x is None for x in amounts):
            continue  # the split by project is not published: what is left cannot be told
        ctx.look("funds-unassigned", a.allocation_id)
        ctx.look("funds-idle", a.allocation_id)
        left = a.amount - sum(amounts, Decimal(0))
        if left <= 0:
            continue
        if start is None:
            yield ctx.allocation(a, "funds-unassigned", CANNOT_JUDGE, "有资金没有安排到项目，但分配日期未载明，无法判断闲置多久。",
                                 "Money is not assigned to projects; the allocation's date is not stated.", amount=left)
            continue
        idle = (ctx.today - start).days
        if idle > one:
            years = 2 if idle > two else 1
            yield ctx.allocation(a, "funds-idle", VIOLATION,
                                 f"{start.isoformat()} 分配的资金有 {left:,.2f} 元没有安排到项目，已闲置 {idle} 天（{years} 年以上）。",
                                 f"{left:,.2f} yuan allocated on {start} has been idle for {idle} days.",
                                 start=start, amount=left, days=idle)
            continue
        due = ctx.calendar.add(start, after)
        if due is None:
            yield ctx.allocation(a, "funds-unassigned", CANNOT_JUDGE, "截止日所在年份的节假日安排尚未公布。",
                                 "The deadline falls in a year whose official calendar is not known yet.", amount=left)
        elif ctx.late(start, ctx.today, after):
            yield ctx.allocation(a, "funds-unassigned", VIOLATION,
                                 f"{start.isoformat()} 分配的资金有 {left:,.2f} 元超过 {after} 个工作日没有安排到项目。",
                                 f"{left:,.2f} yuan allocated on {start} is not assigned to projects after {after} "
                                 "working days.", start=start, due=due, amount=left)
        elif ctx.late(start, ctx.today, after) is None:
            yield ctx.allocation(a, "funds-unassigned", CANNOT_JUDGE, *UNCOUNTED, start=start, due=due, amount=left)
        else:
            yield ctx.allocation(a, "funds-unassigned", PENDING,
                                 f"{left:,.2f} 元还没有安排到项目，应在 {due.isoformat()} 前安排。",
                                 f"{left:,.2f} yuan is to be assigned to projects by {due}.", start=start, due=due,
                                 amount=left)


def funds_undisbursed(ctx: Context) -> Iterator[Finding]:
    """After a project passes its acceptance, what it was given is paid out within the deadline, all but the quality
    retention (质量保证金, at most RETENTION of it, paid a year later): late when it is still unpaid after the
    deadline, or was paid in full only after it."""
    if not ctx.keeps("disbursements"):
        return
    within = ctx.value("disbursement_after_acceptance_within")
    payments: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for d in ctx.table("disbursements"):
        day = d.get("paid_on")
        if day is not None and day <= ctx.today and d.get("amount") is not None:
            payments[d["project_id"]].append((day, d["amount"]))
    for p in ctx.projects():
        done = _last_passed(p)
        if done is None or done > ctx.today or not p.split_stated or p.funded <= 0:
            continue
        ctx.look("funds-undisbursed", p.project_id)
        owed = (p.funded * (1 - RETENTION)).quantize(Decimal("0.01"))
        paid, reached = Decimal(0), None
        for day, amount in sorted(payments[p.project_id]):
            paid += amount
            if reached is None and paid >= owed:
                reached = day
        due = ctx.calendar.add(done, within)
        if reached is not None:
            if ctx.late(done, reached, within):
                yield ctx.project(p, "funds-undisbursed", VIOLATION,
                                  f"项目 {done.isoformat()} 验收合格，{reached.isoformat()} 才拨付到位（除 {RETENTION:.0%} "
                                  f"质量保证金外），超过 {within} 个工作日" + (f"（应在 {due.isoformat()} 前）。" if due else "。"),
                                  f"Accepted on {done}; paid out (besides the retention) only on {reached}, after "
                                  f"{within} working days.", start=done, due=due, actual=reached, amount=owed)
            continue
        unpaid = owed - paid
        said = (f"项目 {done.isoformat()} 验收合格，安排资金 {p.funded:,.2f} 元，已拨付 {paid:,.2f} 元，"
                f"除 {RETENTION:.0%} 质量保证金外还有 {unpaid:,.2f} 元没有拨付")
        said_en = (f"Accepted on {done}; {paid:,.2f} of {p.funded:,.2f} yuan paid, {unpaid:,.2f} yuan "
                   f"unpaid besides the {RETENTION:.0%} retention")
        late = ctx.late(done, ctx.today, within)
        if late:
            yield ctx.project(p, "funds-undisbursed", VIOLATION,
                              f"{said}，超过 {within} 个工作日" + (f"（应在 {due.isoformat()} 前拨付）。" if due else "。"),
                              f"{said_en}, after {within} working days.", start=done, due=due, amount=unpaid)
        elif late is None or due is None:
            yield ctx.project(p, "funds-undisbursed", CANNOT_JUDGE, *UNCOUNTED, start=done, due=due, amount=unpaid)
        else:
            yield ctx.project(p, "funds-undisbursed", PENDING, f"{said}，应在 {due.isoformat()} 前拨付。",
                              f"{said_en}; due by {due}.", start=done, due=due, amount=unpaid)


def spot_check(ctx: Context) -> Iterator[Finding]:
    minimum = ctx.value("county_spot_check_min")
    by_year: dict[int, list] = defaultdict(list)
    for p in ctx.projects():
        if p.status == "accepted":
            by_year[p.year].append(p)
    for year, accepted in sorted(by_year.items()):
        checked = [p for p in accepted if any(a.stage == "county" for a in p.acceptances)]
        rate = Decimal(len(checked)) / Decimal(len(accepted))
        if rate < Decimal(str(minimum)):
            yield ctx.whole("spot-check-below-minimum", VIOLATION,
                            f"{year} 年已验收项目 {len(accepted)} 个，县级抽查 {len(checked)} 个（{rate:.0%}），低于 {minimum:.0%}。",
                            f"{year}: {len(checked)} of {len(accepted)} accepted projects spot-checked by the county "
                            f"({rate:.0%}), below {minimum:.0%}.", subject_id=str(year), rate=(len(checked), len(accepted)))


def accepted_before_completion(ctx: Context) -> Iterator[Finding]:
    for p in ctx.projects():
        done = exact(p.completed_on)
        if done is None:
            continue
        ctx.look("accepted-before-completion", p.project_id)
        early = [a for a in p.acceptances if a.accepted_on < done]
        if early:
            first = min(a.accepted_on for a in early)
            yield ctx.project(p, "accepted-before-completion", VIOLATION,
                              f"项目 {done.isoformat()} 竣工，却在 {first.isoformat()} 就验收了。",
                              f"Completed on {done}, but accepted already on {first}.", due=done, actual=first)


def supervisor_missing(ctx: Context) -> Iterator[Finding]:
    if not ctx.keeps("supervisors"):
        return
    letters: dict[str, list[dict]] = defaultdict(list)
    for row in ctx.table("supervisors"):
        letters[row["project_id"]].append(row)
    for p in ctx.projects():
        start = exact(p.start_date)
        if p.status in ("planned", "cancelled") and (start is None or start > ctx.today):
            continue
        ours = letters.get(p.project_id, [])
        ctx.look("supervisor-missing", p.project_id)
        if not ours:
            yield ctx.project(p, "supervisor-missing", VIOLATION, "项目已开工，没有监管责任记录（监管单位、责任人和责任书）。",
                              "Work has started and no supervision responsibility is recorded.", due=start)
            continue
        signed = [r["signed_on"] for r in ours if r.get("signed_on")]
        if start is not None and signed and min(signed) > start:
            yield ctx.project(p, "supervisor-missing", VIOLATION,
                              f"监管责任书 {min(signed).isoformat()} 才签订，项目 {start.isoformat()} 已开工。",
                              f"The supervision letter was signed on {min(signed)}, after work started on {start}.",
                              due=start, actual=min(signed))


def inspection_frequency(ctx: Context) -> Iterator[Finding]:
    if not ctx.keeps("inspections"):
        return
    per = ctx.value("inspections_per_quarter")
    county_units = {u.unit_id for u in ctx.county.units.values() if u.region.level == "county"}
    rows = [r for r in ctx.table("inspections") if r.get("start_date")]
    if not rows:
        return
    first = min(r["start_date"] for r in rows)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for r in rows:
        if r.get("organizer_unit_id") in county_units:
            counts[(r["start_date"].year, (r["start_date"].month - 1) // 3 + 1)] += 1
    year, quarter = first.year, (first.month - 1) // 3 + 1
    now = (ctx.today.year, (ctx.today.month - 1) // 3 + 1)
    while (year, quarter) < now:  # the current quarter is not over yet
        if counts[(year, quarter)] < per:
            yield ctx.whole("inspection-frequency", VIOLATION,
                            f"{year} 年第 {quarter} 季度县级督查 {counts[(year, quarter)]} 次，少于每季度 {per} 次。",
                            f"{year} Q{quarter}: {counts[(year, quarter)]} county inspections, fewer than {per}.",
                            subject_id=f"{year}Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def rectification_overdue(ctx: Context) -> Iterator[Finding]:
    if not ctx.keeps("problems"):
        return
    for row in ctx.table("problems"):
        deadline, status, done = row.get("deadline"), row.get("status"), row.get("rectified_on")
        ctx.look("rectification-overdue", row["problem_id"])
        if deadline is None:
            if status in OPEN:
                yield ctx.problem(row, "rectification-overdue", CANNOT_JUDGE, "整改时限未载明，无法判断是否逾期。",
                                  "The deadline is not stated.")
            continue
        if status in OPEN and ctx.today > deadline:
            late = (ctx.today - deadline).days
            yield ctx.problem(row, "rectification-overdue", VIOLATION,
                              f"整改时限 {deadline.isoformat()}，到 {ctx.today.isoformat()} 仍未整改完成，逾期 {late} 天。",
                              f"Due on {deadline}; still open on {ctx.today}, {late} days overdue.", due=deadline,
                              days=late)
        elif status in OPEN:
            yield ctx.problem(row, "rectification-overdue", PENDING, f"整改时限 {deadline.isoformat()}。",
                              f"To be rectified by {deadline}.", due=deadline)
        elif done is not None and done > deadline:
            late = (done - deadline).days
            yield ctx.problem(row, "rectification-overdue", VIOLATION,
                              f"整改时限 {deadline.isoformat()}，{done.isoformat()} 才整改完成，逾期 {late} 天。",
                              f"Due on {deadline}, rectified only on {done}: {late} days late.", due=deadline,
                              actual=done, days=late)


def rectification_escalate(ctx: Context) -> Iterator[Finding]:
    if not ctx.keeps("accountability_actions") or not ctx.keeps("problems"):
        return
    after = max(1, ctx.value("rectification_escalate_after"))  # at least one reminder before escalating
    actions: dict[str, list[dict]] = defaultdict(list)
    for row in ctx.table("accountability_actions"):
        actions[row["problem_id"]].append(row)
    for row in ctx.table("problems"):
        taken = actions.get(row["problem_id"], [])
        if row.get("status") in OPEN:
            ctx.look("rectification-escalate", row["problem_id"])
        if row.get("status") in OPEN and len(taken) >= after:
            yield ctx.problem(row, "rectification-escalate", VIOLATION,
                              f"已督促 {len(taken)} 次（最近一次 {max(a['taken_on'] for a in taken).isoformat()}），"
                              "仍未整改：应当升级问责。",
                              f"{len(taken)} actions taken and still open: escalate.", days=len(taken))


def evaluation_missing(ctx: Context) -> Iterator[Finding]:
    if not ctx.keeps("evaluations"):
        return
    low, high = ctx.value("evaluation_window_years")
    done: dict[str, list[dt.date]] = defaultdict(list)
    for row in ctx.table("evaluations"):
        if row.get("evaluated_on"):
            done[row["project_id"]].append(row["evaluated_on"])
    for p in ctx.projects():
        accepted = _last_passed(p)
        if accepted is None or p.status != "accepted":
            continue
        ctx.look("evaluation-missing", p.project_id)
        opens, closes = _years_after(accepted, low), _years_after(accepted, high)
        if any(opens <= d <= closes for d in done.get(p.project_id, [])):
            continue
        if ctx.today > closes:
            yield ctx.project(p, "evaluation-missing", VIOLATION,
                              f"{accepted.isoformat()} 验收，{low}–{high} 年内没有绩效评估。",
                              f"Accepted on {accepted}; no evaluation within {low} to {high} years.", start=accepted,
                              due=closes)
        elif ctx.today >= opens:
            yield ctx.project(p, "evaluation-missing", PENDING, f"应在 {closes.isoformat()} 前开展绩效评估。",
                              f"An evaluation is due by {closes}.", start=accepted, due=closes)


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


RULES = (allocation_notice_late, before_start_notice_missing, after_completion_notice_missing, upstream_transfer_late,
         project_start_late, funds_idle, funds_undisbursed, spot_check, accepted_before_completion, supervisor_missing,
         inspection_frequency, rectification_overdue, rectification_escalate, evaluation_missing)
