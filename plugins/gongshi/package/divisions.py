"""China's statistical division codes (reference/): provinces, prefectures, counties and townships, to look codes up.

The list is one edition of the National Bureau of Statistics' codes (see reference/README.md). Villages are not in
it. A lookup never fails: an unknown code gives None, and `closest` names the real divisions a clerk most likely
meant.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REFERENCE = Path(__file__).parent / "reference"


@dataclass(frozen=True)
class Division:
    code: str  # 2 (province), 4 (prefecture), 6 (county) or 9 (township) digits
    name: str
    parent: str  # the code of the division above ("" for a province)

    @property
    def code12(self) -> str:
        """The 12-digit statistical code, as regions.csv writes it."""
        return self.code.ljust(12, "0")


@dataclass(frozen=True)
class Divisions:
    provinces: dict[str, Division]
    prefectures: dict[str, Division]
    counties: dict[str, Division]
    townships: dict[str, Division]
    by_county: dict[str, tuple[Division, ...]]  # each county's townships, in code order

    def county(self, code: str) -> Division | None:
        return self.counties.get(code)

    def townships_of(self, county: str) -> list[Division]:
        return list(self.by_county.get(county, ()))

    def full_name(self, county: str) -> str:
        """Province, prefecture and county, as a letter's address gives them: 河南省安阳市北关区."""
        found = self.counties.get(county)
        if found is None:
            return county
        prefecture = self.prefectures.get(found.parent)
        province = self.provinces.get(county[:2])
        # Municipalities list their districts under 市辖区 or 县, which an address leaves out.
        middle = prefecture.name if prefecture and prefecture.name not in ("市辖区", "县", "省直辖县级行政区划",
                                                                            "自治区直辖县级行政区划", found.name) else ""
        return (province.name if province else "") + middle + found.name

    def counties_of(self, prefix: str) -> list[Division]:
        """The counties whose code starts with prefix (a province's 2 or a prefecture's 4 digits)."""
        return [c for code, c in self.counties.items() if code.startswith(prefix)]

    def closest_counties(self, code: str, name: str | None = None, limit: int = 3) -> list[Division]:
        """The real counties a clerk most likely meant by code (and name, when given): same name first, then the
        counties of the same prefecture (or province) whose codes are nearest."""
        found: list[Division] = []
        if name:
            found += [c for c in self.counties.values() if c.name == name]
            if not found:
                names = difflib.get_close_matches(name, [c.name for c in self.counties.values()], n=limit,
                                                  cutoff=0.75)
                found += [c for c in self.counties.values() if c.name in names and c.code[:2] == code[:2]]
        for prefix in (code[:4], code[:2]):
            near = sorted(self.counties_of(prefix), key=lambda c: abs(int(c.code) - _number(code)))
            if near:
                found += near
                break
        return _unique(found)[:limit]

    def closest_townships(self, code: str, name: str | None = None, limit: int = 3) -> list[Division]:
        """The real townships of the code's county a clerk most likely meant: same name, a similar name, then the
        nearest codes."""
        townships = self.townships_of(code[:6])
        found = [t for t in townships if name and t.name == name]
        if name and not found:
            names = difflib.get_close_matches(name, [t.name for t in townships], n=limit, cutoff=0.5)
            found += sorted((t for t in townships if t.name in names), key=lambda t: names.index(t.name))
        found += sorted(townships, key=lambda t: abs(int(t.code) - _number(code[:9])))
        return _unique(found)[:limit]


def _number(code: str) -> int:
    """A code's digits as a number, to find the nearest codes; a code with other characters in it has none near."""
    return int(code) if code.isascii() and code.isdigit() else -(10 ** 12)


def _unique(divisions: list[Division]) -> list[Division]:
    seen: dict[str, Division] = {}
    for division in divisions:
        seen.setdefault(division.code, division)
    return list(seen.values())


def _read(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def load() -> Divisions:
    """The national list, read once per process (about 45,000 rows, 0.2 s)."""
    townships = {r["code"]: Division(r["code"], r["name"], r["areaCode"]) for r in _read("streets.csv")}
    by_county: dict[str, list[Division]] = {}
    for township in sorted(townships.values(), key=lambda t: t.code):
        by_county.setdefault(township.parent, []).append(township)
    return Divisions(
        provinces={r["code"]: Division(r["code"], r["name"], "") for r in _read("provinces.csv")},
        prefectures={r["code"]: Division(r["code"], r["name"], r["provinceCode"]) for r in _read("cities.csv")},
        counties={r["code"]: Division(r["code"], r["name"], r["cityCode"]) for r in _read("areas.csv")},
        townships=townships,
        by_county={county: tuple(ts) for county, ts in by_county.items()},
    )


def listing(divisions: list[Division]) -> str:
    """Divisions as a clerk reads them in a message: 510802 利州区、510811 昭化区."""
    return "、".join(f"{d.code} {d.name}" for d in divisions)


def unknown_county(code: str, name: str | None = None) -> tuple[str, str]:
    """What to tell a clerk whose county code is not in the national list: what the code is instead (a prefecture's
    or a province's), or the closest real counties. (Chinese, English)"""
    listed = load()
    prefecture, province = listed.prefectures.get(code[:4]), listed.provinces.get(code[:2])
    if code[4:] == "00" and prefecture is not None:
        counties = listing(listed.counties_of(code[:4])[:6])
        return (f"{code} 是地级区划（{province.name if province else ''}{prefecture.name}）的代码，不是县级代码。"
                f"它下辖的县级区划有：{counties}……",
                f"{code} is the code of a prefecture ({prefecture.name}), not of a county; its counties include "
                f"{counties}.")
    if code[2:] == "0000" and province is not None:
        return (f"{code} 是省级区划（{province.name}）的代码，不是县级代码。",
                f"{code} is the code of a province ({province.name}), not of a county.")
    closest = listing(listed.closest_counties(code, name))
    if not closest:
        return (f"{code} 不在国家统计局的统计用区划代码中，也没有相近的代码（前两位 {code[:2]} 不是任何省份）。",
                f"{code} is not in the National Bureau of Statistics' division codes, nor near any (no province "
                f"starts with {code[:2]}).")
    return (f"{code} 不在国家统计局的统计用区划代码中。最接近的真实县级区划：{closest}。",
            f"{code} is not in the National Bureau of Statistics' division codes; the closest real counties are "
            f"{closest}.")
