"""The data behind every page: index.json beside it, and its tables as CSV, with the figures the page shows and the
package version and fingerprint they come from."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal

from bs4 import BeautifulSoup

from gongshi.site.filters import wan, yuan

from conftest import ROOT

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
    with open(demo_site / COUNTY / "notice" / "GS2026-081" / "projects.csv", encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.reader(fh))) - 1 == notice["figures"]["projects"] == len(notice["projects"])
    page = (demo_site / COUNTY / "project" / "XM2026-004" / "index.html").read_text(encoding="utf-8")
    assert 'href="index.json"' in page and 'href="funds.csv"' in page


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_table_a_page_shows_is_in_its_files_and_every_file_is_linked(demo_site):
    """The links at a page's foot are the CSVs its JSON names, each there; and the tables that were once left out
    (a notice's projects beside its allocations, the totals per village, the money a unit uses) are in them, with
    the rows the page shows and addresses that open from Excel."""
    for path in sorted((demo_site / COUNTY).rglob("index.json")):
        html = BeautifulSoup((path.parent / "index.html").read_text(encoding="utf-8"), "html.parser")
        links = [a["href"] for a in html.select(".page-data a") if a["href"].endswith(".csv")]
        named = list(json.loads(path.read_text(encoding="utf-8")).get("csv", {}).values())
        assert sorted(links) == sorted(named), path.parent
        assert all((path.parent / name).is_file() for name in named), path.parent
    mixed = demo_site / COUNTY / "notice" / "GS2026-019"
    html = BeautifulSoup((mixed / "index.html").read_text(encoding="utf-8"), "html.parser")
    shown = {name: len(html.select(f"table.{name} tbody tr")) for name in ("allocations", "notice-table")}
    assert shown["allocations"] >= 1 and shown["notice-table"] >= 1
    assert len(csv_rows(mixed / "allocations.csv")) == shown["allocations"]
    projects = csv_rows(mixed / "projects.csv")
    assert len(projects) == shown["notice-table"]
    assert all(r["网址"].startswith("https://") and r["网址"].endswith(f"/project/{r['项目编号']}/") for r in projects)
    # As the page says them: 已验收, not accepted.
    assert all(not r["状态"].isascii() and not r["类别"].isascii() for r in projects)
    assert all(not r["类别"].isascii() for r in csv_rows(demo_site / COUNTY / "notices.csv"))
    done = demo_site / COUNTY / "notice" / "GS2025-153"  # a completion notice: what the projects cost
    html = BeautifulSoup((done / "index.html").read_text(encoding="utf-8"), "html.parser")
    spent_on_page = html.select("table.notice-table tfoot td.num")[0].text
    data = json.loads((done / "index.json").read_text(encoding="utf-8"))
    rows = csv_rows(done / "projects.csv")
    assert yuan(Decimal(data["figures"]["actualSpendingTotal"])) == spent_on_page
    assert sum(Decimal(r["实际支出（元）"]) for r in rows) == Decimal(data["figures"]["actualSpendingTotal"])
    assert [r["结余资金（元）"] for r in rows] == [p["remainder_recovered"] or "" for p in data["projects"]]
    assert any(r["结余资金（元）"] for r in rows)
    project = demo_site / COUNTY / "project" / "XM2026-001"
    html = BeautifulSoup((project / "index.html").read_text(encoding="utf-8"), "html.parser")
    totals = csv_rows(project / "household-totals.csv")
    page_rows = html.select("table.household-totals tbody tr")
    assert len(totals) == len(page_rows) > 0
    assert [Decimal(r["补助金额（元）"]) for r in totals] == [
        Decimal(tr.select("td.num")[-1].text.replace(",", "")) for tr in page_rows]
    unit = demo_site / COUNTY / "unit" / "zf100"
    data = json.loads((unit / "index.json").read_text(encoding="utf-8"))
    received = csv_rows(unit / "received.csv")
    assert len(received) == len(data["received"]) > 0
    assert sum(Decimal(r["金额（元）"]) for r in received) == Decimal(data["figures"]["receivedTotal"])


def test_a_journalists_question_has_one_answer_in_sqlite_in_the_township_csv_and_in_oc4ids(demo_site):
    """Which projects in 桂花镇 got more than 500,000 yuan, and from which source: the README's three ways agree."""
    import sqlite3

    data = demo_site / COUNTY / "data"
    db = sqlite3.connect(data / f"gongshi-{COUNTY}.db")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    query = re.search(r"```sql\n(.*?)```", readme.split("For journalists", 1)[1], re.S).group(1)
    by_sql = [(pid, budget, sources or "") for pid, _, budget, sources in db.execute(query).fetchall()]
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


def test_an_amount_with_a_fraction_of_a_fen_is_rounded_alike_everywhere():
    """The page rounds half a fen up; the JSON and CSV, the fen columns and OC4IDS say the same."""
    from gongshi.money import amount
    from gongshi.opendata.oc4ids import money as oc4ids_money
    from gongshi.opendata.pagedata import money
    from gongshi.opendata.sqlite import _fen

    for text, shown, fen in (("10000.005", "10,000.01", 1000001), ("0.004", "0.00", 0), ("12.345", "12.35", 1235),
                             ("125000.00", "125,000.00", 12500000)):
        assert amount(Decimal(text)) == shown
        assert money(Decimal(text)) == shown.replace(",", "")
        assert _fen(text) == fen
        assert Decimal(str(oc4ids_money(Decimal(text))["amount"])) == Decimal(shown.replace(",", ""))
