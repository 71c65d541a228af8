"""图解: the picture of where a county's or a township's money went shows the same figures as the page's tables and
the package itself, drawn without script, its figures readable as text."""

from __future__ import annotations

import csv
import re
from decimal import Decimal

from bs4 import BeautifulSoup

from conftest import ROOT

COUNTY = "519901"


def rows(name):
    with open(ROOT / "data" / COUNTY / f"{name}.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def wan(amount: Decimal) -> str:
    return f"{(amount / 10000).quantize(Decimal('0.01')):,} 万元"


def picture(site, url):
    page = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    figure = page.select_one("figure.picture")
    year = int(re.match(r"(\d{4})", figure.figcaption.get_text()).group(1))
    bars = {}
    for bar in figure.select(".picture-bar"):
        title = bar.select_one(".picture-title").get_text().split("（")[0]
        legend = {}
        for li in bar.select(".picture-legend li"):
            label = li.get_text().split(" ")[0]
            legend[label] = li.select_one(".num").get_text()
        widths = [float(r["width"]) for r in bar.select("svg rect")]
        assert abs(sum(widths) - 1000) < 1 and bar.svg["aria-hidden"] == "true"
        bars[title] = (bar.select_one(".picture-title").get_text(), legend)
    return page, year, bars


def test_the_county_picture_has_the_figures_of_its_tables_and_of_the_package(demo_site):
    page, year, bars = picture(demo_site, COUNTY)
    assert "<script" not in str(page.select_one("figure.picture"))
    # 资金来源: the rows of the table 按年度和资金来源 for the same year, source by source.
    table = {}
    for tr in page.find("h2", string="按年度和资金来源").find_next("table").select("tbody tr:not(.subtotal)"):
        cells = [td.get_text() for td in tr.select("td")]
        if cells[0] == str(year):
            table[cells[1]] = Decimal(cells[3].replace(",", "").replace(" 元", ""))
    assert {name: wan(amount) for name, amount in table.items()} == bars["资金来源"][1]
    # The same total, from the package: allocations of the year; and by township and the county itself.
    allocations = [a for a in rows("allocations") if int(a["year"]) == year]
    total = sum(Decimal(a["amount"]) for a in allocations)
    assert wan(total) in bars["资金来源"][0] and wan(total) in bars["分配到"][0]
    names = {r["code"]: r["name"] for r in rows("regions")}
    by_place: dict[str, Decimal] = {}
    for a in allocations:
        code = a["recipient_region_code"]
        name = "县本级" if code.endswith("000000") else names[code[:9] + "000"]
        by_place[name] = by_place.get(name, Decimal(0)) + Decimal(a["amount"])
    assert {n: wan(v) for n, v in by_place.items()} == bars["分配到"][1]
    # 项目类别: the budgets of the year's projects.
    budget = sum(Decimal(p["budget"]) for p in rows("projects") if int(p["year"]) == year and p["status"] != "cancelled")
    assert wan(budget) in bars["项目类别"][0]


def test_a_township_picture_counts_what_reached_it_and_its_villages(demo_site):
    township = next(r for r in rows("regions") if r["level"] == "township")
    _, year, bars = picture(demo_site, f"{COUNTY}/place/{township['code']}")
    prefix = township["code"][:9]
    allocations = [a for a in rows("allocations")
                   if int(a["year"]) == year and a["recipient_region_code"].startswith(prefix)]
    assert wan(sum(Decimal(a["amount"]) for a in allocations)) in bars["资金来源"][0]
    assert set(bars["分配到"][1]) <= {r["name"] for r in rows("regions") if r["code"].startswith(prefix)} | {"乡镇本级"}
