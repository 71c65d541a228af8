"""Build a county's model: link its checked records (places, units, allocations, projects, notices), derive each
notice's table and the places and units it covers, and add up the totals of every place once."""

from __future__ import annotations

from . import periods
from .ledger_model import Action, Evaluation, Indicator, Inspection, Rectification, Supervisor
from .model import (
    KIND_TITLES,
    PROJECT_NOTICE_STATUS,
    ZERO,
    Acceptance,
    Allocation,
    Beneficiary,
    County,
    HouseholdSum,
    Notice,
    PlaceSubsidy,
    Project,
    ProjectFund,
    Region,
    Unit,
    day_key,
    notice_day,
)
from .package.records import ROW, list_items

INDICATOR_FIELDS = ("indicator_id", "level1", "level2", "name", "target", "unit", "actual", "weight", "score",
                    "deviation_reason")
EVALUATION_FIELDS = ("evaluation_id", "evaluated_on", "kind", "score", "grade", "operating", "summary")


def _fields(record: dict, names: tuple[str, ...]) -> dict:
    return {n: record[n] for n in names}


def _picked(record: dict, names: tuple[str, ...]) -> dict:
    """The named fields of a ledger record; a column the table does not have (an optional one) is empty."""
    return {n: record.get(n) for n in names}


def build_county(code: str, title: str, demo: bool, tables: dict[str, list[dict]],
                 counting: str = periods.DEFAULT) -> County:
    """Link a checked county's records into a model; call only when the checks found no errors. `counting` is
    how the county's notices count their period."""
    regions = _regions(code, tables["regions"])
    units = _units(code, tables["units"], regions)
    allocations = _allocations(code, tables["allocations"], regions, units)
    projects = _projects(code, tables, regions, units, allocations)
    notices = _notices(code, tables["notices"], regions, units, allocations, projects, counting)
    inspections, rectifications = _ledgers(code, tables, regions, units, allocations, projects)
    _sort_lists(regions.values(), units.values(), projects.values())
    _add_up(regions.values(), projects.values())
    return County(code, title, demo, regions[code + "000000"], regions, units, allocations, projects, notices,
                  inspections=inspections, rectifications=rectifications)


def _regions(code: str, rows: list[dict]) -> dict[str, Region]:
    """The region tree: each place with its parent and its children in code order."""
    regions: dict[str, Region] = {}
    for r in rows:
        regions[r["code"]] = Region(**_fields(r, ("code", "name", "level", "parent_code", "supervision_phone")),
                                    county=code)
    for region in regions.values():
        if region.parent_code and region.parent_code in regions:
            region.parent = regions[region.parent_code]
            region.parent.children.append(region)
    for region in regions.values():
        region.children.sort(key=lambda c: c.code)
    return regions


def _units(code: str, rows: list[dict], regions: dict[str, Region]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for u in rows:
        unit = Unit(u["unit_id"], u["name"], u["kind"], regions[u["region_code"]], u["phone"], county=code)
        units[unit.unit_id] = unit
        unit.region.units.append(unit)
    return units


def _allocations(code: str, rows: list[dict], regions: dict[str, Region],
                 units: dict[str, Unit]) -> dict[str, Allocation]:
    """Each allocation, listed with the unit that made it, the place it went to and the unit that received it."""
    allocations: dict[str, Allocation] = {}
    for a in rows:
        allocation = Allocation(
            **_fields(a, ("allocation_id", "year", "document_no", "fund_source", "amount", "allocated_on",
                          "purpose", "allocation_basis")),
            allocator=units[a["allocator_unit_id"]], recipient_region=regions[a["recipient_region_code"]],
            recipient_unit=units.get(a["recipient_unit_id"]) if a["recipient_unit_id"] else None, county=code,
            fund_level=a.get("fund_level") or None, fund_name=a.get("fund_name") or None,
            budget_subject=a.get("budget_subject") or None,
            **{n: a.get(n) or None for n in ("upstream_document_no", "upstream_issued_on", "received_on")})
        allocations[allocation.allocation_id] = allocation
        allocation.allocator.allocated.append(allocation)
        allocation.recipient_region.allocations.append(allocation)
        if allocation.recipient_unit:
            allocation.recipient_unit.received.append(allocation)
    return allocations


def _projects(code: str, tables: dict[str, list[dict]], regions: dict[str, Region], units: dict[str, Unit],
              allocations: dict[str, Allocation]) -> dict[str, Project]:
    """Each project with its place, implementing unit, funds, acceptances and households."""
    projects: dict[str, Project] = {}
    for p in tables["projects"]:
        project = Project(
            **_fields(p, ("project_id", "year", "name", "category", "location", "content", "start_date", "end_date",
                          "responsible_person", "construction_unit", "construction_responsible", "budget",
                          "subsidy_standard", "procurement", "performance_targets", "benefit_mechanism",
                          "beneficiary_households", "beneficiary_people", "status")),
            region=regions[list_items(p["region_code"])[0]], implementing_unit=units[p["implementing_unit_id"]],
            county=code, **{n: p.get(n) for n in ("completed_on", "actual_spending", "management_fee",
                                                  "remainder_recovered", "spending_note", "funding_note")})
        project.regions = [regions[c] for c in list_items(p["region_code"])]
        projects[project.project_id] = project
        for region in project.regions:
            region.projects.append(project)
        project.implementing_unit.implemented.append(project)
    for f in tables["project_funds"]:
        fund = ProjectFund(projects[f["project_id"]], allocations[f["allocation_id"]], f["amount"])
        fund.project.funds.append(fund)
        fund.allocation.funds.append(fund)
    for a in sorted(tables["acceptances"], key=lambda a: (day_key(a["accepted_on"]), a[ROW])):
        projects[a["project_id"]].acceptances.append(
            Acceptance(a["stage"], a["accepted_on"], a["result"], a["inspectors"], a["notes"]))
    for b in tables.get("beneficiaries", []):
        projects[b["project_id"]].beneficiaries.append(Beneficiary(
            b["household_id"], b["household"], regions[b["region_code"]], b["members"], b["subsidy"], b["paid_on"],
            b["notes"], b.get("households")))
    for project in projects.values():
        _place_subsidies(project)
    return projects


def _ledgers(code: str, tables: dict[str, list[dict]], regions: dict[str, Region], units: dict[str, Unit],
             allocations: dict[str, Allocation], projects: dict[str, Project]) -> tuple[list, dict]:
    """The supervision ledgers a county keeps, linked to its projects: who supervises each, its indicators and
    evaluations; the inspections, and the problems with the steps taken over them. Each table is optional."""

    def rows(name: str) -> list[dict]:
        return sorted(tables.get(name) or [], key=lambda r: r[ROW])

    def unit(unit_id: str | None) -> Unit | None:
        return units.get(unit_id) if unit_id else None

    for s in rows("supervisors"):
        projects[s["project_id"]].supervisors.append(Supervisor(
            units[s["unit_id"]], **_picked(s, ("role", "person", "letter_kind", "letter_no", "signed_on",
                                               "accountability", "notes"))))
    for i in rows("indicators"):
        projects[i["project_id"]].indicators.append(Indicator(**_picked(i, INDICATOR_FIELDS)))
    for e in sorted(rows("evaluations"), key=lambda e: e["evaluated_on"]):
        projects[e["project_id"]].evaluations.append(Evaluation(**_picked(e, EVALUATION_FIELDS)))
    inspections = [Inspection(
        i["inspection_id"], i["kind"], units[i["organizer_unit_id"]], i["start_date"], i.get("end_date"),
        regions.get(i.get("region_code") or ""), **_picked(i, ("villages_checked", "projects_checked",
                                                              "households_visited", "problems_found",
                                                              "document_no", "summary")))
        for i in sorted(rows("inspections"), key=lambda i: (i["start_date"], i["inspection_id"]))]
    by_id = {i.inspection_id: i for i in inspections}
    cases: dict[str, Rectification] = {}
    for p in sorted(rows("problems"), key=lambda p: (p["found_on"], p["problem_id"])):
        case = Rectification(
            **_picked(p, ("problem_id", "source", "found_on", "category", "description", "amount_involved",
                          "responsible_person", "measures", "deadline", "status", "rectified_on", "closed_on",
                          "verified_by")),
            county=code, project=projects.get(p.get("project_id") or ""),
            allocation=allocations.get(p.get("allocation_id") or ""), region=regions.get(p.get("region_code") or ""),
            lead_unit=unit(p.get("lead_unit_id")), responsible_unit=unit(p.get("responsible_unit_id")),
            inspection=by_id.get(p.get("inspection_id") or ""))
        cases[case.problem_id] = case
        if case.project:
            case.project.problems.append(case)
        if case.inspection:
            case.inspection.problems.append(case)
    for a in sorted(rows("accountability_actions"), key=lambda a: (a["taken_on"], a["action_id"])):
        if a["problem_id"] not in cases:
            continue  # no problem ledger to hang it on: validate says so (reference-table-missing)
        cases[a["problem_id"]].actions.append(Action(
            a["action_id"], a["kind"], a["taken_on"], unit(a.get("by_unit_id")), unit(a.get("target_unit_id")),
            a.get("document_no"), a.get("notes")))
    return inspections, cases


def _place_subsidies(project: Project) -> None:
    """List on each place below the county what the project's household list pays to households there."""
    by_place: dict[str, tuple[Region, list[Beneficiary]]] = {}
    for b in project.beneficiaries:
        for node in (b.region, *b.region.ancestors):
            if node.level != "county":
                by_place.setdefault(node.code, (node, []))[1].append(b)
    for node, rows in by_place.values():
        node.subsidies.append(PlaceSubsidy(project, HouseholdSum.of(rows)))


def _notices(code: str, rows: list[dict], regions: dict[str, Region], units: dict[str, Unit],
             allocations: dict[str, Allocation], projects: dict[str, Project], counting: str) -> dict[str, Notice]:
    """Each notice with its table derived from the other records, listed wherever it was published and on what
    it shows."""
    notices: dict[str, Notice] = {}
    for n in rows:
        notice = Notice(
            **_fields(n, ("notice_id", "kind", "title", "year", "start_date", "end_date", "published_on")),
            disclosers=[units[u] for u in list_items(n["discloser_unit_id"])],
            region=regions[n["region_code"]],
            project=projects.get(n["project_id"]) if n["project_id"] else None, county=code, counting=counting,
            attachments=list_items(n.get("attachments")),
            remarks=n.get("remarks"),
            covers=[regions[c] for c in list_items(n.get("covers")) if c in regions])
        if not notice.title:  # a notice without a title is named by who published what, and says so
            notice.title = (f"{notice.discloser_names}{notice.year}年度{KIND_TITLES.get(notice.kind, '公告')}"
                            "（原公告未载明标题）")
        notices[notice.notice_id] = notice
        _derive_notice_table(notice, allocations.values(), projects.values())
        for unit in notice.disclosers:
            unit.disclosed.append(notice)
        for unit in notice.units:
            unit.covered.append(notice)
        for region in notice.places:
            region.notices.append(notice)
        for project in notice.projects:
            project.notices.append(notice)
        for allocation in notice.allocations:
            allocation.notices.append(notice)
    return notices


def _derive_notice_table(notice: Notice, allocations, projects) -> None:
    """Fill a notice's table from the other records, so nothing is typed twice."""
    if notice.lists_allocations:
        notice.allocations = sorted(
            (a for a in allocations if a.year == notice.year and a.allocator in notice.disclosers
             and notice.region.contains(a.recipient_region.code)),
            key=lambda a: (day_key(a.allocated_on), a.allocation_id))
        if notice.kind == "allocation-and-projects":  # the projects its money pays for, as on the wall
            funded = {f.project.project_id: f.project for a in notice.allocations for f in a.funds}
            notice.projects = sorted(funded.values(), key=lambda p: (p.region.code, p.project_id))
        return
    if notice.project is not None:
        notice.projects = [notice.project]
        return
    wanted = PROJECT_NOTICE_STATUS.get(notice.kind, set())
    notice.projects = sorted(
        (p for p in projects if p.year == notice.year and p.status in wanted and p.in_place(notice.region)),
        key=lambda p: (p.region.code, p.project_id))


def _sort_lists(regions, units, projects) -> None:
    by_allocation = lambda a: (a.year, day_key(a.allocated_on), a.allocation_id)  # noqa: E731
    by_project = lambda p: (p.year, day_key(p.start_date), p.project_id)  # noqa: E731
    by_notice = lambda n: (notice_day(n), n.notice_id)  # noqa: E731
    for region in regions:
        region.allocations.sort(key=by_allocation)
        region.projects.sort(key=by_project)
        region.notices.sort(key=by_notice, reverse=True)
        region.subsidies.sort(key=lambda s: by_project(s.project))
        region.units.sort(key=lambda u: u.unit_id)
    for unit in units:
        unit.allocated.sort(key=by_allocation)
        unit.received.sort(key=by_allocation)
        unit.implemented.sort(key=by_project)
        unit.disclosed.sort(key=by_notice, reverse=True)
        unit.covered.sort(key=by_notice, reverse=True)
    for project in projects:
        project.notices.sort(key=by_notice)


def _add_up(regions, projects) -> None:
    """Add each place's own allocations and projects to it and to every place above it. A project is counted at
    the place that holds all of its places (a project over four villages counts once, at their township); money
    reaching a place through its projects from allocations made outside it is added as through_projects_total,
    apart from what was allocated to it."""
    for region in regions:
        own_allocated = sum((a.amount for a in region.allocations), ZERO)
        for node in (region, *region.ancestors):
            node.allocated_total += own_allocated
    for project in projects:
        if project.status == "cancelled":
            continue
        at = project.total_region
        for node in (at, *at.ancestors):
            node.budget_total += project.budget
            node.project_count += 1
            node.households_total += project.beneficiary_households or 0
        for fund in project.funds:
            for node in (at, *at.ancestors):
                if fund.amount is None or node.contains(fund.allocation.recipient_region.code):
                    break
                node.through_projects_total += fund.amount
