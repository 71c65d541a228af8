"""A county as linked records: places, units, allocations, projects, notices, with totals computed once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from . import periods, sources

if TYPE_CHECKING:  # the supervision ledgers of a county and its projects
    from .ledger_model import Evaluation, Indicator, Inspection, Rectification, Supervisor

ZERO = Decimal(0)
ALLOCATION_NOTICES = ("allocation-result", "allocation-and-projects")  # the notices whose table is allocations
KIND_TITLES = {"allocation-result": "资金分配结果公告", "allocation-and-projects": "资金分配结果及项目公告",
               "project-plan": "项目计划公示", "before-start": "项目实施前公示", "after-completion": "项目竣工公告"}
PROJECT_NOTICE_STATUS = {
    "project-plan": {"planned", "in-progress", "completed", "accepted"},
    "before-start": {"planned", "in-progress", "completed", "accepted"},
    "after-completion": {"completed", "accepted"},
}


@dataclass(eq=False)
class Region:
    code: str
    name: str
    level: str
    parent_code: str | None
    supervision_phone: str | None
    county: str
    parent: Region | None = None
    children: list[Region] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    # What household lists pay to households here or under here, one entry per project (分配到哪里公开到哪里).
    subsidies: list[PlaceSubsidy] = field(default_factory=list)
    # Totals over this place and every place under it.
    allocated_total: Decimal = ZERO
    budget_total: Decimal = ZERO
    project_count: int = 0
    households_total: int = 0
    # Money that reaches this place (or a place under it) through its projects, from allocations made to places
    # outside it (a county-level allocation paying a village's project): not in allocated_total, so never twice.
    through_projects_total: Decimal = ZERO

    @property
    def url(self) -> str:
        return f"{self.county}/" if self.level == "county" else f"{self.county}/place/{self.code}/"

    @property
    def ancestors(self) -> list[Region]:
        """Return the places above this one, the county first."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def hotline(self) -> str | None:
        """Return the nearest supervision phone, from this place up to the county."""
        node: Region | None = self
        while node is not None:
            if node.supervision_phone:
                return node.supervision_phone
            node = node.parent
        return None

    @property
    def prefix(self) -> str:
        return {"county": self.code[:6], "township": self.code[:9]}.get(self.level, self.code)

    def contains(self, code: str) -> bool:
        return code.startswith(self.prefix)

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors[1:]) + self.name if self.level != "county" else self.name

    @property
    def projects_below(self) -> list[Project]:
        """The projects of the places under it, each once (a road joining two villages is one project)."""
        return list(dict.fromkeys(p for child in self.children for p in child.projects))

    @property
    def shared_projects(self) -> list[Project]:
        """Its projects that are carried out in other places too, and so counted at a place above it."""
        return [p for p in self.projects if p.status != "cancelled" and p.total_region is not self]


@dataclass(eq=False)
class Unit:
    unit_id: str
    name: str
    kind: str
    region: Region
    phone: str | None
    county: str
    allocated: list[Allocation] = field(default_factory=list)
    received: list[Allocation] = field(default_factory=list)
    implemented: list[Project] = field(default_factory=list)
    disclosed: list[Notice] = field(default_factory=list)
    covered: list[Notice] = field(default_factory=list)  # notices of others whose tables name this unit

    @property
    def url(self) -> str:
        return f"{self.county}/unit/{self.unit_id}/"

    @property
    def allocated_total(self) -> Decimal:
        return sum((a.amount for a in self.allocated), ZERO)

    @property
    def received_total(self) -> Decimal:
        return sum((a.amount for a in self.received), ZERO)

    @property
    def implemented_total(self) -> Decimal:
        return sum((p.budget for p in self.implemented), ZERO)


@dataclass(eq=False)
class Allocation:
    allocation_id: str
    year: int
    document_no: str
    fund_source: str  # the kind (allocations.fund_source)
    allocator: Unit
    recipient_region: Region
    recipient_unit: Unit | None
    amount: Decimal
    allocated_on: dt.date | None  # None: not stated
    purpose: str
    allocation_basis: str | None
    county: str
    funds: list[ProjectFund] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    fund_level: str | None = None  # None: not stated, or no level's budget (social help, households' own money)
    fund_name: str | None = None  # the notice's own name for the fund
    budget_subject: str | None = None  # 支出科目 as written: 2130599其他扶贫支出
    # When the money was issued upstream and reached the county (None: not recorded).
    upstream_document_no: str | None = None
    upstream_issued_on: dt.date | None = None
    received_on: dt.date | None = None
    findings: list = field(default_factory=list)  # what the supervision rules found about it

    @property
    def url(self) -> str:
        return f"{self.county}/allocation/{self.allocation_id}/"

    @property
    def source_name(self) -> str:
        """The fund's name as its notice writes it, or as its year would: 2019 money under its 2019 name."""
        return sources.source_name(self.fund_source, self.fund_level, self.fund_name, self.year)

    @property
    def level(self) -> str | None:
        return sources.level_of(self.fund_source, self.fund_level)

    @property
    def kind(self) -> str:
        """The fund's kind, an older level code (central, provincial …) read as that level's main fund."""
        return sources.kind_of(self.fund_source)

    @property
    def drawn(self) -> Decimal:
        """What the projects draw from it, of the amounts stated."""
        return sum((f.amount for f in self.funds if f.amount is not None), ZERO)

    @property
    def split_stated(self) -> bool:
        """False when some project draws from it an amount the notices do not state."""
        return all(f.amount is not None for f in self.funds)

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.drawn


@dataclass(eq=False)
class ProjectFund:  # amount None: the split by source was not published
    project: Project
    allocation: Allocation
    amount: Decimal | None


@dataclass(eq=False)
class Beneficiary:
    """A household of a 到户 project; its name is masked (张*三), as the checks make sure."""

    household_id: str
    household: str
    region: Region
    members: int | None
    subsidy: Decimal
    paid_on: dt.date | None
    notes: str | None
    # A total row (no name): a notice that publishes a township's or village's totals instead of its households.
    households: int | None = None

    @property
    def is_total(self) -> bool:
        return not self.household


@dataclass(frozen=True)
class HouseholdSum:
    """Households, people and money of some rows of a household list. households (people) is None when a total
    row does not state it: the sum is then not known, and shown as not stated, never as a smaller number."""

    households: int | None
    people: int | None
    amount: Decimal
    households_given: bool = True  # some row states its households (else the column says nothing and is left out)
    people_given: bool = True

    @classmethod
    def of(cls, rows: list[Beneficiary]) -> HouseholdSum:
        counts = [b.households if b.is_total else 1 for b in rows]
        people = [b.members for b in rows]
        return cls(None if None in counts else sum(counts), None if None in people else sum(people),
                   sum((b.subsidy for b in rows), ZERO), any(c is not None for c in counts),
                   any(p is not None for p in people))


@dataclass(frozen=True)
class PlaceSubsidy:
    """What one project's household list pays to households in one place (and the places under it)."""

    project: Project
    total: HouseholdSum


@dataclass(eq=False)
class Acceptance:
    stage: str
    accepted_on: dt.date
    result: str
    inspectors: str | None
    notes: str | None


@dataclass(eq=False)
class Project:
    project_id: str
    year: int
    name: str
    category: str
    region: Region  # the main place (the first the notice names)
    location: str | None
    content: str
    start_date: dt.date | None
    end_date: dt.date | None
    implementing_unit: Unit
    responsible_person: str | None
    construction_unit: str | None
    construction_responsible: str | None
    budget: Decimal
    subsidy_standard: str | None
    procurement: str | None
    performance_targets: str | None
    benefit_mechanism: str | None
    beneficiary_households: int | None
    beneficiary_people: int | None
    status: str
    county: str
    funds: list[ProjectFund] = field(default_factory=list)
    acceptances: list[Acceptance] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    beneficiaries: list[Beneficiary] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)  # every place it is carried out in, the main one first
    # What a completion notice reports (None: not stated, or not completed yet).
    completed_on: dt.date | None = None  # a PartialDate when stated to the month or the year
    actual_spending: Decimal | None = None
    management_fee: Decimal | None = None
    remainder_recovered: Decimal | None = None
    spending_note: str | None = None
    funding_note: str | None = None  # what the notice says of its sources beyond the amounts (其余由村集体自筹)
    # Its supervision ledgers (each empty when the county does not keep it) and what the supervision rules found.
    supervisors: list[Supervisor] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    problems: list[Rectification] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    findings: list = field(default_factory=list)

    @property
    def spans_places(self) -> bool:
        return len(self.regions) > 1

    @property
    def total_region(self) -> Region:
        """The place its budget is counted at: its own place, or the smallest place holding all of its places (a
        project over four villages counts once, at their township, not four times)."""
        chains = [[*r.ancestors, r] for r in self.regions or [self.region]]
        common = self.region
        for level in zip(*chains, strict=False):
            if all(node is level[0] for node in level):
                common = level[0]
            else:
                break
        return common

    def in_place(self, region: Region) -> bool:
        """True when one of its places is this region or under it."""
        return any(region.contains(r.code) for r in self.regions or [self.region])

    @property
    def url(self) -> str:
        return f"{self.county}/project/{self.project_id}/"

    @property
    def subsidy_total(self) -> Decimal:
        return sum((b.subsidy for b in self.beneficiaries), ZERO)

    @property
    def listed_households(self) -> list[Beneficiary]:
        """The households listed one by one (names masked)."""
        return [b for b in self.beneficiaries if not b.is_total]

    @property
    def household_totals(self) -> list[Beneficiary]:
        """The totals a notice publishes per township or village instead of its households."""
        return [b for b in self.beneficiaries if b.is_total]

    @property
    def households_sum(self) -> HouseholdSum:
        return HouseholdSum.of(self.household_totals)

    @property
    def funded(self) -> Decimal:
        """The funds given with their amounts."""
        return sum((f.amount for f in self.funds if f.amount is not None), ZERO)

    @property
    def split_stated(self) -> bool:
        """False when its sources are known but not how much each gives (按资金来源的分项未公开)."""
        return all(f.amount is not None for f in self.funds)

    @property
    def fund_sources(self) -> list[str]:
        return sorted({f.allocation.source_name for f in self.funds})


@dataclass(eq=False)
class Notice:
    notice_id: str
    kind: str
    title: str
    disclosers: list[Unit]  # who publish it; several when it is co-signed, in the notice's order
    region: Region
    year: int
    start_date: dt.date | None  # None: the notice states no period
    end_date: dt.date | None
    published_on: dt.date | None  # the notice's own date (落款), as written
    project: Project | None
    county: str
    counting: str = periods.DEFAULT  # how the county's notices count their period
    attachments: list[str] = field(default_factory=list)  # its files, as paths inside the package (attachments/…)
    covers: list[Region] = field(default_factory=list)  # places the notice names that its table does not
    remarks: str | None = None  # the notice's other words, as written (addressee, approval, contact labels)
    query_code: str | None = None  # 查询码 in this version of the package (site/channels.py), set when it is built
    allocations: list[Allocation] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.county}/notice/{self.notice_id}/"

    @property
    def discloser(self) -> Unit:
        """The first of its disclosing units (the one a co-signed notice names first)."""
        return self.disclosers[0]

    @property
    def discloser_names(self) -> str:
        return "、".join(u.name for u in self.disclosers)

    @property
    def places(self) -> list[Region]:
        """Every place the notice covers: its own, and each place its table names (where the money went, where the
        projects are, where their households live), so that each of them lists it (分配到哪里、公开到哪里)."""
        found = {self.region.code: self.region}
        for region in self.covers:  # named by the notice itself
            found.setdefault(region.code, region)
        for allocation in self.allocations:
            found.setdefault(allocation.recipient_region.code, allocation.recipient_region)
        for project in self.projects:
            for region in project.regions or [project.region]:
                found.setdefault(region.code, region)
            for household in project.beneficiaries:  # where its households live, one by one or in totals
                found.setdefault(household.region.code, household.region)
        return list(found.values())

    @property
    def units(self) -> list[Unit]:
        """Every unit the notice's table names besides its disclosers: who received the money, who carries out the
        projects."""
        found: dict[str, Unit] = {}
        for allocation in self.allocations:
            if allocation.recipient_unit:
                found.setdefault(allocation.recipient_unit.unit_id, allocation.recipient_unit)
        for project in self.projects:
            found.setdefault(project.implementing_unit.unit_id, project.implementing_unit)
        return [u for u in found.values() if u not in self.disclosers]

    @property
    def period_days(self) -> int | None:
        """The period's length as the county's notices count it (None: not stated, or not countable)."""
        return periods.count_days(self.start_date, self.end_date, self.counting)

    @property
    def period_unit(self) -> str:
        return periods.unit(self.counting)

    def is_current(self, today: dt.date) -> bool:
        return self.start_date is not None and self.end_date is not None and self.start_date <= today <= self.end_date

    def is_upcoming(self, today: dt.date) -> bool:
        return self.start_date is not None and today < self.start_date

    @property
    def total(self) -> Decimal:
        if self.lists_allocations:
            return sum((a.amount for a in self.allocations), ZERO)
        return sum((p.budget for p in self.projects), ZERO)

    @property
    def projects_total(self) -> Decimal:
        return sum((p.budget for p in self.projects), ZERO)

    @property
    def household_projects(self) -> list[Project]:
        """Its projects whose notice publishes totals per township or village instead of households."""
        return [p for p in self.projects if p.household_totals]

    @property
    def households_sum(self) -> HouseholdSum:
        return HouseholdSum.of([b for p in self.household_projects for b in p.household_totals])

    @property
    def lists_allocations(self) -> bool:
        return self.kind in ALLOCATION_NOTICES

    @property
    def lists_projects(self) -> bool:
        return self.kind != "allocation-result"

    @property
    def by_source(self) -> list[tuple[str, int, Decimal]]:
        """The allocations' subtotals by source (name, how many, amount), in the order the sources first appear."""
        return subtotals_by_source(self.allocations)


def subtotals_by_source(allocations: list[Allocation], ordered: bool = False) -> list[tuple[str, int, Decimal]]:
    """Subtotals of allocations by the name of their source (name, how many, amount), in order of appearance, or
    (`ordered`) the main fund from central to county first, then the other kinds."""
    found: dict[str, list] = {}
    if ordered:
        allocations = sorted(allocations, key=lambda a: sources.order(a.fund_source, a.fund_level, a.source_name))
    for a in allocations:
        entry = found.setdefault(a.source_name, [0, ZERO])
        entry[0] += 1
        entry[1] += a.amount
    return [(name, count, amount) for name, (count, amount) in found.items()]


@dataclass(frozen=True)
class Rejection:
    """The latest submission failed its checks; the county's pages show its last good published version."""

    submitted: dt.date
    errors: int
    version: int
    version_date: str


@dataclass(eq=False)
class County:
    code: str
    title: str
    demo: bool
    root: Region
    regions: dict[str, Region]
    units: dict[str, Unit]
    allocations: dict[str, Allocation]
    projects: dict[str, Project]
    notices: dict[str, Notice]
    # False for a local preview of a package whose signature did not verify.
    verified: bool = True
    rejection: Rejection | None = None
    # The short fingerprint of the signed package the pages are made from, and its published version number.
    fingerprint: str | None = None
    version: int = 0
    released_on: dt.date | None = None  # the day of its newest signed release
    # The supervision ledgers kept county-wide: inspections, and the problems by id with the steps taken.
    inspections: list[Inspection] = field(default_factory=list)
    rectifications: dict[str, Rectification] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.root.name

    @property
    def url(self) -> str:
        return self.root.url

    @property
    def townships(self) -> list[Region]:
        return self.root.children

    @property
    def years(self) -> list[int]:
        return sorted({a.year for a in self.allocations.values()} | {p.year for p in self.projects.values()})


def day_key(day: dt.date | None) -> dt.date:
    """A date to sort by: one not stated comes after every stated one."""
    return dt.date.max if day is None else day


def notice_day(notice: Notice) -> dt.date:
    """The day a notice is listed by: its period's start, else its own date; one with neither comes first (oldest)."""
    return notice.start_date or notice.published_on or dt.date.min
