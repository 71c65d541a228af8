"""The supervision ledgers (四本台账) as linked records: who supervises each project, its indicators and
evaluations, the inspections, and the problems with the steps taken over them (assemble.py links them into the
county's model; each is optional)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Allocation, Project, Region, Unit


@dataclass(eq=False)
class Supervisor:
    """Who supervises a project (项目监管责任), under which letter."""

    unit: Unit
    role: str
    person: str | None
    letter_kind: str | None
    letter_no: str | None
    signed_on: dt.date | None
    accountability: str | None
    notes: str | None


@dataclass(eq=False)
class Indicator:
    """A performance indicator of a project: its target and what was achieved (绩效目标, 实际完成值)."""

    indicator_id: str
    level1: str
    level2: str | None
    name: str
    target: str
    unit: str | None
    actual: str | None
    weight: Decimal | None
    score: Decimal | None
    deviation_reason: str | None


@dataclass(eq=False)
class Evaluation:
    """A performance evaluation of a project after its acceptance (绩效评估)."""

    evaluation_id: str
    evaluated_on: dt.date
    kind: str
    score: Decimal | None
    grade: str | None
    operating: str | None
    summary: str | None


@dataclass(eq=False)
class Inspection:
    """An inspection (督查检查) and the problems it found."""

    inspection_id: str
    kind: str
    organizer: Unit
    start_date: dt.date
    end_date: dt.date | None
    region: Region | None
    villages_checked: int | None
    projects_checked: int | None
    households_visited: int | None
    problems_found: int | None
    document_no: str | None
    summary: str | None
    problems: list[Rectification] = field(default_factory=list)


@dataclass(eq=False)
class Action:
    """An accountability step taken over a problem (问责措施: 督办函, 约谈, 暂停拨付, 通报, 移交)."""

    action_id: str
    kind: str
    taken_on: dt.date
    by_unit: Unit | None
    target_unit: Unit | None
    document_no: str | None
    notes: str | None


@dataclass(eq=False)
class Rectification:
    """A problem found and its rectification (问题整改台账), with the steps taken to press it."""

    problem_id: str
    source: str
    found_on: dt.date
    category: str
    description: str
    amount_involved: Decimal | None
    responsible_person: str | None
    measures: str | None
    deadline: dt.date | None
    status: str
    rectified_on: dt.date | None
    closed_on: dt.date | None
    verified_by: str | None
    county: str
    project: Project | None = None
    allocation: Allocation | None = None
    region: Region | None = None
    lead_unit: Unit | None = None
    responsible_unit: Unit | None = None
    inspection: Inspection | None = None
    actions: list[Action] = field(default_factory=list)
    findings: list = field(default_factory=list)  # what the supervision rules found about it

    @property
    def url(self) -> str:
        return f"{self.county}/problem/{self.problem_id}/"

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "in-progress")

    @property
    def place(self) -> Region | None:
        """Where the problem is: its own place, else its project's."""
        return self.region or (self.project.region if self.project else None)

    @property
    def timeline(self) -> list[tuple[dt.date, str, object]]:
        """What happened, by day: found, each step taken, rectified, closed (`kind` names the event)."""
        events: list[tuple[dt.date, int, str, object]] = [(self.found_on, 0, "found", self)]
        events += [(a.taken_on, 1, "action", a) for a in self.actions]
        if self.rectified_on:
            events.append((self.rectified_on, 2, "rectified", self))
        if self.closed_on:
            events.append((self.closed_on, 3, "closed", self))
        return [(day, kind, obj) for day, _, kind, obj in sorted(events, key=lambda e: (e[0], e[1]))]
