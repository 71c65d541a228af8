"""Domain rules across a county's tables: money, dates, notice periods and the region tree."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

import polars as pl

from .. import dates, periods, sources
from ..money import yuan
from ..package import divisions
from ..package.records import ROW
from ..problems import Problem, error, warning

Tables = dict[str, list[dict]]
# The columns each rule reads: the rules are given records of these columns only (and the row number).
RULE_FIELDS = {
    "regions": ("code", "name", "level", "parent_code"),
    "allocations": ("allocation_id", "amount", "fund_source", "fund_level", "fund_name"),
    "projects": ("project_id", "start_date", "end_date", "budget", "status", "completed_on", "actual_spending",
                 "spending_note", "funding_note"),
    "project_funds": ("project_id", "allocation_id", "amount"),
    "acceptances": ("project_id", "stage", "accepted_on", "result"),
    "notices": ("notice_id", "kind", "start_date", "end_date", "published_on", "project_id", "attachments"),
}


def money_rules(tables: Tables, path) -> Iterator[Problem]:
    """Yield allocation-overspent and project-underfunded / project-overfunded."""
    drawn: dict[str, Decimal] = defaultdict(Decimal)
    drawn_rows: dict[str, list[int]] = defaultdict(list)
    funded: dict[str, Decimal] = defaultdict(Decimal)
    # Sources given without their amounts: the split was not published, so these sums cannot be judged.
    unsplit_allocations, unsplit_projects = set(), set()
    for fund in tables["project_funds"]:
        if fund["amount"] is None:
            unsplit_allocations.add(fund["allocation_id"])
            unsplit_projects.add(fund["project_id"])
            continue
        if fund["allocation_id"]:
            drawn[fund["allocation_id"]] += fund["amount"]
            drawn_rows[fund["allocation_id"]].append(fund[ROW])
        if fund["project_id"]:
            funded[fund["project_id"]] += fund["amount"]
    for allocation in tables["allocations"]:
        aid, amount = allocation["allocation_id"], allocation["amount"]
        if aid is None or amount is None or amount < 0:
            continue
        if drawn[aid] <= amount:
            if aid in unsplit_allocations:
                yield warning("cannot-judge", path("allocations"), allocation[ROW], "amount",
                              f"资金 {aid} 安排给项目的金额有未载明的，无法判断是否超支。",
                              f"Some amounts drawn from allocation {aid} are not stated: whether it is overspent "
                              "cannot be judged.")
            continue
        rows = "、".join(str(r) for r in drawn_rows[aid])
        over = drawn[aid] - amount
        yield error(
            "allocation-overspent", path("allocations"), allocation[ROW], "amount",
            f"资金 {aid} 分配了 {yuan(amount)}，但 project_funds.csv 第{rows}行共从中安排了 {yuan(drawn[aid])}，"
            f"超出 {yuan(over)}。请核对这些行的安排金额，或改正这笔资金的金额。",
            f"Allocation {aid} is {amount} yuan but project_funds.csv rows {rows} draw {drawn[aid]} yuan from it, "
            f"{over} more than allocated. Fix those amounts or the allocation's amount.",
        )
    for project in tables["projects"]:
        pid, budget = project["project_id"], project["budget"]
        if pid is None or budget is None or project["status"] == "cancelled":
            continue
        have = funded.get(pid, Decimal(0))
        if pid in unsplit_projects:
            yield warning("cannot-judge", path("projects"), project[ROW], "budget",
                          f"项目 {pid} 的资金来源有未载明金额的（按资金来源的分项未公开），无法判断资金是否足额。",
                          f"Project {pid} has sources whose amounts are not stated: whether it is fully funded "
                          "cannot be judged.")
        elif have < budget and project.get("funding_note"):
            yield warning("cannot-judge", path("projects"), project[ROW], "budget",
                          f"项目 {pid} 总投资 {yuan(budget)}，写明金额的资金来源共 {yuan(have)}；其余按资金来源说明"
                          f"（{project['funding_note'][:40]}）没有写金额，无法判断资金是否足额。",
                          f"Project {pid}: its sources with amounts give {have} of {budget} yuan; the rest is described "
                          "in funding_note without an amount, so whether it is fully funded cannot be judged.")
        elif have < budget:
            yield warning(
                "project-underfunded", path("projects"), project[ROW], "budget",
                f"项目 {pid} 总投资 {yuan(budget)}，但 project_funds.csv 只为它安排了 {yuan(have)}，"
                f"还差 {yuan(budget - have)}。如资金已落实，请在 project_funds.csv 补上资金来源。",
                f"Project {pid} has a budget of {budget} yuan but project_funds.csv funds only {have} yuan "
                f"({budget - have} short). Add its funding sources if they are settled.",
            )
        elif have > budget:
            yield warning(
                "project-overfunded", path("projects"), project[ROW], "budget",
                f"项目 {pid} 总投资 {yuan(budget)}，但 project_funds.csv 为它安排了 {yuan(have)}，"
                f"多出 {yuan(have - budget)}。请核对总投资或安排金额。",
                f"Project {pid} has a budget of {budget} yuan but project_funds.csv funds {have} yuan "
                f"({have - budget} more). Check the budget or the amounts.",
            )


def source_rules(tables: Tables, path) -> Iterator[Problem]:
    """Yield fund-name-missing for an "other" fund without its name, and fund-level-conflict for an older level code
    (central, provincial, city, county) whose fund_level says another level."""
    for allocation in tables["allocations"]:
        kind, level, name = allocation["fund_source"], allocation.get("fund_level"), allocation.get("fund_name")
        if kind == "other" and not name:
            yield error("fund-name-missing", path("allocations"), allocation[ROW], "fund_name",
                        "资金类别填了 other（其他资金），但没有写资金名称。请在「资金名称」（fund_name）列照原公告写这笔资金的名称，"
                        "如“乡村振兴示范村奖补资金”。",
                        "fund_source is other but fund_name is empty: give the fund's name as the notice writes it.")
        if kind in sources.LEGACY and level and level != kind:
            yield error("fund-level-conflict", path("allocations"), allocation[ROW], "fund_level",
                        f"资金类别 {kind} 是{sources.LEVELS[kind]}的衔接（专项扶贫）资金，但资金级次写的是"
                        f"{sources.LEVELS.get(level, level)}。请把资金类别改为 special-fund，级次照原公告填写。",
                        f"fund_source {kind} is the {kind} level's main fund but fund_level says {level}: write "
                        "special-fund as the kind and the level as the notice states it.")


def household_rules(table, path) -> Iterator[Problem]:
    """Yield household-total-with-name for a row that gives both a household's name and a number of households,
    and not-stated for a total row (no name) that gives neither how many households nor how many people."""
    frame = table.frame
    if frame is None or "households" not in frame.columns:
        return
    named, counted = pl.col("household") != "", pl.col("households") != ""
    odd = (frame.with_row_index("_i")
           .filter((named & counted) | (~named & ~counted & (pl.col("members") == "")))
           .select("_i", "household", "households", "project_id", "region_code"))
    for i, name, households, project, place in odd.iter_rows():
        row = table.rows[i] if i < len(table.rows) else i + 2
        if name:
            yield error("household-total-with-name", path("beneficiaries"), row, "households",
                        f"这一行既填了户主姓名（{name}），又填了户数（{households}）。列到户的行只填脱敏姓名，户数留空；"
                        "公告只按乡镇（村）公布合计的，姓名留空，填户数。",
                        "This row gives both a household's name and a number of households: a household's row leaves "
                        "households empty; a total row (a township's or village's total) leaves the name empty.")
        else:
            yield warning("not-stated", path("beneficiaries"), row, "households",
                          f"项目 {project} 在 {place} 的汇总行没有户数，也没有人数：网上和公示栏显示“未载明”。"
                          "原公告写了的，请照填；这一行本是一户的，请补上脱敏姓名。",
                          f"The total row of project {project} at {place} gives neither households nor people; it "
                          "is shown as not stated. If this row is one household, give its masked name.")


def date_rules(tables: Tables, path, min_notice_days: int, counting: str = periods.DEFAULT) -> Iterator[Problem]:
    """Yield date-order for dates out of order, and notice-period-too-short."""
    starts = {}
    for project in tables["projects"]:
        start, end = project["start_date"], project["end_date"]
        starts[project["project_id"]] = start
        if start and end and end < start:
            yield error(
                "date-order", path("projects"), project[ROW], "end_date",
                f"项目 {project['project_id']} 的完工日期 {dates.zh(end)} 早于开工日期 {dates.zh(start)}。请改正其中一个日期。",
                f"Project {project['project_id']} ends ({end}) before it starts ({start}); fix one of the dates.",
            )
    for acceptance in tables["acceptances"]:
        start, day = starts.get(acceptance["project_id"]), acceptance["accepted_on"]
        if start and day and day < start:
            yield error(
                "date-order", path("acceptances"), acceptance[ROW], "accepted_on",
                f"项目 {acceptance['project_id']} 的验收日期 {day} 早于开工日期 {start}。请改正验收日期。",
                f"Project {acceptance['project_id']} is accepted ({day}) before it starts ({start}); "
                "fix the acceptance date.",
            )
    for notice in tables["notices"]:
        yield from _notice_period(notice, path, min_notice_days, counting)
    yield from _notice_timing(tables, path)


def _notice_timing(tables: Tables, path) -> Iterator[Problem]:
    """Warn of a before-start notice dated after its project's time limit ended, and of a completion notice posted
    before its project was completed: dates written to the month or the year are compared with their precision."""
    projects = {p["project_id"]: p for p in tables["projects"]}
    for notice in tables["notices"]:
        project = projects.get(notice["project_id"])
        day = notice["start_date"] or notice["published_on"]
        if project is None or day is None:
            continue
        field = "start_date" if notice["start_date"] else "published_on"
        nid, pid = notice["notice_id"], project["project_id"]
        end, done = project["end_date"], project["completed_on"]
        if notice["kind"] == "before-start" and end and day > end:
            yield warning("notice-after-project-end", path("notices"), notice[ROW], field,
                          f"项目实施前公示 {nid} 的日期 {dates.zh(day)} 晚于项目 {pid} 的建设期限（到 {dates.zh(end)}）。"
                          "请照原公告核对；原公告确实如此的，不要改日期，这是一次事后的“实施前公示”。",
                          f"Before-start notice {nid} is dated {day}, after project {pid}'s time limit ended ({end}). "
                          "Check it against the notice; if the notice says so, leave the dates as they are.")
        first = dates.first_day(done)
        if notice["kind"] == "after-completion" and first and day < first:
            yield warning("notice-before-completion", path("notices"), notice[ROW], field,
                          f"竣工后公告 {nid} 的日期 {dates.zh(day)} 早于项目 {pid} 的竣工日期 {dates.zh(done)}。"
                          "请照原公告核对这两个日期。",
                          f"After-completion notice {nid} is dated {day}, before project {pid} was completed "
                          f"({done}). Check both dates against the notice.")


def spending_rules(tables: Tables, path) -> Iterator[Problem]:
    """Warn when a project's actual spending is above its budget and the notice gives no explanation."""
    for project in tables["projects"]:
        spent, budget = project["actual_spending"], project["budget"]
        if spent is None or budget is None or spent <= budget or project["spending_note"]:
            continue
        yield warning("spending-over-budget", path("projects"), project[ROW], "actual_spending",
                      f"项目 {project['project_id']} 的实际支出 {yuan(spent)} 超过总投资 {yuan(budget)}，多出 "
                      f"{yuan(spent - budget)}。请照原公告核对；原公告确实如此的，不要改数字，在「支出说明」"
                      "（spending_note）列照原公告写明原因，或写“原公告如此”。",
                      f"Project {project['project_id']} spent {spent} yuan, more than its budget of {budget}. Check "
                      "against the notice; if it says so, keep the figures and explain in spending_note.")


def _notice_period(notice: dict, path, min_notice_days: int, counting: str) -> Iterator[Problem]:
    """A period ending before it starts, or shorter than the minimum as the county's notices count it; a period not
    stated, or not countable (working days in a year whose calendar is not out), cannot be judged."""
    start, end, nid = notice["start_date"], notice["end_date"], notice["notice_id"]
    if start and end and end < start:
        yield error("date-order", path("notices"), notice[ROW], "end_date",
                    f"公示 {nid} 的结束日期 {end} 早于开始日期 {start}。请照原公告核对这两个日期。",
                    f"Notice {nid} ends ({end}) before it starts ({start}); check both against the notice.")
        return
    days = periods.count_days(start, end, counting)
    if days is None:
        why = "公示期未载明" if not (start and end) else "这两年的法定节假日还没有公布，无法数工作日"
        why_en = "its period is not stated" if not (start and end) else "the working-day calendar is not out yet"
        yield warning("cannot-judge", path("notices"), notice[ROW], "end_date" if start else "start_date",
                      f"公示 {nid}：{why}，无法判断公示期是否满 {min_notice_days} 天。",
                      f"Notice {nid}: {why_en}, so whether it ran {min_notice_days} days cannot be judged.")
    elif days < min_notice_days:
        unit = periods.unit(counting)
        yield error("notice-period-too-short", path("notices"), notice[ROW], "end_date",
                    f"公示 {nid} 的公示期从 {start} 到 {end}，共 {days} {unit}，少于规定的 {min_notice_days} 天。"
                    "请照原公告核对日期；原公告确实不足时，这是一次公示不合规定，请报告县乡村振兴部门并重新公示，"
                    "不要改动日期。",
                    f"Notice {nid} ran {start} to {end}: {days} ({periods.COUNTINGS[counting][1]}), fewer than the "
                    f"required {min_notice_days}. Check the dates against the notice; if it really ran shorter, "
                    "report it and post it again, do not change the dates.")


LEVEL_PARENT = {"township": "county", "village": "township"}


def expected_level(code: str) -> str:
    """Return the level a 12-digit code stands for: county, township or village."""
    if code[6:] == "000000":
        return "county"
    return "township" if code[9:] == "000" else "village"


def region_rules(tables: Tables, path, county: str) -> Iterator[Problem]:
    """Yield region-outside-county, region-parent-missing and friends for the region tree."""
    regions = {r["code"]: r for r in tables["regions"] if r["code"]}
    county_code = county + "000000"
    if county_code not in regions:
        yield error(
            "county-region-missing", path("regions"), None, "code",
            f"regions.csv 中没有本县自己的一行（代码 {county_code}，层级 county）。请添加。",
            f"regions.csv has no row for the county itself (code {county_code}, level county); add it.",
        )
    for region in tables["regions"]:
        code, level, parent_code = region["code"], region["level"], region["parent_code"]
        if not code:
            continue
        if not code.startswith(county):
            yield error(
                "region-outside-county", path("regions"), region[ROW], "code",
                f"区划代码 {code} 不在本县（{county}）范围内：本县的代码都以 {county} 开头。请改正代码，"
                "或把它放到它所属县的数据包中。",
                f"Region code {code} is not under this county ({county}): codes here start with {county}.",
            )
            continue
        if level in ("county", "township", "village") and expected_level(code) != level:
            yield error(
                "region-level-mismatch", path("regions"), region[ROW], "level",
                f"区划代码 {code} 按编码规则是{_LEVEL_ZH[expected_level(code)]}级，但层级填的是 {level}。"
                "请改正层级或代码（县：后6位为0；乡镇：后3位为0）。",
                f"Code {code} is a {expected_level(code)} code by its digits but the level says {level}.",
            )
            continue
        if level not in LEVEL_PARENT:
            continue
        parent = regions.get(parent_code) if parent_code else None
        if parent is None:
            yield error(
                "region-parent-missing", path("regions"), region[ROW], "parent_code",
                f"{region['name']}（{code}）的上级区划代码“{parent_code or ''}”在 regions.csv 中找不到。"
                f"请填写它所属{_LEVEL_ZH[LEVEL_PARENT[level]]}的12位代码，并确保那一行存在。",
                f"The parent {parent_code or '(empty)'!r} of {code} is not in regions.csv; write the code of its "
                f"{LEVEL_PARENT[level]} and make sure that row exists.",
            )
            continue
        wanted = code[:6] + "000000" if level == "township" else code[:9] + "000"
        if parent_code != wanted or parent["level"] != LEVEL_PARENT[level]:
            yield error(
                "region-parent-mismatch", path("regions"), region[ROW], "parent_code",
                f"{region['name']}（{code}）的上级应为 {wanted}，但填的是 {parent_code}。请改正。",
                f"The parent of {code} should be {wanted}, not {parent_code}.",
            )


_LEVEL_ZH = {"county": "县", "township": "乡镇", "village": "村"}


def division_rules(tables: Tables, path, county: str, descriptor: str) -> Iterator[Problem]:
    """Yield division-unknown for a county or township code that is not in the national list.

    Villages are not in the list and are not checked. A township merged away before the list's edition is not in
    it either, so this is a warning that says so."""
    listed = divisions.load()
    own = next((r["name"] for r in tables["regions"] if r["code"] == county + "000000"), None)
    if listed.county(county) is None:
        zh, en = divisions.unknown_county(county, own)
        yield warning("division-unknown", descriptor, None, "gongshi.county",
                      f"县级区划代码 {zh}请核对 datapackage.json 的 gongshi.county 和 regions.csv 中的代码。",
                      f"County code {en} Check gongshi.county in datapackage.json and the codes in regions.csv.")
        return  # its townships cannot be in the list either
    county_name = listed.county(county).name
    for region in tables["regions"]:
        code = region["code"]
        if not (code and code.isascii() and code.isdigit() and len(code) == 12) or not code.startswith(county) \
                or expected_level(code) != "township":
            continue  # a malformed code is the schema's error; another county's, region-outside-county
        if code[:9] in listed.townships:
            continue
        closest = "、".join(f"{t.code12} {t.name}" for t in listed.closest_townships(code, region["name"]))
        yield warning(
            "division-unknown", path("regions"), region[ROW], "code",
            f"乡镇（街道）代码 {code}（{region['name']}）不在国家统计局的统计用区划代码中。{county_name}最接近的乡镇："
            f"{closest}。请改正代码；如果这是已经撤并的乡镇（旧名称、旧代码，如2019年的资金），可以保留，此处仅作提醒。",
            f"Township code {code} ({region['name']}) is not in the National Bureau of Statistics' division "
            f"codes; the closest townships of {county_name} are {closest}. Fix the code, or keep it if the "
            "township has since been merged (old money under old names).",
        )
