"""Generate a realistic province (Sichuan's real counties and townships, synthetic villages) to measure scale on.

At scale 1.0: 183 counties, ~3,100 townships, ~31,000 villages, ~200,000 projects, ~100,000 allocations, ~300,000
project_funds rows, acceptances and notices; every package valid, signed with a test key and released.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from ..package import divisions
from ..schemas import load_schemas
from ..trust import sshsig
from ..trust.history import release
from ..trust.sign import sign_file, sign_package
from .county import SyntheticCounty

PROVINCE = "51"  # Sichuan
VILLAGES_PER_TOWNSHIP = 10
FULL = {"projects": 200_000, "allocations": 100_000}
YEARS = (2025, 2026)
FIRST = ("红", "金", "清", "桃", "柳", "马", "凤", "黄", "团", "茶", "石", "新", "杨", "白", "龙", "观", "青", "高",
         "太", "双", "河", "松", "光", "水", "大", "竹", "仁", "梨", "花", "堰", "永", "和", "安", "长", "东", "西")
SECOND = ("星", "竹", "泉", "园", "湾", "鞍", "凰", "桷", "结", "山", "门", "华", "柳", "果", "井", "音", "杠", "峰",
          "平", "龙", "口", "林", "明", "坪", "树", "塘", "福", "乐", "兴", "岭", "桥", "溪", "坝", "沟", "湖")
KINDS = (  # category, name, content, targets, mechanism
    ("infrastructure", "{v}通组道路硬化工程", "硬化道路{q}公里，宽4.5米", "新建硬化道路{q}公里；验收合格率100%；群众满意度≥95%",
     "改善出行条件，降低农产品运输成本，吸纳本村脱贫户务工"),
    ("infrastructure", "{v}农村供水保障工程", "新建蓄水池{q}口，铺设管网", "解决饮水安全；水质达标率100%；群众满意度≥95%",
     "保障脱贫户和监测户安全饮水，吸纳本村劳动力务工"),
    ("industry", "{v}特色产业园提质增效项目", "改造产业基地{q}00亩", "改造基地{q}00亩；带动农户增收；群众满意度≥95%",
     "采取“合作社+农户”模式，吸纳脱贫户务工，户均增收1000元以上"),
    ("employment", "{v}公益性岗位开发项目", "开发公益性岗位{q}个", "安置脱贫劳动力{q}人；按月足额发放补贴",
     "优先安置弱劳力、半劳力脱贫人口，稳定增加工资性收入"),
    ("industry", "{v}农产品冷链仓储设施建设项目", "新建冷库{q}00立方米", "新增仓储能力；设施使用率≥80%；群众满意度≥95%",
     "村集体持有资产，收益按比例分配给脱贫户和监测户"),
)
STATUS = (("accepted", 50), ("completed", 15), ("in-progress", 20), ("planned", 14), ("cancelled", 1))


def _reference() -> tuple[list[dict], dict[str, list[dict]]]:
    """Sichuan's counties that have townships, and each county's townships, from the national list."""
    listed = divisions.load()
    townships = {code: [{"code": t.code, "name": t.name} for t in found]
                 for code, found in listed.by_county.items() if code.startswith(PROVINCE)}
    counties = [{"code": c.code, "name": c.name} for c in listed.counties_of(PROVINCE)]
    return [c for c in counties if townships.get(c["code"])], townships


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high, 100))


def _day(rng: random.Random, year: int, first_month: int, last_month: int) -> dt.date:
    return dt.date(year, rng.randint(first_month, last_month), rng.randint(1, 28))


class _County(SyntheticCounty):
    """All tables of one synthetic county, sized by its share of the province's projects and allocations."""

    def __init__(self, code: str, name: str, townships: list[dict], projects: int, allocations: int, rng,
                 schemas=None) -> None:
        super().__init__(code, schemas)
        self.name, self.rng = name, rng
        self._places(townships)
        self._projects(projects)
        self._allocations(allocations)
        self._acceptances_and_notices()

    def _places(self, townships: list[dict]) -> None:
        rng, county = self.rng, self.code + "000000"
        self.tables["regions"].append([county, self.name, "county", "", "0800-5200000"])
        self.tables["units"] += [["czj", f"{self.name}财政局", "finance-bureau", county, "0800-5200001"],
                                 ["xczx", f"{self.name}乡村振兴局", "poverty-office", county, "0800-5200002"]]
        self.villages: list[tuple[str, str, str]] = []  # (village code, name, township code)
        self.township_names: dict[str, str] = {}
        for t in townships:
            code = t["code"] + "000"
            self.township_names[code] = t["name"]
            self.tables["regions"].append([code, t["name"], "township", county, ""])
            self.tables["units"].append([f"zf{t['code'][6:]}", f"{t['name']}人民政府", "township-government", code, ""])
            names = set()
            while len(names) < VILLAGES_PER_TOWNSHIP:
                names.add(rng.choice(FIRST) + rng.choice(SECOND) + "村")
            for i, village in enumerate(sorted(names)):
                vcode = t["code"] + f"{201 + i:03d}"
                self.villages.append((vcode, village, code))
                self.tables["regions"].append([vcode, village, "village", code, ""])
                self.tables["units"].append([f"cw{vcode[6:]}", f"{village}村民委员会", "village-committee", vcode, ""])

    def _projects(self, count: int) -> None:
        rng = self.rng
        self.projects: list[dict] = []
        statuses = [s for s, w in STATUS for _ in range(w)]
        for i in range(count):
            year = YEARS[i % len(YEARS)]
            vcode, village, township = rng.choice(self.villages)
            category, name, content, targets, mechanism = rng.choice(KINDS)
            q = rng.randint(1, 9)
            start = _day(rng, year, 4, 8)
            status = rng.choice(statuses)
            p = {"id": f"XM{year}-{i + 1:06d}", "year": year, "village": vcode, "township": township, "status": status,
                 "start": start, "end": start + dt.timedelta(days=rng.randint(30, 150)),
                 "budget": _money(rng, 50_000, 2_000_000)}
            self.projects.append(p)
            self.tables["projects"].append([
                p["id"], year, name.format(v=village), category, vcode, f"{village}{rng.randint(1, 9)}组",
                content.format(q=q), p["start"].isoformat(), p["end"].isoformat(), f"cw{vcode[6:]}",
                f"{rng.choice(FIRST)}{rng.choice(SECOND)}", "", "", f"{p['budget']:.2f}", "", "",
                targets.format(q=q), mechanism, rng.randint(5, 120), rng.randint(15, 400), "", "", "", "", "",
                "", status, "new" if category == "infrastructure" else "", ""])

    def _allocations(self, count: int) -> None:
        """Allocate to townships, per year, and fund every live project from its own township's allocations."""
        rng = self.rng
        live = [p for p in self.projects if p["status"] != "cancelled"]
        groups: dict[tuple[str, int], list[dict]] = {}
        for p in live:
            groups.setdefault((p["township"], p["year"]), []).append(p)
        per_group = max(1, count // max(1, len(groups)))
        serial = 0
        for (township, year), projects in sorted(groups.items()):
            ids = []
            for _ in range(min(per_group, len(projects))):
                serial += 1
                ids.append(f"ZJ{year}-{serial:06d}")
            drawn = dict.fromkeys(ids, Decimal(0))
            for p in projects:
                chosen = rng.sample(ids, 2) if len(ids) > 1 and rng.random() < 0.5 else [rng.choice(ids)]
                if len(chosen) == 2:
                    first = (p["budget"] * Decimal("0.6")).quantize(Decimal("0.01"))
                    shares = [first, p["budget"] - first]
                else:
                    shares = [p["budget"]]
                for allocation, share in zip(chosen, shares, strict=True):
                    drawn[allocation] += share
                    self.tables["project_funds"].append([p["id"], allocation, f"{share:.2f}"])
            for allocation in ids:
                leftover = Decimal(rng.choice((0, 0, 0, 10_000, 50_000)))
                day = _day(rng, year, 1, 3)
                self.tables["allocations"].append([
                    allocation, year, f"财农〔{year}〕{allocation[-4:]}号", rng.choice(("central", "provincial", "county",
                                                                                   "integrated")), "", "",
                    "czj", township, f"zf{township[6:9]}", f"{drawn[allocation] + leftover:.2f}", day.isoformat(),
                    "衔接推进乡村振兴项目", "按因素法分配", "", "", "", ""])

    def _acceptances_and_notices(self) -> None:
        rng, notices = self.rng, self.tables["notices"]
        serial = 0
        for p in self.projects:
            if p["status"] in ("completed", "accepted"):
                day = p["end"] + dt.timedelta(days=rng.randint(3, 20))
                self.tables["acceptances"].append([p["id"], "village", day.isoformat(), "passed", "验收小组", "", "", ""])
                if p["status"] == "accepted":
                    later = day + dt.timedelta(days=rng.randint(5, 30))
                    self.tables["acceptances"].append([p["id"], "township", later.isoformat(), "passed", "复验小组", "",
                                                       "", ""])
            if p["status"] != "cancelled" and int(p["id"][-6:]) % 4 == 0:
                serial += 1
                start = p["start"] - dt.timedelta(days=15)
                notices.append([f"GS{p['year']}-{serial:06d}", "before-start", f"{p['id']}实施前公示",
                                f"cw{p['village'][6:]}", p["village"], p["year"], start.isoformat(),
                                (start + dt.timedelta(days=10)).isoformat(), p["id"],
                                (start - dt.timedelta(days=1)).isoformat(), "", "", ""])
        for year in YEARS:
            for township, name in self.township_names.items():
                serial += 1
                start = dt.date(year, 2, 20)
                notices.append([f"GS{year}-{serial:06d}", "project-plan", f"{name}{year}年度衔接资金项目计划公示",
                                f"zf{township[6:9]}", township, year, start.isoformat(),
                                (start + dt.timedelta(days=12)).isoformat(), "",
                                (start - dt.timedelta(days=1)).isoformat(), "", "", ""])
            serial += 1
            notices.append([f"GS{year}-{serial:06d}", "allocation-result", f"{self.name}{year}年度资金分配结果公告", "czj",
                            self.code + "000000", year, f"{year}-04-10", f"{year}-04-25", "", f"{year}-04-09", "", "", ""])


def generate_province(out: str | Path, scale: float = 1.0, seed: int = 1) -> dict:
    """Write a province into out/data, its test keys and trust file into out/keys, its releases into out/history."""
    out = Path(out)
    rng = random.Random(seed)
    counties, townships = _reference()
    count = max(2, min(len(counties), round(len(counties) * scale)))
    chosen = sorted(rng.sample(counties, count), key=lambda c: c["code"])
    total_townships = sum(len(townships[c["code"]]) for c in chosen)
    keys = out / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    for name in ("province", "counties"):
        if not (keys / name).exists():
            sshsig.generate_key(keys / name, f"gongshi-test-{name}")
    county_line = (keys / "counties.pub").read_text(encoding="utf-8").strip()
    (keys / "allowed_signers").write_text(
        "# Test trust file of a generated province: one test key signs every county.\n"
        f'51* namespaces="gongshi",valid-after="20200101Z" {county_line}\n', encoding="utf-8")
    sign_file(keys / "allowed_signers", keys / "province")
    summary = {"counties": count, "townships": total_townships, "villages": 0, "rows": 0}
    schemas = load_schemas()
    for county in chosen:
        share = len(townships[county["code"]]) / total_townships
        generated = _County(county["code"], county["name"], townships[county["code"]],
                            max(4, round(FULL["projects"] * scale * share)),
                            max(2, round(FULL["allocations"] * scale * share)), rng, schemas)
        folder = out / "data" / county["code"]
        summary["rows"] += generated.write(folder, f"{county['name']}扶贫资金项目公告公示数据（合成测试数据）")
        summary["villages"] += len(generated.villages)
        sign_package(folder, keys / "counties")
        release(folder, out / "history", county["code"], keys / "counties", when=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    summary["province_key_fingerprint"] = province_fingerprint(out)
    return summary


def province_fingerprint(out: str | Path) -> str:
    """Return the fingerprint of a generated province's test province key."""
    key = sshsig.load_private_key(Path(out) / "keys" / "province")
    return sshsig.fingerprint(sshsig.public_blob(key.public_key()))
