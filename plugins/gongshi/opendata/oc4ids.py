"""A county's projects in the Open Contracting for Infrastructure Data Standard (OC4IDS 0.9.5, project level).

One project package per county, `oc4ids-<code>.json`, validated offline against the official JSON schemas (vendored
in `opendata/oc4ids/` with their Apache-2.0 licence) before it is published. What OC4IDS has no field for (fund
sources with their levels and documents, notice periods, the supervision ledgers and findings) goes into one
documented extension object per project, `gongshi` (docs/oc4ids.md).

Dates are date-times at midnight in China (+08:00). A date the data gives only to the month or the year is left out
of OC4IDS's own fields and kept as written in the extension: nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from ..dates import PartialDate, as_written, midnight
from ..money import cents

SCHEMAS = Path(__file__).parent / "oc4ids"
PACKAGE_SCHEMA = "project-package-schema.json"
PROJECT_SCHEMA = "project-schema.json"
VERSION = "0.9"
PLACEHOLDER_PREFIX = "oc4ids-gongsh"  # replace with the prefix the Open Contracting Partnership assigns
GAZETTEER = "CN-NBS"  # 统计用区划代码: the National Bureau of Statistics' 12-digit division codes
CURRENCY = "CNY"

STATUS = {"planned": "preparation", "in-progress": "implementation", "completed": "completion",
          "accepted": "completion", "cancelled": "cancelled"}
SECTOR = {"industry": ["economy"], "housing": ["socialHousing"], "relocation": ["socialHousing"],
          "education": ["education"], "health": ["health"]}
# A rural-construction project is a road or a water works when its own name says so (路, 桥; 水, 渠, 灌).
ROAD, WATER = ("路", "桥"), ("水", "渠", "灌", "井")
ACCEPTANCE_STATUS = {"passed": "met", "failed": "notMet"}


class Oc4idsError(ValueError):
    """The package gongshi made does not validate: a bug of gongshi's, never of the county's data."""


def when(day) -> str | None:
    """A date as OC4IDS's date-time, at midnight in China; None for no date or one stated only to month or year."""
    if day is None or (isinstance(day, PartialDate) and day.precision != "day"):
        return None
    return midnight(day).isoformat()


def money(amount: Decimal | None) -> dict | None:
    return None if amount is None else {"amount": _number(amount), "currency": CURRENCY}


def _number(amount: Decimal) -> int | float:
    """A JSON number that prints as the page shows the amount, to the fen (up to 15 significant digits, far beyond
    any project)."""
    amount = cents(amount)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _clean(value):
    """Drop empty values (None, "", [], {}) at every level: OC4IDS forbids empty strings and arrays."""
    if isinstance(value, dict):
        out = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        out = [_clean(v) for v in value]
        return [v for v in out if v not in (None, "", [], {})]
    return value


@dataclass(frozen=True)
class Publication:
    """What the package says of itself: where it is, when its data was released, and under which prefix and
    licence."""

    uri: str  # the package's own address
    site: str  # the public site's address, for the links to pages ("" for none)
    published: dt.date
    version: int
    fingerprint: str | None
    prefix: str = PLACEHOLDER_PREFIX
    license: str | None = None


class Mapper:
    """Maps one county's model to OC4IDS projects."""

    def __init__(self, county, tables: dict, publication: Publication, label):
        self.county = county
        self.tables = tables
        self.pub = publication
        self.label = label  # schemas.label(resource, field, value)
        self.paid: dict[str, list[dict]] = {}
        for d in tables.get("disbursements") or []:
            if d.get("paid_on") is not None:
                self.paid.setdefault(d["project_id"], []).append(d)

    def link(self, url: str | None) -> str | None:
        return f"{self.pub.site}/{url}" if url and self.pub.site else None

    def party_id(self, unit) -> str:
        return f"{self.county.code}-{unit.unit_id}"

    def package(self) -> dict:
        projects = [self.project(p) for p in self.county.projects.values()]
        return _clean({
            "uri": self.pub.uri,
            "publishedDate": when(self.pub.published),
            "version": VERSION,
            "publisher": {"name": self.county.name, "scheme": GAZETTEER, "uid": self.county.root.code},
            "license": self.pub.license,
            "publicationPolicy": self.link("dictionary/"),
            "projects": projects,
        })

    def project(self, p) -> dict:
        main = p.implementing_unit
        parties: dict[str, dict] = {}

        def party(unit, role: str) -> dict:
            ref = {"id": self.party_id(unit), "name": unit.name}
            entry = parties.setdefault(ref["id"], {**ref, "roles": [],
                                                   "address": {"region": unit.region.full_name,
                                                               "countryName": "中国"},
                                                   "contactPoint": {"telephone": unit.phone} if unit.phone else None,
                                                   "gongshi": {"kind": unit.kind,
                                                               "kindName": self.label("units", "kind", unit.kind)}})
            if role not in entry["roles"]:
                entry["roles"].append(role)
            return ref

        authority = party(main, "publicAuthority")
        breakdown = [{"id": f.allocation.allocation_id,
                      "description": " ".join(x for x in (f.allocation.document_no, f.allocation.source_name) if x),
                      "amount": money(f.amount), "approvalDate": when(f.allocation.allocated_on),
                      "uri": self.link(f.allocation.url), "sourceParty": party(f.allocation.allocator, "funder")}
                     for f in p.funds]
        if p.construction_unit:
            uid = hashlib.sha256(p.construction_unit.encode()).hexdigest()[:10]
            parties.setdefault(f"{self.county.code}-c{uid}", {"id": f"{self.county.code}-c{uid}",
                                                              "name": p.construction_unit, "roles": ["supplier"]})
        project = {
            "id": f"{self.pub.prefix}-{self.county.code}-{p.project_id}",
            "updated": when(self.pub.published),
            "language": "zh",
            "identifiers": [{"id": p.project_id, "scheme": f"gongshi-{self.county.code}"}],
            "publicAuthority": authority,
            "title": p.name,
            "description": p.content,
            "status": STATUS[p.status],
            "sector": self.sector(p),
            "purpose": p.performance_targets,
            "additionalClassifications": [{"scheme": "gongshi-project-category", "id": p.category,
                                           "description": self.label("projects", "category", p.category)}],
            "budget": {"amount": money(p.budget),
                       "budgetBreakdowns": [{"id": "sources", "description": "按资金来源 / by fund source",
                                             "budgetBreakdown": breakdown}] if breakdown else None},
            "period": {"startDate": when(p.start_date), "endDate": when(p.end_date)},
            "locations": [self.location(r, p.location if i == 0 else None) for i, r in enumerate(p.regions)],
            "milestones": self.milestones(p),
            "documents": [self.document(n) for n in p.notices],
            "completion": self.completion(p),
            "transactions": [self.transaction(d) for d in self.paid.get(p.project_id, [])],
            "benefits": self.benefits(p),
            "forecasts": [self.metric(i, i.target) for i in p.indicators],
            "metrics": [self.metric(i, i.actual) for i in p.indicators if i.actual],
            "gongshi": self.extension(p),
        }
        project["parties"] = list(parties.values())
        return project

    def sector(self, p) -> list[str] | None:
        if p.category in SECTOR:
            return SECTOR[p.category]
        if p.category == "infrastructure":
            if any(c in p.name for c in ROAD):
                return ["transport", "transport.road"]
            if any(c in p.name for c in WATER):
                return ["waterAndWaste"]
        return None

    def location(self, region, description: str | None) -> dict:
        return {"id": region.code, "description": "，".join(x for x in (region.full_name, description) if x),
                "gazetteer": {"scheme": GAZETTEER, "identifiers": [region.code]}, "uri": self.link(region.url)}

    def milestones(self, p) -> list[dict]:
        out = []
        for i, a in enumerate(p.acceptances, 1):
            out.append({"id": f"acceptance-{i}", "title": self.label("acceptances", "stage", a.stage),
                        "type": "assessment", "code": a.stage, "status": ACCEPTANCE_STATUS.get(a.result),
                        "dateMet": when(a.accepted_on) if a.result == "passed" else None,
                        "dateModified": when(a.accepted_on),
                        "description": "；".join(x for x in (self.label("acceptances", "result", a.result),
                                                            a.inspectors, a.notes) if x)})
        for n in p.notices:
            end = when(n.end_date)
            out.append({"id": f"notice-{n.notice_id}", "title": n.title, "type": "engagement", "code": n.kind,
                        "dueDate": end, "status": "met" if n.end_date and n.end_date <= self.pub.published
                        else "scheduled" if end else None,
                        "description": f"{self.label('notices', 'kind', n.kind)}（公示期 {as_written(n.start_date) or '未载明'}"
                                       f" 至 {as_written(n.end_date) or '未载明'}）"})
        return out

    def document(self, n) -> dict:
        return {"id": n.notice_id, "documentType": "publicNotice", "title": n.title,
                "description": self.label("notices", "kind", n.kind), "url": self.link(n.url),
                "datePublished": when(n.start_date) or when(n.published_on), "format": "text/html",
                "language": "zh", "author": n.discloser_names}

    def completion(self, p) -> dict | None:
        if p.status not in ("completed", "accepted"):
            return None
        return {"endDate": when(p.completed_on), "endDateDetails": as_written(p.completed_on)
                if when(p.completed_on) is None else None,
                "finalValue": money(p.actual_spending), "finalValueDetails": p.spending_note}

    def transaction(self, d: dict) -> dict:
        allocation = self.county.allocations.get(d.get("allocation_id") or "")
        return {"id": d["disbursement_id"], "date": when(d["paid_on"]), "value": money(d["amount"]),
                "payer": {"id": self.party_id(allocation.allocator), "name": allocation.allocator.name}
                if allocation else None,
                "description": self.label("disbursements", "stage", d.get("stage"))}

    def benefits(self, p) -> list[dict] | None:
        if p.beneficiary_households is None and p.beneficiary_people is None:
            return None
        said = "，".join(x for x in (f"{p.beneficiary_households} 户" if p.beneficiary_households is not None else None,
                                    f"{p.beneficiary_people} 人" if p.beneficiary_people is not None else None) if x)
        return [{"title": "受益对象", "description": said,
                 "beneficiaries": [{"description": said, "numberOfPeople": p.beneficiary_people,
                                    "location": {"id": p.region.code, "description": p.region.full_name}}]}]

    def metric(self, indicator, measure: str | None) -> dict:
        return {"id": indicator.indicator_id, "title": indicator.name,
                "description": " / ".join(x for x in (self.label("indicators", "level1", indicator.level1),
                                                      self.label("indicators", "level2", indicator.level2)) if x),
                "observations": [{"id": "1", "measure": measure, "unit": {"name": indicator.unit}
                                  if indicator.unit else None}] if measure else None}

    def extension(self, p) -> dict:
        """What OC4IDS has no field for, in gongshi's own words (docs/oc4ids.md)."""
        return {
            "projectId": p.project_id, "year": p.year, "url": self.link(p.url),
            "category": p.category, "categoryName": self.label("projects", "category", p.category),
            "statusName": self.label("projects", "status", p.status),
            "periodAsStated": {"start": as_written(p.start_date), "end": as_written(p.end_date)},
            "placeCodes": [r.code for r in p.regions],
            "responsiblePerson": p.responsible_person,
            "constructionUnit": p.construction_unit, "constructionResponsible": p.construction_responsible,
            "subsidyStandard": p.subsidy_standard, "procurement": p.procurement,
            "benefitMechanism": p.benefit_mechanism,
            "fundSources": [{"allocationId": f.allocation.allocation_id, "documentNo": f.allocation.document_no,
                             "fundSource": f.allocation.kind, "fundSourceName": f.allocation.source_name,
                             "fundLevel": f.allocation.level, "amount": None if f.amount is None else str(f.amount),
                             "amountStated": f.amount is not None,
                             "allocatedOn": as_written(f.allocation.allocated_on)} for f in p.funds],
            "fundingNote": p.funding_note,
            "notices": [{"noticeId": n.notice_id, "kind": n.kind, "kindName": self.label("notices", "kind", n.kind),
                         "start": as_written(n.start_date), "end": as_written(n.end_date),
                         "periodDays": n.period_days, "disclosers": [u.name for u in n.disclosers],
                         "url": self.link(n.url)} for n in p.notices],
            "supervisors": [{"unit": s.unit.name, "role": s.role, "person": s.person, "letterKind": s.letter_kind,
                             "letterNo": s.letter_no, "signedOn": as_written(s.signed_on),
                             "accountability": s.accountability} for s in p.supervisors],
            "problems": [{"problemId": c.problem_id, "foundOn": as_written(c.found_on), "category": c.category,
                          "status": c.status, "deadline": as_written(c.deadline), "url": self.link(c.url)}
                         for c in p.problems],
            "evaluations": [{"evaluationId": e.evaluation_id, "evaluatedOn": as_written(e.evaluated_on),
                             "kind": e.kind, "score": None if e.score is None else str(e.score), "grade": e.grade,
                             "operating": e.operating} for e in p.evaluations],
            "findings": [{"code": f.code, "name": f.name, "due": as_written(f.due), "message": f.message}
                         for f in p.findings],
            "packageVersion": self.pub.version, "packageFingerprint": self.pub.fingerprint,
        }


@cache
def validator():
    """The package schema's validator, with the project schema from the vendored file (never fetched)."""
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    package = json.loads((SCHEMAS / PACKAGE_SCHEMA).read_text(encoding="utf-8"))
    project = json.loads((SCHEMAS / PROJECT_SCHEMA).read_text(encoding="utf-8"))
    registry = Registry().with_resources([(s["id"], Resource.from_contents(s, default_specification=DRAFT4))
                                          for s in (package, project)])
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())


def errors(package: dict) -> list[str]:
    """Every way the package breaks the official schema, each with its path: projects/3/period/startDate: …"""
    found = sorted(validator().iter_errors(package), key=lambda e: list(map(str, e.absolute_path)))
    return ["/".join(map(str, e.absolute_path)) + f": {e.message}" for e in found]


# Where OC4IDS 0.9.5 puts an OrganizationReference: one organisation, or (tenderers, suppliers) a list of them.
ORGANISATION_REFERENCES = {"publicAuthority", "procuringEntity", "administrativeEntity", "sourceParty", "payer", "payee",
                           "financingParty", "organization", "tenderers", "suppliers"}


def _references(value, path: str):
    """Each organisation reference under value, with its path, outside `parties` itself."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ORGANISATION_REFERENCES:
                if isinstance(item, list):
                    yield from ((f"{path}/{key}/{k}", ref) for k, ref in enumerate(item))
                else:
                    yield f"{path}/{key}", item
            elif key != "parties":
                yield from _references(item, f"{path}/{key}")
    elif isinstance(value, list):
        for k, item in enumerate(value):
            yield from _references(item, f"{path}/{k}")


def reference_errors(package: dict, prefix: str) -> list[str]:
    """What the schema cannot say and OCDS tools check: each project's id is unique and starts with the
    publisher's prefix, each party's id is unique in its project, and every organisation reference names a party of
    its project, by the same id and name."""
    found, seen = [], set()
    for i, project in enumerate(package.get("projects", [])):
        if not str(project.get("id", "")).startswith(f"{prefix}-"):
            found.append(f"projects/{i}/id: {project.get('id')!r} does not start with the prefix {prefix!r}-")
        if project.get("id") in seen:
            found.append(f"projects/{i}/id: {project.get('id')!r} is not unique")
        seen.add(project.get("id"))
        parties: dict = {}
        for j, party in enumerate(project.get("parties", [])):
            if party.get("id") in parties:
                found.append(f"projects/{i}/parties/{j}/id: {party.get('id')!r} is not unique")
            parties[party.get("id")] = party.get("name")
        for where, ref in _references(project, f"projects/{i}"):
            if not isinstance(ref, dict) or ref.get("id") not in parties:
                found.append(f"{where}/id: names no party of the project")
            elif ref.get("name") != parties[ref["id"]]:
                found.append(f"{where}/name: {ref.get('name')!r} is not the party's name")
    return found


def write(target: Path, county, tables: dict, publication: Publication, label) -> Path:
    """Map, validate and write the county's package; raise Oc4idsError (and write nothing) when it does not
    validate."""
    package = Mapper(county, tables, publication, label).package()
    problems = errors(package) + reference_errors(package, publication.prefix)
    if problems:
        raise Oc4idsError(f"oc4ids-{county.code}.json 不符合 OC4IDS 0.9.5 / does not validate: "
                          + "; ".join(problems[:5]) + (f" (+{len(problems) - 5})" if len(problems) > 5 else ""))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target
