"""The data behind every page: `index.json` beside each county, place, unit, allocation, project and notice page,
and the page's tables as CSV (Excel-safe), with the same figures the page shows.

Money is text with two decimals, exactly as the data has it (a JSON number would round at 2^53); every file carries
the package version and fingerprint it was made from, so that a reader can tell which signed data it came from.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from ..dates import as_written as day
from ..money import cents
from ..site.spreadsheet import write_table

PROJECT_COLUMNS = (("project_id", "项目编号"), ("name", "项目名称"), ("year", "年度"), ("statusName", "状态"),
                   ("categoryName", "类别"), ("place", "实施地点"), ("budget", "总投资（元）"),
                   ("funded", "已落实资金（元）"), ("sources", "资金来源"), ("implementing_unit", "实施单位"),
                   ("url", "网址"))
ALLOCATION_COLUMNS = (("allocation_id", "资金编号"), ("document_no", "文号"), ("year", "年度"),
                      ("source", "资金来源"), ("amount", "金额（元）"), ("allocated_on", "分配日期"),
                      ("allocator", "分配单位"), ("recipient", "分配到"), ("drawn", "已安排到项目（元）"),
                      ("url", "网址"))
NOTICE_COLUMNS = (("notice_id", "公告编号"), ("title", "标题"), ("kindName", "类别"), ("start_date", "公示开始"),
                  ("end_date", "公示结束"), ("disclosers", "公开单位"), ("url", "网址"))


def money(amount: Decimal | None) -> str | None:
    """Text with two decimals, rounded as the page rounds it."""
    return None if amount is None else str(cents(amount))


# What a completion notice shows of each project besides the plan: when it was finished and what it cost.
COMPLETION_COLUMNS = (("completed_on", "竣工日期"), ("actual_spending", "实际支出（元）"),
                      ("management_fee", "其中管理费（元）"), ("remainder_recovered", "结余资金（元）"),
                      ("spending_note", "支出说明"))
HOUSEHOLD_TOTAL_COLUMNS = (("project_id", "项目编号"), ("project", "项目名称"), ("place", "乡镇（村）"),
                           ("households", "户数"), ("members", "人数"), ("subsidy", "补助金额（元）"), ("notes", "备注"))


def household_total_rows(projects) -> list[dict]:
    """The totals per township or village a notice publishes instead of its households, as the page's table."""
    return [{"project_id": p.project_id, "project": p.name, "place": b.region.full_name, "households": b.households,
             "members": b.members, "subsidy": money(b.subsidy), "notes": b.notes}
            for p in projects for b in p.household_totals]


def project_row(p, label) -> dict:
    """A project as the page's tables show it: codes with their Chinese names (statusName: 已验收)."""
    return {"project_id": p.project_id, "name": p.name, "year": p.year, "status": p.status,
            "statusName": label("projects", "status", p.status), "category": p.category,
            "categoryName": label("projects", "category", p.category),
            "place": p.region.full_name, "budget": money(p.budget), "funded": money(p.funded),
            "sources": "；".join(f"{f.allocation.source_name} {money(f.amount) or '未载明'}" for f in p.funds),
            "implementing_unit": p.implementing_unit.name, "url": p.url}


def completion(p) -> dict:
    return {"completed_on": day(p.completed_on), "actual_spending": money(p.actual_spending),
            "management_fee": money(p.management_fee), "remainder_recovered": money(p.remainder_recovered),
            "spending_note": p.spending_note}


def allocation_row(a) -> dict:
    return {"allocation_id": a.allocation_id, "document_no": a.document_no, "year": a.year,
            "source": a.source_name, "amount": money(a.amount), "allocated_on": day(a.allocated_on),
            "allocator": a.allocator.name, "recipient": a.recipient_region.full_name, "drawn": money(a.drawn),
            "url": a.url}


def notice_row(n, label) -> dict:
    return {"notice_id": n.notice_id, "title": n.title, "kind": n.kind, "kindName": label("notices", "kind", n.kind),
            "start_date": day(n.start_date),
            "end_date": day(n.end_date), "disclosers": n.discloser_names, "url": n.url}


class PageData:
    """Writes the JSON and CSV files beside a county's pages."""

    def __init__(self, root: Path, county, site: str, label):
        self.root = root
        self.county = county
        self.site = site  # the public site's address: a CSV's 网址 column is a link that opens from Excel
        self.label = label  # a code's Chinese name, from the Table Schemas
        self.count = 0

    def project_row(self, p) -> dict:
        return project_row(p, self.label)

    def notice_row(self, n) -> dict:
        return notice_row(n, self.label)

    def envelope(self, kind: str, url: str) -> dict:
        return {"kind": kind, "page": url, "county": self.county.code, "countyName": self.county.name,
                "packageVersion": self.county.version, "packageFingerprint": self.county.fingerprint}

    def write(self, url: str, kind: str, record: dict, tables: dict[str, tuple] | None = None) -> None:
        folder = self.root / url
        folder.mkdir(parents=True, exist_ok=True)
        data = {**self.envelope(kind, url), **record}
        files = {}
        for name, (columns, rows) in (tables or {}).items():
            files[name] = f"{name}.csv"
            _write_csv(folder / f"{name}.csv", columns, rows, self.site)
        if files:
            data["csv"] = files
        (folder / "index.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.count += 1

    def place(self, region) -> None:
        figures = {"allocatedTotal": money(region.allocated_total),
                   "throughProjectsTotal": money(region.through_projects_total),
                   "projectCount": region.project_count, "budgetTotal": money(region.budget_total),
                   "householdsTotal": region.households_total, "sharedProjects": len(region.shared_projects)}
        projects = [self.project_row(p) for p in region.projects]
        below = [self.project_row(p) for p in region.projects_below]
        allocations = [allocation_row(a) for a in region.allocations]
        notices = [self.notice_row(n) for n in region.notices]
        record = {"place": {"code": region.code, "name": region.name, "fullName": region.full_name,
                            "level": region.level}, "figures": figures, "projects": projects,
                  "projectsBelow": below, "allocations": allocations, "notices": notices,
                  "children": [{"code": c.code, "name": c.name, "allocatedTotal": money(c.allocated_total),
                                "projectCount": c.project_count, "budgetTotal": money(c.budget_total),
                                "url": c.url} for c in region.children]}
        self.write(region.url, "county" if region.level == "county" else "place", record, {
            "projects": (PROJECT_COLUMNS, projects + [r for r in below if r not in projects]),
            "allocations": (ALLOCATION_COLUMNS, allocations), "notices": (NOTICE_COLUMNS, notices)})

    def unit(self, unit) -> None:
        record = {"unit": {"unit_id": unit.unit_id, "name": unit.name, "kind": unit.kind,
                           "place": unit.region.full_name, "phone": unit.phone},
                  "figures": {"allocatedTotal": money(unit.allocated_total),
                              "receivedTotal": money(unit.received_total),
                              "implementedTotal": money(unit.implemented_total)},
                  "allocated": [allocation_row(a) for a in unit.allocated],
                  "received": [allocation_row(a) for a in unit.received],
                  "implemented": [self.project_row(p) for p in unit.implemented]}
        self.write(unit.url, "unit", record, {"projects": (PROJECT_COLUMNS, record["implemented"]),
                                              "received": (ALLOCATION_COLUMNS, record["received"]),
                                              "allocations": (ALLOCATION_COLUMNS, record["allocated"])})

    def allocation(self, a) -> None:
        funds = [{**self.project_row(f.project), "amount": money(f.amount)} for f in a.funds]
        record = {"allocation": {**allocation_row(a), "purpose": a.purpose, "basis": a.allocation_basis,
                                 "fundSource": a.kind, "fundLevel": a.level, "budgetSubject": a.budget_subject,
                                 "recipientUnit": a.recipient_unit.name if a.recipient_unit else None,
                                 "upstreamDocumentNo": a.upstream_document_no,
                                 "upstreamIssuedOn": day(a.upstream_issued_on), "receivedOn": day(a.received_on)},
                  "figures": {"amount": money(a.amount), "drawn": money(a.drawn), "remaining": money(a.remaining)},
                  "projects": funds, "notices": [self.notice_row(n) for n in a.notices],
                  "findings": [f.as_dict() for f in a.findings]}
        self.write(a.url, "allocation", record, {"projects": (
            (*PROJECT_COLUMNS[:-1], ("amount", "本笔资金安排（元）"), PROJECT_COLUMNS[-1]), funds)})

    def project(self, p) -> None:
        funds = [{**allocation_row(f.allocation), "amount_to_project": money(f.amount)} for f in p.funds]
        households = [{"household_id": b.household_id, "household": b.household, "place": b.region.full_name,
                       "members": b.members, "subsidy": money(b.subsidy), "paid_on": day(b.paid_on)}
                      for b in p.listed_households]
        record = {"project": {**self.project_row(p), "content": p.content, "location": p.location,
                              "start_date": day(p.start_date), "end_date": day(p.end_date),
                              "places": [r.full_name for r in p.regions], "responsible_person": p.responsible_person,
                              "construction_unit": p.construction_unit, "performance_targets": p.performance_targets,
                              "beneficiary_households": p.beneficiary_households,
                              "beneficiary_people": p.beneficiary_people, "completed_on": day(p.completed_on),
                              "actual_spending": money(p.actual_spending)},
                  "figures": {"budget": money(p.budget), "funded": money(p.funded),
                              "beneficiaryHouseholds": p.beneficiary_households},
                  "funds": funds, "households": households, "householdTotals": household_total_rows([p]),
                  "acceptances": [{"stage": a.stage, "accepted_on": day(a.accepted_on), "result": a.result,
                                   "inspectors": a.inspectors} for a in p.acceptances],
                  "indicators": [{"level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target,
                                  "unit": i.unit, "actual": i.actual} for i in p.indicators],
                  "supervisors": [{"unit": s.unit.name, "role": s.role, "person": s.person,
                                   "signed_on": day(s.signed_on)} for s in p.supervisors],
                  "problems": [{"problem_id": c.problem_id, "status": c.status, "deadline": day(c.deadline),
                                "url": c.url} for c in p.problems],
                  "notices": [self.notice_row(n) for n in p.notices],
                  "findings": [f.as_dict() for f in p.findings]}
        tables = {"funds": ((*ALLOCATION_COLUMNS[:-1], ("amount_to_project", "安排给本项目（元）"),
                             ALLOCATION_COLUMNS[-1]), funds)}
        if households:
            tables["households"] = ((("household_id", "户编号"), ("household", "户主"), ("place", "所在村"),
                                     ("members", "人口"), ("subsidy", "补助金额（元）"), ("paid_on", "发放日期")),
                                    households)
        if record["householdTotals"]:
            tables["household-totals"] = (HOUSEHOLD_TOTAL_COLUMNS, record["householdTotals"])
        self.write(p.url, "project", record, tables)

    def notice(self, n) -> None:
        """Each table the page shows: the allocations, the projects, the totals per township or village."""
        done = n.kind == "after-completion"
        allocations = [allocation_row(a) for a in n.allocations] if n.lists_allocations else []
        projects = [{**self.project_row(p), **(completion(p) if done else {})} for p in n.projects] \
            if n.lists_projects else []
        totals = household_total_rows(n.household_projects)
        spent = [p.actual_spending for p in n.projects if p.actual_spending is not None]
        figures = {"total": money(n.total) if isinstance(n.total, Decimal) else None,
                   "allocations": len(allocations), "projects": len(projects),
                   "projectsTotal": money(n.projects_total) if projects else None}
        if done:  # the page adds up the actual spending only when every project states it
            figures["actualSpendingTotal"] = money(sum(spent)) if spent and len(spent) == len(n.projects) else None
        record = {"notice": {**self.notice_row(n), "place": n.region.full_name, "published_on": day(n.published_on),
                             "periodDays": n.period_days},
                  "figures": figures, "allocations": allocations, "projects": projects, "householdTotals": totals}
        tables = {}
        if n.lists_allocations:
            tables["allocations"] = (ALLOCATION_COLUMNS, allocations)
        if n.lists_projects:
            columns = (*PROJECT_COLUMNS[:-1], *COMPLETION_COLUMNS, PROJECT_COLUMNS[-1]) if done else PROJECT_COLUMNS
            tables["projects"] = (columns, projects)
        if totals:
            tables["household-totals"] = (HOUSEHOLD_TOTAL_COLUMNS, totals)
        self.write(n.url, "notice", record, tables)


def write_supervision(root: Path, county, supervision, rules: list, site: str, label) -> None:
    """The data beside the supervision page (each rule's figures; the findings are in findings.csv beside it) and
    beside each problem's page."""
    data = PageData(root, county, site, label)
    record = {"today": supervision.today.isoformat(), "missingLedgers": list(supervision.missing),
              "rules": [{"code": r.info.code, "name": r.info.name, "violations": len(r.violations),
                         "rate": list(r.rate) if r.rate else None, "amount": money(r.amount), "pending": r.pending,
                         "cannotJudge": r.cannot_judge, "threshold": r.threshold_text, "source": r.source,
                         "judged": r.judged, "byTownship": r.by_township, "byUnit": r.by_unit} for r in rules],
              "overdue": [{**o.finding.as_dict(), "daysOverdue": o.days, "open": o.open}
                          for o in supervision.overdue()]}
    data.write(f"{county.code}/supervision/", "supervision", record)
    for case in county.rectifications.values():
        data.write(case.url, "problem", {"problem": {
            "problem_id": case.problem_id, "source": case.source, "found_on": day(case.found_on),
            "category": case.category, "description": case.description, "amount_involved": money(case.amount_involved),
            "project": case.project.project_id if case.project else None, "place": case.place.full_name
            if case.place else None, "responsible_unit": case.responsible_unit.name if case.responsible_unit else None,
            "responsible_person": case.responsible_person, "measures": case.measures, "deadline": day(case.deadline),
            "status": case.status, "rectified_on": day(case.rectified_on), "closed_on": day(case.closed_on),
            "verified_by": case.verified_by},
            "actions": [{"kind": a.kind, "taken_on": day(a.taken_on), "by": a.by_unit.name if a.by_unit else None,
                         "target": a.target_unit.name if a.target_unit else None, "document_no": a.document_no}
                        for a in case.actions],
            "findings": [f.as_dict() for f in case.findings]})


def _write_csv(path: Path, columns: tuple, rows: list[dict], site: str) -> None:
    """A table for Excel: a byte-order mark, Chinese headers, every text cell neutralised, and each page's whole
    address (网址), which Excel opens."""
    cells = [{**row, "url": f"{site}/{row['url']}"} if site and row.get("url") else row for row in rows]
    write_table(path, [[title for _, title in columns]],
                ([None if c.get(name) is None else str(c.get(name)) for name, _ in columns] for c in cells))


def write_county(root: Path, county, site: str, label) -> int:
    """Write the data beside every page of the county; return how many pages got it."""
    data = PageData(root, county, site, label)
    for region in county.regions.values():
        data.place(region)
    for unit in county.units.values():
        data.unit(unit)
    for allocation in county.allocations.values():
        data.allocation(allocation)
    for project in county.projects.values():
        data.project(project)
    for notice in county.notices.values():
        data.notice(notice)
    return data.count
