"""Generate the fictional demo county package (演示县, 519901) from a fixed seed."""

from __future__ import annotations

import csv
import random
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from ..schemas import OPTIONAL_RESOURCES
from .county import SyntheticCounty, cell
from .vocab import (
    BASIS,
    BUILDERS,
    CROPS,
    DEPARTMENTS,
    DEPT_IDS,
    DEPT_PURPOSE,
    DOC_PREFIX,
    ENTERPRISES,
    GIVEN,
    LIVESTOCK,
    MODELS,
    RECTIFY_NOTES,
    SURNAMES,
    TOWNSHIP_TEMPLATES,
    TOWNSHIPS,
    TRADES,
    VILLAGE_TEMPLATES,
    Template,
)

COUNTY = "519901"
COUNTY_CODE = COUNTY + "000000"
TITLE = "演示县扶贫资金项目公告公示数据（演示数据）"
COUNTY_PHONE = "0838-5200012"
YEARS = (2025, 2026)
# The demo's "today": 2026 statuses and all notice dates are consistent with it, and a few
# before-start notices are open on it, so the site always has something "currently on notice".
TODAY = date(2026, 11, 21)
VILLAGE_PROJECTS = 67
TOWNSHIP_PROJECTS = 8
# A 2026 road that joins two villages of one township (大坪村 and 松林村).
JOINING_ROAD, JOINED_VILLAGE = "XM2026-049", "519901103204"
# The 2026 county allocation result is signed by the finance bureau and the rural revitalisation bureau together.
CO_SIGNED = ("czj", "nyj")  # the finance bureau and the agriculture bureau sign the allocation result together
STATUSES = {
    2025: {"completed": 8, "accepted": 67},
    2026: {"planned": 4, "cancelled": 1, "in-progress": 20, "completed": 14, "accepted": 36},
}


def _day(rng: random.Random, lo: date, hi: date) -> date:
    """Return a random day between lo and hi inclusive."""
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


class _County(SyntheticCounty):
    """Build every table of the demo county from one random stream; attributes are named after resources."""

    def __init__(self, seed: int) -> None:
        super().__init__(COUNTY)
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()
        self.used_phones = {COUNTY_PHONE} | {f"0838-52{i}0012" for i in range(1, len(TOWNSHIPS) + 1)}
        self.staff: dict[str, list[str]] = {}
        self.place_names: dict[str, str] = {}
        self.regions: list[dict] = []
        self.units: list[dict] = []
        self.enterprise_in = {e[3]: e for e in ENTERPRISES}
        self.builder_staff = {b: [self._person(), self._person()] for kind in BUILDERS.values() for b in kind}
        self._places()
        self.projects: list[dict] = []
        for year in YEARS:
            self.projects += self._projects(year)
        self._join_villages()
        self.allocations, self.project_funds = [], []
        for year in YEARS:
            self._allocations(year)
        self.allocations.insert(0, dict(OLD_MONEY))
        self.acceptances = self._acceptances()
        self.notices = self._notices()
        # Drawn from a stream of its own, so adding households left every other table as it was.
        self.beneficiaries = self._beneficiaries(random.Random(seed + 1))
        self._completion(random.Random(seed + 2))
        # The ledgers the standard forms fill, from a stream of their own as well.
        self._ledgers(random.Random(seed + 3))
        self.tables = {resource: getattr(self, resource) for resource in self.tables}

    def _person(self) -> str:
        """Return a fresh fictional full name."""
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def _phone(self) -> str:
        """Return a fresh office landline; never a mobile number."""
        while True:
            phone = f"0838-52{self.rng.randint(10000, 99999)}"
            if phone not in self.used_phones:
                self.used_phones.add(phone)
                return phone

    def _region(self, code: str, name: str, level: str, parent: str, phone: str) -> None:
        self.place_names[code] = name
        self.regions.append({"code": code, "name": name, "level": level, "parent_code": parent,
                             "supervision_phone": phone})

    def _unit(self, unit_id: str, name: str, kind: str, region: str, phone: str) -> None:
        # The first staff member is the unit's leader, who answers for its projects.
        self.staff[unit_id] = [self._person() for _ in range(4)]
        self.units.append({"unit_id": unit_id, "name": name, "kind": kind, "region_code": region, "phone": phone})

    def _places(self) -> None:
        """Create the county, its townships and villages, and every unit."""
        rng = self.rng
        villages = [f"{COUNTY}{seg}{j}" for seg, _, names in TOWNSHIPS for j in range(201, 201 + len(names))]
        hotlines = set(rng.sample(villages, 5))
        self._region(COUNTY_CODE, "演示县", "county", "", COUNTY_PHONE)
        for unit_id, name, kind in DEPARTMENTS:
            self._unit(unit_id, name, kind, COUNTY_CODE, self._phone())
        for i, (seg, town, villages) in enumerate(TOWNSHIPS, 1):
            town_code = f"{COUNTY}{seg}000"
            self._region(town_code, town, "township", COUNTY_CODE, f"0838-52{i}0012")
            self._unit(f"zf{seg}", f"{town}人民政府", "township-government", town_code, self._phone())
            for j, village in enumerate(villages, 201):
                code = f"{COUNTY}{seg}{j}"
                # Most villages rely on the township's hotline; a few publish their own.
                hotline = self._phone() if code in hotlines else ""
                self._region(code, village, "village", town_code, hotline)
                office = hotline or (self._phone() if rng.random() < 0.3 else "")
                self._unit(f"cw{seg}{j}", f"{town}{village}村民委员会", "village-committee", code, office)
        for unit_id, name, kind, code, _ in ENTERPRISES:
            self._unit(unit_id, name, kind, code, self._phone())

    def _projects(self, year: int) -> list[dict]:
        """Create one year's projects with their statuses and periods."""
        rng = self.rng
        villages = [r["code"] for r in self.regions if r["level"] == "village"]
        towns = [r["code"] for r in self.regions if r["level"] == "township"]
        earlier = {p["name"] for p in self.projects}
        # Every village gets at least one project a year; the rest go where the project library has more.
        spots = rng.sample(villages, len(villages))
        spots += [rng.choice(villages) for _ in range(VILLAGE_PROJECTS - len(villages))]
        picks = [(code, None) for code in spots]
        pairs = [(t, rng.choice(towns)) for t in TOWNSHIP_TEMPLATES]
        while len(pairs) < TOWNSHIP_PROJECTS:
            pair = (rng.choice(TOWNSHIP_TEMPLATES), rng.choice(towns))
            if pair not in pairs:
                pairs.append(pair)
        picks += [(code, tpl) for tpl, code in pairs]
        projects, seen = [], set()
        for code, tpl in picks:
            while True:
                chosen = tpl or rng.choices(VILLAGE_TEMPLATES, [t.weight for t in VILLAGE_TEMPLATES])[0]
                project = self._project(year, code, chosen)
                if project["name"] not in seen:
                    break
            seen.add(project["name"])
            if project["name"] in earlier:
                project["name"] += "（二期）"
            projects.append(project)
        statuses = [s for s, n in STATUSES[year].items() for _ in range(n)]
        rng.shuffle(statuses)
        for project, status in zip(projects, statuses, strict=True):
            project["status"] = status
            project["start_date"], project["end_date"] = self._period(year, status)
        projects.sort(key=lambda p: (p["region_code"], p["name"]))
        for i, project in enumerate(projects, 1):
            project["project_id"] = f"XM{year}-{i:03d}"
        return projects

    def _join_villages(self) -> None:
        """Turn one village road into a road joining two villages, as real projects often are: its places are
        both villages (the main one first) and its township government posts its notices."""
        road = next(p for p in self.projects if p["project_id"] == JOINING_ROAD)
        main, other = road["region_code"], JOINED_VILLAGE
        a, b = self.place_names[main], self.place_names[other]
        road["region_code"] = f"{main}、{other}"
        road["name"] = f"{a}至{b}连村道路硬化工程"
        road["location"] = f"{a}3组至{b}1组"
        road["content"] = re.sub(r"^硬化.*?通组道路", f"硬化{road['location']}连村道路", road["content"])

    def _period(self, year: int, status: str) -> tuple[date, date]:
        """Return start and end dates that agree with the status on TODAY."""
        rng = self.rng
        if year < TODAY.year:
            start = _day(rng, date(year, 3, 15), date(year, 9, 30))
            return start, start + timedelta(days=rng.randint(30, 180))
        if status == "planned":
            start = date(year, 12, rng.randint(1, 3))
            return start, start + timedelta(days=rng.randint(60, 150))
        if status == "in-progress":
            start = _day(rng, date(year, 6, 15), date(year, 10, 31))
            return start, _day(rng, max(start + timedelta(days=30), date(year, 12, 1)), start + timedelta(days=183))
        if status == "cancelled":
            start = _day(rng, date(year, 7, 1), date(year, 9, 30))
            return start, start + timedelta(days=rng.randint(60, 120))
        if status == "accepted":  # early enough for all three acceptance levels before TODAY
            start = _day(rng, date(year, 3, 15), date(year, 5, 31))
            return start, start + timedelta(days=rng.randint(30, 120))
        start = _day(rng, date(year, 3, 15), date(year, 7, 31))
        return start, min(start + timedelta(days=rng.randint(30, 120)), date(year, 11, 5))

    def _project(self, year: int, region: str, tpl: Template) -> dict:
        """Fill one project from a template at a village or township."""
        rng = self.rng
        in_village = not region.endswith("000")
        town = region[:9] + "000"
        enterprise = self.enterprise_in.get(region) if tpl.doer == "enterprise" else None
        if tpl.doer in DEPT_IDS:
            doer, kind = tpl.doer, ""
        elif enterprise:
            doer, kind = enterprise[0], enterprise[2]
        elif in_village and tpl.doer != "township":
            doer, kind = f"cw{region[6:]}", "village-committee"
        else:
            doer, kind = f"zf{region[6:9]}", "township-government"
        if tpl.per:
            per, heads = rng.choice(tpl.per), rng.randint(*tpl.heads)
            budget = Decimal(heads * per * tpl.times)
        else:
            per, heads = 0, 0
            budget = Decimal(rng.randint(tpl.budget[0] // 100, tpl.budget[1] // 100) * 100)
        quantity = ""
        if tpl.size[0]:
            # The physical scale follows the money, with some spread between places.
            tenths = int(budget) * 10 * rng.randint(85, 115) // (tpl.size[0] * 100)
            quantity = f"{tenths / 10:.1f}" if tpl.size[1] else str(max(1, tenths // 10))
        if tpl.per_person:
            people, households = heads, max(1, heads * rng.randint(85, 100) // 100)
        else:
            households = heads or rng.randint(30, 260)
            people = households * rng.randint(26, 34) // 10
        groups = "、".join(f"{g}组" for g in sorted(rng.sample(range(1, 9), rng.randint(1, 3))))
        params = {
            "place": self.place_names[region], "groups": groups, "q": quantity, "n": heads, "per": per,
            "crop": enterprise[4] if enterprise else rng.choice(CROPS), "animal": rng.choice(LIVESTOCK),
            "trade": rng.choice(TRADES), "model": MODELS.get(kind, MODELS["village-committee"]),
            "households": households, "people": people, "workers": rng.randint(5, 25),
            "wage": rng.randint(20, 80) * 100, "jobs": rng.randint(1, 3), "income": rng.randint(2, 10) * 500,
            "share": rng.randint(5, 8), "tank": rng.choice((50, 100, 150, 200)), "ponds": rng.randint(1, 4),
            "mu": rng.randint(20, 150) * 10, "tons": rng.randint(10, 80) * 10, "area": rng.randint(30, 200) * 10,
            "rent": int(budget) * rng.randint(5, 8) // 10000 * 100,
            "monthly": rng.randint(8, 15) * 100, "yearly": per * 12,
        }
        builder = boss = procurement = ""
        if tpl.builder:
            builder = rng.choice(BUILDERS[tpl.builder])
            boss = rng.choice(self.builder_staff[builder])
            procurement = ("公开招标（演示县公共资源交易中心）" if budget >= 1_000_000
                           else "竞争性磋商" if budget >= 400_000 else "比选（村务监督委员会全程监督）")
            procurement += f"，确定施工单位为{builder}"
        elif not tpl.per and tpl.category == "industry":
            procurement = "种苗、设备由实施主体按规定比选采购"
        return {
            "year": year, "name": tpl.name.format(**params), "category": tpl.category, "region_code": region,
            "location": tpl.location.format(**params), "content": tpl.content.format(**params),
            "implementing_unit_id": doer, "responsible_person": self.staff[doer][0],
            "construction_unit": builder, "construction_responsible": boss, "budget": budget,
            "subsidy_standard": tpl.subsidy.format(**params), "procurement": procurement,
            "performance_targets": tpl.targets.format(**params), "benefit_mechanism": tpl.mechanism.format(**params),
            "beneficiary_households": households, "beneficiary_people": people, "_town": town,
        }

    def _allocations(self, year: int) -> None:
        """Create one year's allocations sized to the projects they fund, and the project funds."""
        projects = [p for p in self.projects if p["year"] == year and p["status"] != "cancelled"]
        slots = self._slots(year, projects)
        self._draw(projects, slots)
        slots = [s for s in slots if s["_draws"]]
        self._number(year, slots)
        self.allocations += slots
        self.project_funds.sort(key=lambda f: (f["project_id"], f["allocation_id"]))

    def _slots(self, year: int, projects: list[dict]) -> list[dict]:
        """The year's allocations before their amounts: who allocates to which place and unit, from which source."""
        rng = self.rng
        towns = [r["code"] for r in self.regions if r["level"] == "township"]
        slots: list[dict] = []

        def slot(by: str, region: str, to: str, source: str, on: date, basis: str) -> None:
            # The main fund of a level is written as its kind and level; a pot of leftovers by its own name.
            kind, level, name = ("special-fund", source, "") if source in LEVELS else (source, "", "")
            if source == "leftover":
                level, name = "provincial", f"{year - 1}年省级财政衔接资金结余资金"
            slots.append({"year": year, "allocator_unit_id": by, "recipient_region_code": region,
                          "recipient_unit_id": to, "fund_source": kind, "fund_level": level, "fund_name": name,
                          "allocated_on": on, "allocation_basis": basis, "_draws": []})

        # The county finance bureau issues its shares in three documents in late January.
        central, departments = date(year, 1, rng.randint(15, 18)), date(year, 1, rng.randint(19, 23))
        provincial = date(year, 1, rng.randint(24, 28))
        for code in towns:
            slot("czj", code, f"zf{code[6:9]}", "central", central, BASIS["czj"])
            slot("czj", code, f"zf{code[6:9]}", "provincial", provincial, BASIS["czj"])
        for dept, source in (("jtj", "integrated"), ("slj", "integrated"), ("nyj", "central"), ("rsj", "city")):
            slot("czj", COUNTY_CODE, dept, source, departments, BASIS["dept"])
        slot("xczx", COUNTY_CODE, "jtj", "county", _day(rng, date(year, 2, 15), date(year, 2, 28)), BASIS["dept"])
        local = [p for p in projects if p["implementing_unit_id"] not in DEPT_IDS and p["region_code"] not in towns]
        villages = sorted({p["region_code"] for p in local})
        chosen = rng.sample(villages, 9)
        sources = ("east-west", "east-west", "east-west", "social", "social", "county", "county", "city", "leftover")
        for code, source in zip(chosen, sources, strict=True):
            slot("xczx", code, f"cw{code[6:]}", source, _day(rng, date(year, 2, 15), date(year, 2, 28)),
                 BASIS.get(source, BASIS["xczx"]))
        # A few townships pass county money on to a village whose projects start later in spring.
        late = sorted({p["region_code"] for p in local if p["start_date"] >= date(year, 4, 1)} - set(chosen))
        for code in rng.sample(late, 3):
            slot(f"zf{code[6:9]}", code, f"cw{code[6:]}", "county", _day(rng, date(year, 3, 1), date(year, 3, 15)),
                 BASIS["township"])
        return slots

    def _draw(self, projects: list[dict], slots: list[dict]) -> None:
        """Fund each project from one allocation that reaches it in time, or split between two."""
        rng = self.rng
        for project in projects:
            fits = [s for s in slots if s["allocated_on"] + timedelta(days=10) <= project["start_date"]
                    and self._covers(s, project)]
            specific = [s for s in fits if s["recipient_region_code"] == project["region_code"]]
            first = rng.choice(specific or fits)
            others = [s for s in fits if s is not first]
            if others and rng.random() < 0.5:
                hundreds = int(project["budget"]) // 100
                part = Decimal(hundreds * rng.randint(40, 75) // 100 * 100)
                first["_draws"].append((project, part))
                rng.choice(others)["_draws"].append((project, project["budget"] - part))
            else:
                first["_draws"].append((project, project["budget"]))

    def _number(self, year: int, slots: list[dict]) -> None:
        """Give the allocations their amounts (some with a remainder), ids, document numbers and purposes, and
        record the project funds they pay."""
        rng = self.rng
        for s in slots:
            s["amount"] = sum((amount for _, amount in s["_draws"]), Decimal(0))
        # About a third of allocations keep a visible unspent remainder for the supervisors' checks.
        for s in rng.sample(slots, round(len(slots) / 3)):
            s["amount"] += Decimal(rng.randint(2, 60) * 1000)
        order = {u["unit_id"]: i for i, u in enumerate(self.units)}
        slots.sort(key=lambda s: (s["allocated_on"], order[s["allocator_unit_id"]], s["recipient_region_code"]))
        numbers: dict[tuple[str, date], int] = {}
        last: dict[str, int] = {}
        for i, s in enumerate(slots, 1):
            s["allocation_id"] = f"ZJ{year}-{i:03d}"
            by = s["allocator_unit_id"]
            key = (by, s["allocated_on"])
            if key not in numbers:
                # Each office numbers its documents through the year; its other documents fall in between.
                last[by] = numbers[key] = last.get(by, 0) + rng.randint(1, 4)
            prefix = DOC_PREFIX.get(by) or self.place_names[s["recipient_region_code"][:9] + "000"][0] + "府发"
            s["document_no"] = f"{prefix}〔{year}〕{numbers[key]}号"
            s["purpose"] = self._purpose(s)
            for project, amount in s["_draws"]:
                self.project_funds.append({"project_id": project["project_id"], "allocation_id": s["allocation_id"],
                                           "amount": amount})

    @staticmethod
    def _covers(slot: dict, project: dict) -> bool:
        """Tell whether an allocation may fund a project: its department, or the project's place."""
        if project["implementing_unit_id"] in DEPT_IDS:
            return slot["recipient_unit_id"] == project["implementing_unit_id"]
        return (slot["recipient_unit_id"] not in DEPT_IDS
                and slot["recipient_region_code"] in (project["region_code"], project["_town"]))

    def _purpose(self, slot: dict) -> str:
        """Describe what an allocation is for from the projects it funds."""
        if slot["recipient_unit_id"] in DEPT_PURPOSE:
            return f"用于{DEPT_PURPOSE[slot['recipient_unit_id']]}项目"
        field = self.schemas.field("projects", "category")
        cats = {p["category"] for p, _ in slot["_draws"]}
        labels = "、".join(field["enumLabels"][c] for c in field["constraints"]["enum"] if c in cats)
        return f"用于{self.place_names[slot['recipient_region_code']]}{labels}项目"

    def _acceptances(self) -> list[dict]:
        """Record village, township and sampled county acceptance of finished projects."""
        rng = self.rng
        done = [p for p in self.projects if p["status"] in ("completed", "accepted")]
        accepted = [p for p in done if p["status"] == "accepted"]
        # 县级抽查 covers at least 10% of accepted projects each year.
        county = []
        for year in YEARS:
            those = [p for p in accepted if p["year"] == year]
            county += rng.sample(those, -(-len(those) * 15 // 100))
        built = [p for p in accepted if p["year"] == YEARS[0] and p["construction_unit"]]
        rectify = rng.sample(built, 2)
        rows: list[dict] = []
        for p in done:
            village = p["region_code"].split("、")[0]  # the main village accepts a road joining two
            if village == p["_town"]:
                village = rng.choice([r["code"] for r in self.regions if r["parent_code"] == p["_town"]])
            day = p["end_date"] + timedelta(days=rng.randint(3, 15))
            day = self._accept(rows, p, "village", day, f"cw{village[6:]}", p in rectify)
            if p["status"] == "accepted":
                day = self._accept(rows, p, "township", day + timedelta(days=rng.randint(5, 12)), f"zf{p['_town'][6:9]}")
            if p in county:
                self._accept(rows, p, "county", day + timedelta(days=rng.randint(7, 20)), "xczx")
        return rows

    def _accept(self, rows: list[dict], project: dict, stage: str, day: date, unit: str,
                rectify: bool = False) -> date:
        """Append one acceptance (after a rectification when asked) and return its date."""
        rng = self.rng
        pool = self.staff[unit] + (self.staff["czj"][:2] if stage == "county" else [])
        note = "县级抽查：资料齐全，工程质量符合设计要求" if stage == "county" else ""
        if rectify:
            rows.append({"project_id": project["project_id"], "stage": stage, "accepted_on": day, "result": "rectify",
                         "inspectors": "、".join(rng.sample(pool, 3)), "notes": rng.choice(RECTIFY_NOTES)})
            day += timedelta(days=rng.randint(15, 25))
            note = "整改到位，复验合格"
        rows.append({"project_id": project["project_id"], "stage": stage, "accepted_on": day, "result": "passed",
                     "inspectors": "、".join(rng.sample(pool, rng.randint(2, 3))), "notes": note})
        return day

    def _notices(self) -> list[dict]:
        """Create allocation, plan, before-start and after-completion notices, numbered per year by date."""
        rng = self.rng
        rows: list[dict] = []

        def notice(kind: str, title: str, by: str, region: str, year: int, start: date, project: str = "") -> None:
            rows.append({"kind": kind, "title": title, "discloser_unit_id": by, "region_code": region, "year": year,
                         "start_date": start, "end_date": start + timedelta(days=rng.randint(10, 14)),
                         "project_id": project})

        region_of = {u["unit_id"]: u["region_code"] for u in self.units}
        for year in YEARS:
            allocators = dict.fromkeys(a["allocator_unit_id"] for a in self.allocations if a["year"] == year)
            for by in allocators:
                # Published within 15 working days of the allocator's last allocation of the year.
                last = max(a["allocated_on"] for a in self.allocations
                           if a["year"] == year and a["allocator_unit_id"] == by)
                title = {"czj": f"演示县{year}年度财政衔接推进乡村振兴补助资金分配结果公告",
                         "xczx": f"演示县乡村振兴局{year}年度衔接资金分配结果公告"}.get(
                    by, f"{self.place_names[region_of[by]]}{year}年度村级衔接资金分配结果公告")
                notice("allocation-result", title, by, region_of[by], year, last + timedelta(days=rng.randint(3, 7)))
            for town in (r for r in self.regions if r["level"] == "township"):
                notice("project-plan", f"{town['name']}{year}年度衔接资金项目计划公示", f"zf{town['code'][6:9]}",
                       town["code"], year, date(year, 2, rng.randint(10, 20)))
        for p in self.projects:
            if p["status"] == "cancelled":
                continue
            region, year = p["region_code"], p["year"]
            if "、" in region:  # a project over several villages is noticed by their township government
                region = p["_town"]
            by = f"zf{region[6:9]}" if region == p["_town"] else f"cw{region[6:]}"
            place = self.place_names[region]
            # "红星村2025年度通组道路硬化工程", not "红星村2025年度红星村通组道路硬化工程".
            label = f"{place}{year}年度{p['name'].removeprefix(place)}"
            lead = (p["start_date"] - TODAY).days
            # A planned project's notice is open on TODAY; others go up 5-15 days before work starts.
            back = rng.randint(lead + 1, min(15, lead + 5)) if p["status"] == "planned" else rng.randint(16, 24)
            notice("before-start", f"{label}实施前公示", by, region, year,
                   p["start_date"] - timedelta(days=back), p["project_id"])
            if p["status"] in ("completed", "accepted"):
                notice("after-completion", f"{label}竣工公告", by, region, year,
                       p["end_date"] + timedelta(days=rng.randint(3, 7)), p["project_id"])
        kinds = list(self.schemas.field("notices", "kind")["constraints"]["enum"])
        rows.sort(key=lambda n: (n["year"], n["start_date"], kinds.index(n["kind"]), n["region_code"]))
        counter: dict[int, int] = {}
        for row in rows:
            counter[row["year"]] = counter.get(row["year"], 0) + 1
            row["notice_id"] = f"GS{row['year']}-{counter[row['year']]:03d}"
            # Each notice is dated (落款) the day before it goes up.
            row["published_on"] = row["start_date"] - timedelta(days=1)
        # As many real notices do, the rural revitalisation bureau's 2025 allocation result states no period.
        unstated = next(r for r in rows if r["kind"] == "allocation-result" and r["discloser_unit_id"] == "xczx")
        unstated["start_date"] = unstated["end_date"] = None
        joint = next(r for r in rows if r["kind"] == "allocation-result" and r["year"] == YEARS[-1]
                     and r["discloser_unit_id"] == CO_SIGNED[0])
        joint["discloser_unit_id"] = "、".join(CO_SIGNED)
        joint["title"] = f"演示县财政局 演示县农业农村局关于{YEARS[-1]}年度财政衔接推进乡村振兴补助资金分配结果的公告"
        # A township's allocation result carries the table of the projects its money pays for, as on the wall.
        combined = next(r for r in rows if r["kind"] == "allocation-result" and r["year"] == YEARS[-1]
                        and r["discloser_unit_id"].startswith("zf"))
        combined["kind"] = "allocation-and-projects"
        combined["title"] = combined["title"].replace("分配结果公告", "分配结果及项目安排公告")
        return rows

    def _completion(self, rng: random.Random) -> None:
        """What the completion notices report: the day of completion, the money spent, what was left and
        recovered, and for some a management fee; one states only the month it was completed."""
        done = [p for p in self.projects if p["status"] in ("completed", "accepted")]
        for i, p in enumerate(done):
            left = Decimal(rng.choice((0, 0, 0, rng.randint(3, 40) * 100)))
            p["completed_on"] = f"{p['end_date']:%Y-%m}" if i == 0 else p["end_date"]
            p["actual_spending"] = p["budget"] - left
            p["remainder_recovered"] = left if left else None
            if p["category"] == "infrastructure" and rng.random() < 0.3:
                p["management_fee"] = (p["budget"] * Decimal("0.01")).quantize(Decimal("1"))

    def unit_name(self, unit_id: str) -> str:
        return next(u["name"] for u in self.units if u["unit_id"] == unit_id)

    def _ledgers(self, rng: random.Random) -> None:
        _ledgers(self, rng)

    def _beneficiaries(self, rng: random.Random) -> list[dict]:
        """List the households of each 到户 subsidy project; their subsidies add up to the project's budget."""
        rows = []
        villages = {r["code"]: r for r in self.regions if r["level"] == "village"}
        # The first 2026 loan-interest project publishes its totals per village, as 贴息 notices often do.
        totals_only = next((p["project_id"] for p in self.projects if p["year"] == 2026 and "贴息" in p["name"]), None)
        for p in self.projects:
            count = p.get("beneficiary_households") or 0
            if not p.get("subsidy_standard") or p["status"] in ("cancelled", "planned") or not count:
                continue
            places = [p["region_code"]] if p["region_code"] in villages else \
                [c for c in villages if c.startswith(p["region_code"][:9])]
            share = (p["budget"] / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
            for i in range(count):
                subsidy = share if i < count - 1 else p["budget"] - share * (count - 1)
                rows.append({"project_id": p["project_id"], "household_id": f"H{i + 1:03d}", "household": _masked(rng),
                             "region_code": rng.choice(places), "members": rng.randint(1, 6), "subsidy": subsidy,
                             "paid_on": p["end_date"] if p["status"] in ("completed", "accepted") else None,
                             "notes": None})
            p["beneficiary_people"] = sum(r["members"] for r in rows[-count:])  # as its list adds up
            if p["project_id"] == totals_only:
                rows[-count:] = _village_totals(rows[-count:])
        return rows


# The department that answers for a kind of project (主管部门), by the words of its name.
COMPETENT = (("道路", "jtj"), ("产业路", "jtj"), ("供水", "slj"), ("饮水", "slj"), ("灌溉", "slj"), ("渠", "slj"),
             ("培训", "rsj"), ("务工", "rsj"), ("公益性岗位", "rsj"), ("就业", "rsj"))
SCALE = re.compile(r"(\d+(?:\.\d+)?)\s*(公里|千米|米|盏|亩|头|只|户|人|座|口|吨|平方米|千瓦|处|个|眼|立方米)")


def _ledgers(county: _County, rng: random.Random) -> None:
    """The ledgers the standard forms keep: structured performance indicators (with a self-evaluation for the
    accepted projects of the earlier year), payment claims, supervision responsibilities, assets and a problem
    rectification ledger with a few honest findings (a rectification overdue on TODAY, one still open)."""
    projects = [p for p in county.projects if p["status"] != "cancelled"]
    passed = {}
    for a in county.acceptances:
        if a["result"] == "passed":
            passed[a["project_id"]] = max(passed.get(a["project_id"], a["accepted_on"]), a["accepted_on"])
    funds: dict[str, list[dict]] = {}
    for f in county.project_funds:
        funds.setdefault(f["project_id"], []).append(f)
    for p in county.projects:
        p["competent_unit_id"] = next((unit for word, unit in COMPETENT if word in p["name"]),
                                      "nyj" if p["category"] == "industry" else "xczx")
        if p["category"] == "infrastructure":
            p["nature"] = "renovation" if ("改造" in p["name"] or "维修" in p["name"]) else "new"
    county.indicators = [row for p in projects for row in _indicators(p, passed, rng)]
    county.disbursements = _disbursements(county, projects, passed, funds, rng)
    county.supervisors = _supervisors(county, projects, rng)
    county.assets = _assets(county, projects, passed, rng)
    county.problems = _problems(county, passed, rng)
    county.inspections = _inspections(county, rng)
    for problem in county.problems:  # each found by the inspection under way, where there was one
        problem["inspection_id"] = next((i["inspection_id"] for i in county.inspections
                                         if i["start_date"] <= problem["found_on"] <= i["end_date"]), None)
    county.accountability_actions = _actions(county)
    county.evaluations = _evaluations(county, passed, rng)
    _upstream(county, rng)
    for a in county.acceptances:
        p = next(p for p in county.projects if p["project_id"] == a["project_id"])
        if a["result"] == "passed" and a["stage"] != "village" and len(p["content"]) <= 500:
            a["completed_work"] = p["content"]
            a["actual_investment"] = p.get("actual_spending")
    by_project = {p["project_id"]: p for p in county.projects}
    for b in county.beneficiaries:
        if not b.get("household"):
            continue  # a village's total row names no household
        p = by_project[b["project_id"]]
        b["group_name"] = f"{rng.randint(1, 8)}组"
        b["household_type"] = rng.choices(("alleviated", "monitored", "other"), (80, 15, 5))[0]
        if p["category"] == "industry":
            b["item"] = rng.choice([f"养殖{a}" for a in LIVESTOCK] + [f"种植{c}" for c in CROPS])
        else:
            b["item"] = p["name"].removeprefix(county.place_names.get(p["region_code"].split("、")[0], ""))[:100]
        b["applied_on"] = p["start_date"] - timedelta(days=rng.randint(20, 40))


def _indicators(p: dict, passed: dict, rng: random.Random) -> list[dict]:
    """A project's performance targets as the 绩效目标申报表 lists them; the self-evaluation of the accepted
    projects of the earlier year (actual, weight, score, reason)."""
    scale = SCALE.search(p["content"])
    rows = [("output", "quantity", "完成建设（扶持）规模", f"≥{scale.group(1)}", scale.group(2)) if scale else
            ("output", "quantity", "完成项目建设内容", "100", "%"),
            ("output", "quality", "项目验收合格率", "100", "%"),
            ("output", "timeliness", "项目按期完成率", "100", "%"),
            ("output", "cost", "项目总投资", f"≤{p['budget'] / 10000:.2f}", "万元"),
            ("benefit", "social", "受益农户", f"≥{p['beneficiary_households']}", "户"),
            ("benefit", "sustainability", "工程（设施）持续发挥效益年限", "≥10", "年") if p["category"] == "infrastructure"
            else ("benefit", "economic", "带动受益户户均增收", f"≥{rng.randint(4, 20) * 100}", "元"),
            ("satisfaction", "satisfaction", "受益群众满意度", "≥90", "%")]
    weights = {"output": Decimal("12.5"), "benefit": Decimal(15), "satisfaction": Decimal(10)}  # 50, 30, 10
    evaluated = p["year"] == YEARS[0] and p["project_id"] in passed
    late = evaluated and rng.random() < 0.15
    out = []
    for i, (level1, level2, name, target, unit) in enumerate(rows, 1):
        row = {"project_id": p["project_id"], "indicator_id": str(i), "level1": level1, "level2": level2,
               "name": name, "target": target, "unit": unit}
        if evaluated:
            weight = weights[level1]
            actual, score, reason = target.lstrip("≥≤"), weight, None
            if level2 == "satisfaction":
                actual = str(rng.randint(92, 99))
            elif level2 == "timeliness" and late:
                actual, score = "0", weight - 4
                reason = "雨季停工，比计划晚完工；今后开工前排好工期，避开雨季施工"
            row.update(actual=actual, weight=weight, score=score, deviation_reason=reason)
        out.append(row)
    return out


def _disbursements(county: _County, projects: list[dict], passed: dict, funds: dict, rng: random.Random) -> list[dict]:
    """Payment claims: for built projects 30% in advance, a progress payment, the final account after acceptance
    (less 5% retention, paid a year on); for subsidies to households one payment after acceptance."""
    rows = []
    for p in projects:
        if p["status"] in ("planned",) or not funds.get(p["project_id"]):
            continue
        share = funds[p["project_id"]]
        total = sum((f["amount"] for f in share), Decimal(0))
        spent = min(total, p.get("actual_spending") or total)
        source = share[0]["allocation_id"]
        builder = p["construction_unit"]
        stages = []
        if builder:
            advance = (spent * Decimal("0.3")).quantize(Decimal("1"))
            stages.append(("advance", "工程预付款", p["start_date"] + timedelta(days=rng.randint(3, 10)), advance))
            progress = (spent * Decimal("0.4")).quantize(Decimal("1"))
            stages.append(("progress", "工程进度款", p["start_date"] + timedelta(days=rng.randint(20, 28)), progress))
            if p["project_id"] in passed:
                retention = (spent * Decimal("0.05")).quantize(Decimal("0.01"))
                final = spent - advance - progress - retention
                day = passed[p["project_id"]] + timedelta(days=rng.randint(5, 20))
                stages.append(("final", "工程完工结算款", day, final))
                if day + timedelta(days=365) <= TODAY:
                    stages.append(("retention", "工程质量保证金（质保期满）", day + timedelta(days=365), retention))
            payee = builder
        elif p["project_id"] in passed:
            stages.append(("final", "到户补助资金兑付" if p.get("subsidy_standard") else "项目资金报账",
                           passed[p["project_id"]] + timedelta(days=rng.randint(5, 20)), spent))
            payee = "农户（见到户补助明细）" if p.get("subsidy_standard") else county.unit_name(p["implementing_unit_id"])
        else:
            continue
        for stage, item, day, amount in stages:
            if day > TODAY:
                continue
            rows.append({"project_id": p["project_id"], "allocation_id": source, "stage": stage,
                         "item": f"{p['name']}{item}", "applied_on": day,
                         "paid_on": day + timedelta(days=rng.randint(3, 12)), "amount": amount, "payee": payee,
                         "voucher_no": None, "notes": None})
    rows.sort(key=lambda r: (r["applied_on"], r["project_id"]))
    for i, row in enumerate(rows, 1):
        row["disbursement_id"] = f"BZ{row['applied_on'].year}-{i:03d}"
        row["voucher_no"] = f"记-{row['applied_on']:%m}-{rng.randint(1, 99):02d}"
        if row["paid_on"] > TODAY:
            row["paid_on"] = None
    return rows


def _supervisors(county: _County, projects: list[dict], rng: random.Random) -> list[dict]:
    """Each project's township government signs a supervision letter before work starts, and its competent
    department a performance letter; one 2026 letter was signed after the start, one project has none."""
    rows = []
    late = next(p["project_id"] for p in projects if p["year"] == YEARS[-1] and p["status"] == "in-progress")
    missing = [p["project_id"] for p in projects if p["year"] == YEARS[-1] and p["status"] == "in-progress"][1]
    for p in projects:
        if p["project_id"] == missing:
            continue
        town = f"zf{p['_town'][6:9]}"
        signed = p["start_date"] - timedelta(days=rng.randint(5, 20))
        if p["project_id"] == late:
            signed = p["start_date"] + timedelta(days=12)
        if signed > TODAY:
            continue  # a planned project's letters are not signed yet
        number = f"{county.place_names[p['_town']][0]}监字〔{p['year']}〕{len(rows) + 1}号"
        rows.append({"project_id": p["project_id"], "unit_id": town, "role": "township",
                     "person": county.staff[town][0], "letter_kind": "supervision", "letter_no": number,
                     "signed_on": signed, "accountability": "lifelong", "notes": None})
        dept = p["competent_unit_id"]
        if dept != town and dept != p["implementing_unit_id"]:
            rows.append({"project_id": p["project_id"], "unit_id": dept, "role": "competent-department",
                         "person": county.staff[dept][1], "letter_kind": "performance", "letter_no": None,
                         "signed_on": signed, "accountability": "lifelong", "notes": None})
    return rows


def _assets(county: _County, projects: list[dict], passed: dict, rng: random.Random) -> list[dict]:
    """What the accepted projects left: roads and water works owned by the village and kept by its committee,
    workshops and plants run by the collective; handed over after the last acceptance."""
    rows = []
    for p in projects:
        if p["project_id"] not in passed or p["category"] not in ("infrastructure", "industry"):
            continue
        if p.get("subsidy_standard"):
            continue  # subsidies to households leave the households' own assets, not registered here
        scale = SCALE.search(p["content"])
        village = p["region_code"].split("、")[0]
        owner = "village" if village != p["_town"] else "township"
        rows.append({"project_id": p["project_id"], "name": p["name"],
                     "class": "public-welfare" if p["category"] == "infrastructure" else "operating",
                     "quantity": Decimal(scale.group(1)) if scale else None, "unit": scale.group(2) if scale else None,
                     "value": p.get("actual_spending") or p["budget"], "owner_level": owner,
                     "owner_region_code": village, "maintainer": county.unit_name(
                         f"cw{village[6:]}" if owner == "village" else f"zf{village[6:9]}"),
                     "handed_over_on": passed[p["project_id"]] + timedelta(days=rng.randint(10, 30)),
                     "notes": "收益按村集体经济组织章程分配，优先用于公益性岗位和脱贫户" if p["category"] == "industry" else None})
    rows = [r for r in rows if r["handed_over_on"] <= TODAY]
    for i, row in enumerate(rows, 1):
        row["asset_id"] = f"ZC{row['handed_over_on'].year}-{i:03d}"
    return rows


def _problems(county: _County, passed: dict, rng: random.Random) -> list[dict]:
    """The rectification ledger: what county inspections, an audit and a villager's complaint found; most closed,
    one overdue on TODAY, one still within its deadline."""
    rectified = [a for a in county.acceptances if a["result"] == "rectify"]
    moving = [p for p in county.projects if p["status"] == "in-progress"]
    spare = next(a for a in county.allocations if a["year"] == YEARS[0] and a["allocator_unit_id"] == "czj")
    first = county.projects[0]
    cases = [
        ("inspection", rectified[0]["accepted_on"], rectified[0]["project_id"], None, "quality",
         f"村级初验发现：{rectified[0]['notes']}", None, "xczx", None, "责成施工单位返工，村委会和驻村工作队现场监督",
         15, "closed"),
        ("inspection", date(YEARS[0], 9, 12), first["project_id"], None, "disclosure",
         "项目公示牌未标明监督举报电话，竣工公告未在村务公开栏张贴", None, "xczx", None,
         "补充公示牌内容，在村务公开栏补贴竣工公告并拍照留存", 10, "closed"),
        ("audit", date(YEARS[0], 11, 20), None, spare["allocation_id"], "funds-idle",
         "审计发现部分衔接资金结余未及时安排到项目，资金闲置", spare["amount"] // 10, "czj", "xczx",
         "结余资金统筹安排到2026年度项目，加快项目实施和资金拨付", 60, "closed"),
        ("complaint", date(YEARS[-1], 8, 26), moving[0]["project_id"], None, "progress",
         "群众反映项目开工后停工近一个月，施工进度缓慢", None, "xczx", None,
         "约谈施工单位负责人，增加施工人员，每周报告进度", 30, "in-progress"),
        ("inspection", date(YEARS[-1], 11, 10), moving[1]["project_id"], None, "disclosure",
         "实施前公示期不足10天即开工", None, "xczx", None, "补充公示，公示期满无异议后继续施工", 20, "open"),
    ]
    rows = []
    for i, (source, found, project, allocation, category, text, amount, lead, _, measures, days, status) in \
            enumerate(cases, 1):
        region = "519901000000"
        unit = "czj" if category == "funds-idle" else None
        if project:
            p = next(x for x in county.projects if x["project_id"] == project)
            region = p["region_code"].split("、")[0]
            unit = p["implementing_unit_id"] if p["implementing_unit_id"] in county.staff else f"zf{region[6:9]}"
        deadline = found + timedelta(days=days)
        done = deadline - timedelta(days=rng.randint(1, 5)) if status in ("rectified", "closed") else None
        rows.append({"problem_id": f"WT{found.year}-{i:03d}", "source": source, "found_on": found,
                     "project_id": project, "allocation_id": allocation, "region_code": region,
                     "category": category, "description": text, "amount_involved": amount, "lead_unit_id": lead,
                     "responsible_unit_id": unit, "responsible_person": county.staff[unit][0],
                     "measures": measures, "deadline": deadline, "status": status, "rectified_on": done,
                     "closed_on": done + timedelta(days=rng.randint(3, 10)) if done else None,
                     "verified_by": county.unit_name(lead) if done else None})
    return rows


def _inspections(county: _County, rng: random.Random) -> list[dict]:
    """The county's routine inspections, one a quarter, except the second quarter of the earlier year (an honest
    finding: 督查频次不足); and the inspections the problems ledger names."""
    rows = []
    towns = [r["code"] for r in county.regions if r["level"] == "township"]
    for year in YEARS:
        for quarter in (1, 2, 3, 4):
            if (year, quarter) == (YEARS[0], 2):
                continue
            start = date(year, 3 * quarter - 1, rng.randint(8, 20))
            if start > TODAY:
                continue
            rows.append({"kind": "routine", "organizer_unit_id": "xczx", "start_date": start,
                         "end_date": start + timedelta(days=rng.randint(2, 4)), "region_code": COUNTY_CODE,
                         "villages_checked": rng.randint(8, 16), "projects_checked": rng.randint(12, 30),
                         "households_visited": rng.randint(30, 80), "problems_found": None,
                         "document_no": None, "summary": "督查项目进度、资金拨付、公告公示和到户补助发放"})
    for problem in county.problems:  # the inspections that found the ledger's problems
        if problem["source"] == "inspection" and not any(
                r["start_date"] <= problem["found_on"] <= r["end_date"] for r in rows):
            rows.append({"kind": "spot", "organizer_unit_id": "xczx", "start_date": problem["found_on"],
                         "end_date": problem["found_on"] + timedelta(days=1),
                         "region_code": problem["region_code"][:9] + "000" if problem["region_code"] != COUNTY_CODE
                         else rng.choice(towns), "villages_checked": rng.randint(2, 5),
                         "projects_checked": rng.randint(3, 8), "households_visited": rng.randint(5, 20),
                         "problems_found": None, "document_no": None, "summary": "专项抽查项目建设和公告公示"})
    rows.sort(key=lambda r: r["start_date"])
    for i, row in enumerate(rows, 1):
        row["inspection_id"] = f"DC{row['start_date'].year}-{i:02d}"
        row["problems_found"] = sum(1 for p in county.problems if p["source"] == "inspection"
                                    and row["start_date"] <= p["found_on"] <= row["end_date"])
        row["document_no"] = f"演乡振督〔{row['start_date'].year}〕{i}号"
    return rows


def _actions(county: _County) -> list[dict]:
    """The overdue rectification was pressed twice: a written reminder, then a work interview."""
    late = next(p for p in county.problems if p["status"] == "in-progress")
    first = late["deadline"] + timedelta(days=14)
    return [{"action_id": f"WZ{first.year}-001", "problem_id": late["problem_id"], "kind": "written-reminder",
             "taken_on": first, "by_unit_id": "xczx", "target_unit_id": late["responsible_unit_id"],
             "document_no": f"演乡振督函〔{first.year}〕7号", "notes": None},
            {"action_id": f"WZ{first.year}-002", "problem_id": late["problem_id"], "kind": "work-interview",
             "taken_on": first + timedelta(days=21), "by_unit_id": "xczx",
             "target_unit_id": late["responsible_unit_id"], "document_no": None,
             "notes": "约谈施工单位和村委会负责人，要求11月底前复工"}]


def _evaluations(county: _County, passed: dict, rng: random.Random) -> list[dict]:
    """Evaluations of the earlier year's accepted projects a year on, where one has been made."""
    rows = []
    for p in county.projects:
        day = passed.get(p["project_id"])
        if p["status"] != "accepted" or day is None or day.year != YEARS[0]:
            continue
        due = day + timedelta(days=365)
        if due <= TODAY and rng.random() < 0.5:
            rows.append({"project_id": p["project_id"], "evaluated_on": due + timedelta(days=rng.randint(0, 20)),
                         "kind": "self", "score": Decimal(rng.randint(86, 98)), "grade": None,
                         "operating": "normal", "summary": "项目运行正常，管护责任落实，群众满意"})
    rows = [r for r in rows if r["evaluated_on"] <= TODAY]
    for i, row in enumerate(rows, 1):
        row["evaluation_id"] = f"PG{row['evaluated_on'].year}-{i:03d}"
        row["grade"] = "excellent" if row["score"] >= 90 else "good"
    return rows


def _upstream(county: _County, rng: random.Random) -> None:
    """Where the county's money came from upstream: the province's document and when it was issued, and when the
    money reached the county. Recorded for the first three of the county finance bureau's allocations of the later
    year (the ledger was started then); one arrived late (an honest finding: 上级资金到县滞后)."""
    theirs = [a for a in county.allocations if a["allocator_unit_id"] == "czj" and a["year"] == YEARS[-1]][:3]
    for i, a in enumerate(theirs):
        received = a["allocated_on"] - timedelta(days=rng.randint(5, 12))
        gap = 45 if i == 0 else rng.randint(10, 20)
        a["received_on"] = received
        a["upstream_issued_on"] = received - timedelta(days=gap)
        a["upstream_document_no"] = f"演省财农〔{a['year'] - 1 if i == 0 else a['year']}〕{rng.randint(80, 160)}号"


def _village_totals(households: list[dict]) -> list[dict]:
    """One total row per village (no names): households, people and subsidy."""
    by_village: dict[str, list[dict]] = {}
    for h in households:
        by_village.setdefault(h["region_code"], []).append(h)
    return [{"project_id": rows[0]["project_id"], "household_id": f"HZ{i:02d}", "household": None,
             "region_code": code, "households": len(rows), "members": sum(r["members"] for r in rows),
             "subsidy": sum((r["subsidy"] for r in rows), Decimal(0)), "paid_on": rows[0]["paid_on"],
             "notes": None}
            for i, (code, rows) in enumerate(sorted(by_village.items()), 1)]


def _masked(rng: random.Random) -> str:
    """Return a masked fictional name as notices print it: the surname, then at least one hidden character."""
    given = rng.choice(GIVEN)
    return rng.choice(SURNAMES) + ("*" + given[-1] if rng.random() < 0.7 else "*" * len(given))


def write_demo(folder: str | Path, seed: int = 2025) -> None:
    """Write the demo county package (CSV files + datapackage.json) into folder."""
    # The day its data is true on (as_of): a site of demo counties alone is shown as on that day, so that its notices
    # are on TV and in their period whenever it is built (site/generator.py).
    _County(seed).write(folder, TITLE, demo=True, optional=OPTIONAL_RESOURCES, extra={"as_of": TODAY.isoformat()})


# Money of 2019, shown under its 2019 name (省级财政专项扶贫资金), not today's.
OLD_MONEY = {"allocation_id": "ZJ2019-001", "year": 2019, "document_no": "演财农〔2019〕23号",
             "fund_source": "special-fund", "fund_level": "provincial", "fund_name": "",
             "allocator_unit_id": "czj", "recipient_region_code": "519901000000", "recipient_unit_id": "xczx",
             "amount": Decimal("1200000.00"), "allocated_on": date(2019, 4, 8),
             "purpose": "用于2019年产业扶贫项目（演示数据不含2019年的项目）", "allocation_basis": "按因素法分配"}
LEVELS = ("central", "provincial", "city", "county")

# The demo's publication history: an earlier version, published on EARLIER, differed from today's in one
# allocation's amount (later corrected) and lacked the notices posted since.
EARLIER = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
CURRENT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
CORRECTED_ALLOCATION = "ZJ2025-003"


def make_earlier_version(folder: str | Path) -> None:
    """Turn a freshly written demo package into its earlier published version."""
    folder = Path(folder)
    with open(folder / "allocations.csv", encoding="utf-8", newline="") as fh:
        allocations = list(csv.reader(fh))
    amount = allocations[0].index("amount")
    for row in allocations[1:]:
        if row[0] == CORRECTED_ALLOCATION:
            row[amount] = cell(Decimal(row[amount]) + Decimal("20000"))
    with open(folder / "notices.csv", encoding="utf-8", newline="") as fh:
        notices = list(csv.reader(fh))
    start, published = notices[0].index("start_date"), notices[0].index("published_on")
    notices = [notices[0]] + [r for r in notices[1:] if date.fromisoformat(r[start] or r[published]) < EARLIER.date()]
    for name, rows in (("allocations", allocations), ("notices", notices)):
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
