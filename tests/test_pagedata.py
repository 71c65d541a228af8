"""The data behind every page: index.json beside it, and its tables as CSV, with the figures the page shows and the
package version and fingerprint they come from."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

from bs4 import BeautifulSoup

from gongshi.site.filters import wan, yuan

COUNTY = "519901"


def page_and_data(site, url):
    html = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    data = json.loads((site / url / "index.json").read_text(encoding="utf-8"))
    figures = {d.dt.text: d.dd.text for d in html.select("dl.figures > div")}
    return html, data, figures


def dec(text):
    return Decimal(text) if text is not None else Decimal(0)


def pages_of(site, kind, n):
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in (site / COUNTY / kind).glob("*/index.json"))[:n]


def test_twenty_pages_show_the_figures_their_json_holds(demo_site):
    checked = 0
    for url in [f"{COUNTY}/", *pages_of(demo_site, "place", 5)]:
        _, data, figures = page_and_data(demo_site, url)
        f = data["figures"]
        assert figures["项目"] == f"{f['projectCount']} 个", url
        assert figures["项目总投资"] == wan(dec(f["budgetTotal"])), url
        key = "分配资金" if url == f"{COUNTY}/" else "分配到本地的资金"
        assert figures[key] == wan(dec(f["allocatedTotal"])), url
        checked += 1
    for url in pages_of(demo_site, "project", 5):
        html, data, figures = page_and_data(demo_site, url)
        assert figures["总投资"] == yuan(dec(data["figures"]["budget"])), url
        assert figures["已落实资金"] == yuan(dec(data["figures"]["funded"])), url
        assert data["project"]["name"] == html.h1.text
        checked += 1
    for url in pages_of(demo_site, "allocation", 5):
        _, data, figures = page_and_data(demo_site, url)
        for title, key in (("分配金额", "amount"), ("已安排到项目", "drawn"), ("尚未安排", "remaining")):
            assert figures[title] == yuan(dec(data["figures"][key])), (url, title)
        checked += 1
    for url in pages_of(demo_site, "unit", 4):
        _, data, figures = page_and_data(demo_site, url)
        assert figures["分配的资金"] == wan(dec(data["figures"]["allocatedTotal"])), url
        assert figures["实施的项目"] == f"{len(data['implemented'])} 个", url
        checked += 1
    assert checked == 20


def test_every_json_names_its_signed_version_and_its_csv_files_open_as_text(demo_site):
    fingerprint = None
    for path in sorted((demo_site / COUNTY).rglob("index.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["county"] == COUNTY and data["packageVersion"] >= 1 and data["packageFingerprint"]
        fingerprint = fingerprint or data["packageFingerprint"]
        assert data["packageFingerprint"] == fingerprint
        for name in data.get("csv", {}).values():
            with open(path.parent / name, encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.reader(fh))
            assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row), path.parent / name
    notice = json.loads((demo_site / COUNTY / "notice" / "GS2026-081" / "index.json").read_text(encoding="utf-8"))
    total = BeautifulSoup((demo_site / COUNTY / "notice" / "GS2026-081" / "index.html").read_text(encoding="utf-8"),
                          "html.parser").select_one("tfoot td.total, tfoot .num").text
    assert total.replace(",", "").replace("元", "").strip() == notice["figures"]["total"]
    with open(demo_site / COUNTY / "notice" / "GS2026-081" / "rows.csv", encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.reader(fh))) - 1 == notice["figures"]["rows"] == len(notice["rows"])
    page = (demo_site / COUNTY / "project" / "XM2026-004" / "index.html").read_text(encoding="utf-8")
    assert 'href="index.json"' in page and 'href="funds.csv"' in page


def test_a_journalists_question_has_one_answer_in_sqlite_in_the_township_csv_and_in_oc4ids(demo_site):
    """Which projects in 桂花镇 got more than 500,000 yuan, and from which source: the README's three ways agree."""
    import sqlite3

    data = demo_site / COUNTY / "data"
    db = sqlite3.connect(data / f"gongshi-{COUNTY}.db")
    by_sql = db.execute(
        "SELECT p.project_id, p.budget, group_concat(n.source_name || ' ' || f.amount, '；') FROM projects p "
        "JOIN project_funds f USING (project_id) JOIN allocation_names n USING (allocation_id) "
        "WHERE p.budget_fen > 50000000 AND p.region_code LIKE '519901100%' GROUP BY p.project_id "
        "ORDER BY p.project_id").fetchall()
    with open(demo_site / COUNTY / "place" / "519901100000" / "projects.csv", encoding="utf-8-sig", newline="") as fh:
        by_csv = sorted((r["项目编号"], r["总投资（元）"], r["资金来源"]) for r in csv.DictReader(fh)
                        if Decimal(r["总投资（元）"]) > 500000)
    package = json.loads((data / f"oc4ids-{COUNTY}.json").read_text(encoding="utf-8"))
    by_oc4ids = sorted((p["gongshi"]["projectId"], f"{Decimal(str(p['budget']['amount']['amount'])):.2f}",
                        "；".join(f"{s['fundSourceName']} {s['amount']}" for s in p["gongshi"]["fundSources"]))
                       for p in package["projects"] if p["budget"]["amount"]["amount"] > 500000
                       and any(c.startswith("519901100") for c in p["gongshi"]["placeCodes"]))
    assert len(by_sql) > 5
    assert [tuple(r) for r in by_sql] == by_csv == by_oc4ids
