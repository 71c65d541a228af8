"""A real Pelican build of the demo county, checked against figures computed from its CSV files."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from gongshi.money import wan, yuan

from conftest import BUILD_DAY, DEMO, GOOD, ROOT, build_site, package_with_defect


def rows(name: str, folder: Path = DEMO) -> list[dict]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True))


def figure(soup: BeautifulSoup, label: str) -> str:
    for box in soup.select(".figures div"):
        if box.dt.get_text(strip=True) == label:
            return box.dd.get_text(strip=True)
    raise AssertionError(f"no figure {label}")


def busiest_village() -> str:
    """Return the village with the most allocations plus projects: the best-tested page."""
    score: dict[str, int] = defaultdict(int)
    villages = {r["code"] for r in rows("regions") if r["level"] == "village"}
    for a in rows("allocations"):
        score[a["recipient_region_code"]] += 1
    for p in rows("projects"):
        score[p["region_code"]] += 1
    return max((c for c in score if c in villages and score[c] > 1), key=lambda c: (score[c], c))


def test_village_page_lists_its_allocations_and_projects_with_totals(demo_site):
    code = busiest_village()
    allocations = [a for a in rows("allocations") if a["recipient_region_code"] == code]
    projects = [p for p in rows("projects") if p["region_code"] == code]
    assert allocations and projects, "the demo should give the busiest village both"
    soup = page(demo_site, f"519901/place/{code}")

    table = soup.select_one("table.allocations")
    listed = [a.get_text(strip=True) for a in table.select("tbody tr td:first-child a")]
    assert sorted(listed) == sorted(a["document_no"] for a in allocations)
    assert table.select_one("tfoot .total").get_text(strip=True) == yuan(sum(Decimal(a["amount"]) for a in allocations))

    cards = soup.select("article.project h3 a")
    assert sorted(c.get_text(strip=True) for c in cards) == sorted(p["name"] for p in projects)
    live = [p for p in projects if p["status"] != "cancelled"]
    assert figure(soup, "项目总投资") == wan(sum(Decimal(p["budget"]) for p in live))
    assert figure(soup, "分配到本地的资金") == wan(sum(Decimal(a["amount"]) for a in allocations))


def test_village_page_shows_each_project_in_full(demo_site):
    code = busiest_village()
    project = next(p for p in rows("projects") if p["region_code"] == code)
    units = {u["unit_id"]: u for u in rows("units")}
    card = page(demo_site, f"519901/place/{code}").select_one(f"#p-{project['project_id']}")
    body = text(card)
    for value in (project["location"], project["content"], project["responsible_person"],
                  project["performance_targets"], project["benefit_mechanism"],
                  units[project["implementing_unit_id"]]["name"], yuan(Decimal(project["budget"]))):
        assert value in body
    start = dt.date.fromisoformat(project["start_date"])
    assert f"{start.year}年{start.month}月{start.day}日" in body


def test_village_page_has_hotlines(demo_site):
    code = busiest_village()
    regions = {r["code"]: r for r in rows("regions")}
    node, hotline = regions[code], None
    while node and not hotline:
        hotline = node["supervision_phone"]
        node = regions.get(node["parent_code"])
    box = text(page(demo_site, f"519901/place/{code}").select_one("main .hotline"))
    assert hotline in box and "12317" in box


def test_township_total_includes_its_villages(demo_site):
    township = next(r for r in rows("regions") if r["level"] == "township")
    prefix = township["code"][:9]
    total = sum(Decimal(a["amount"]) for a in rows("allocations") if a["recipient_region_code"].startswith(prefix))
    assert figure(page(demo_site, f"519901/place/{township['code']}"), "分配到本地的资金") == wan(total)


def test_unit_page_lists_what_it_allocated_and_used(demo_site):
    allocated = [a for a in rows("allocations") if a["allocator_unit_id"] == "czj"]
    soup = page(demo_site, "519901/unit/czj")
    tables = soup.select("table.allocations")
    assert tables[0].select_one("tfoot .total").get_text(strip=True) == yuan(sum(Decimal(a["amount"]) for a in allocated))
    assert len(tables[0].select("tbody tr")) == len(allocated)
    used_by = next(a["recipient_unit_id"] for a in rows("allocations") if a["recipient_unit_id"])
    received = [a for a in rows("allocations") if a["recipient_unit_id"] == used_by]
    soup = page(demo_site, f"519901/unit/{used_by}")
    assert soup.select("table.allocations")[1].select_one("tfoot .total").get_text(strip=True) == yuan(
        sum(Decimal(a["amount"]) for a in received))
    # Each allocation links to its page and to the place it went.
    link = soup.select("table.allocations")[1].select_one("tbody a")["href"]
    assert link.endswith(f"519901/allocation/{received[0]['allocation_id']}/")


def test_allocation_page_shows_where_it_went_and_what_remains(demo_site):
    funds = defaultdict(list)
    for f in rows("project_funds"):
        funds[f["allocation_id"]].append(f)
    allocation = next(a for a in rows("allocations")
                      if Decimal(a["amount"]) > sum(Decimal(f["amount"]) for f in funds[a["allocation_id"]]))
    drawn = sum(Decimal(f["amount"]) for f in funds[allocation["allocation_id"]])
    soup = page(demo_site, f"519901/allocation/{allocation['allocation_id']}")
    assert figure(soup, "尚未安排") == yuan(Decimal(allocation["amount"]) - drawn)
    assert soup.select_one("tfoot .remaining").get_text(strip=True) == yuan(Decimal(allocation["amount"]) - drawn)
    projects = {p["project_id"]: p["name"] for p in rows("projects")}
    listed = sorted(a.get_text(strip=True) for a in soup.select("tbody tr td:first-child a"))
    assert listed == sorted(projects[f["project_id"]] for f in funds[allocation["allocation_id"]])


def test_project_page_shows_which_allocations_fund_it(demo_site):
    funds = [f for f in rows("project_funds") if f["project_id"] == rows("project_funds")[0]["project_id"]]
    documents = {a["allocation_id"]: a["document_no"] for a in rows("allocations")}
    soup = page(demo_site, f"519901/project/{funds[0]['project_id']}")
    listed = sorted(a.get_text(strip=True) for a in soup.select("table")[0].select("tbody td:first-child a"))
    assert listed == sorted(documents[f["allocation_id"]] for f in funds)


def test_notice_page_derives_its_table_and_shows_the_period(demo_site):
    notice = next(n for n in rows("notices") if n["kind"] == "before-start")
    project = next(p for p in rows("projects") if p["project_id"] == notice["project_id"])
    soup = page(demo_site, f"519901/notice/{notice['notice_id']}")
    start, end = (dt.date.fromisoformat(notice[k]) for k in ("start_date", "end_date"))
    assert f"公示期：{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日" in text(soup)
    assert [a.get_text(strip=True) for a in soup.select("table.notice-table tbody td:first-child a")] == [project["name"]]
    assert "12317" in text(soup.select_one(".feedback"))


def test_project_plan_notice_lists_the_places_projects_of_its_year(demo_site):
    notice = next(n for n in rows("notices") if n["kind"] == "project-plan")
    prefix = notice["region_code"][:9]
    expected = [p["name"] for p in rows("projects") if p["region_code"].startswith(prefix)
                and p["year"] == notice["year"] and p["status"] != "cancelled"]
    soup = page(demo_site, f"519901/notice/{notice['notice_id']}")
    assert sorted(a.get_text(strip=True) for a in soup.select("table.notice-table tbody td:first-child a")) == sorted(expected)


def test_home_lists_counties_and_notices_in_their_period(demo_site):
    soup = page(demo_site, "")
    assert "演示县" in text(soup.select_one(".counties"))
    today = dt.date.fromisoformat(BUILD_DAY)
    current = {n["title"] for n in rows("notices") if n["start_date"] and n["end_date"]  # a period not stated is not current
               and dt.date.fromisoformat(n["start_date"]) <= today <= dt.date.fromisoformat(n["end_date"])}
    assert current, "the demo should have notices in their period on the build day"
    section = soup.find("h2", string="正在公示").find_parent("section")
    assert {a.get_text(strip=True) for a in section.select("li > a")} == current


def without_search_script(path: Path, html: str) -> str:
    """Return the page less the one script the site has: the search page's own, from the theme."""
    if path.parent.name == "search":
        return re.sub(r'<script src="[./]*/theme/js/search\.js"></script>', "", html, count=1)
    return html


def test_every_page_is_chinese_static_and_self_contained(demo_site):
    pages = list(demo_site.rglob("*.html"))
    assert len(pages) > 500
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert re.search(r'<html lang="zh-CN"[ >]', html), path
        assert "<script" not in without_search_script(path, html), path
        soup = BeautifulSoup(html, "html.parser")
        for tag in soup.find_all(["link", "img", "script", "iframe"]):
            url = tag.get("href") or tag.get("src") or ""
            assert not re.match(r"(https?:)?//", url), (path, url)
        if "519901" in path.parts:
            assert "演示数据" in text(soup.select_one(".demo")), path


def test_stable_addresses_come_from_ids(demo_site):
    for name, key, kind in (("projects", "project_id", "project"), ("allocations", "allocation_id", "allocation"),
                            ("notices", "notice_id", "notice"), ("units", "unit_id", "unit")):
        for record in rows(name):
            assert (demo_site / "519901" / kind / record[key] / "index.html").is_file()
    for region in rows("regions"):
        url = "519901" if region["level"] == "county" else f"519901/place/{region['code']}"
        assert (demo_site / url / "index.html").is_file()


def test_data_dictionary_lists_every_field(demo_site):
    import json

    body = text(page(demo_site, "dictionary"))
    for schema in (ROOT / "schemas").glob("*.json"):
        for field in json.loads(schema.read_text(encoding="utf-8"))["fields"]:
            assert field["name"] in body and field["title"] in body


def test_policy_pages_are_built(demo_site):
    for slug in ("policy", "policy-explained", "clerk-guide", "about"):
        assert page(demo_site, f"pages/{slug}").h1


@pytest.fixture
def data_dir(tmp_path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    return data


def test_bad_county_is_reported_and_good_county_still_built(data_dir, tmp_path):
    shutil.copytree(DEMO, data_dir / "519901")
    package_with_defect("negative-amount", data_dir / "519902")
    result = build_site(data_dir, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "519901" / "index.html").is_file()
    assert not (tmp_path / "out" / "519902").exists()
    log = result.stdout + result.stderr
    assert "519902" in log and "constraint-error" in log and "not published" in log
    home = page(tmp_path / "out", "")
    assert "演示县" in text(home.select_one(".counties")) and "测试县" not in text(home)


def test_each_problem_is_one_whole_line_in_a_log_that_is_not_a_terminal(data_dir, tmp_path):
    folder = data_dir / "a-folder-with-a-long-name-as-clerks-make-them" / "519902"
    folder.parent.mkdir()
    package_with_defect("negative-amount", folder)
    result = build_site(folder.parent, tmp_path / "out")  # stdout is a pipe, and COLUMNS is not set
    log = (result.stdout + result.stderr).splitlines()
    problem = [line for line in log if "constraint-error" in line]
    assert len(problem) == 1, log
    line = problem[0]
    assert f"{folder / 'allocations.csv'}:" in line and len(line) > 80
    assert "ERROR" in line and "小于 0" in line and "below the minimum" in line  # Chinese, then English
    assert any("519902 未发布" in line and "not published" in line and str(folder) in line for line in log)


FORMULA = '=HYPERLINK("http://example.org/x","点此")'


def test_every_data_value_is_escaped(data_dir, tmp_path):
    """Markup and formulas from the data come out as text in every format: HTML escaped, Atom and the sitemap
    well-formed XML that holds the payload as text, JSON and SQLite holding it as it was written, every CSV with the
    formula neutralised."""
    folder = shutil.copytree(GOOD, data_dir / "519902")
    payload = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    # Region names are at most 50 characters, so they get the short half of the payload.
    for name, old, added in (("projects", "一村茶叶基地提升项目", payload), ("units", "测试县财政局", payload),
                             ("regions", "一村", payload[:25])):
        path = folder / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(old, old + added), encoding="utf-8")
    projects = folder / "projects.csv"  # a formula where a cell starts: the second project's name
    quoted = FORMULA.replace('"', '""').join('""')
    projects.write_text(projects.read_text(encoding="utf-8").replace(",二村通组道路硬化工程,", f",{quoted},"), encoding="utf-8")
    notices = folder / "notices.csv"  # remarks, the notice's other words, is its last column
    lines = notices.read_text(encoding="utf-8").replace("一村2025年度茶叶基地提升项目实施前公示", payload[:40])
    lines = lines.replace("甲镇2025年度衔接资金项目计划公示", quoted).splitlines()
    notices.write_text("\n".join([lines[0], lines[1] + payload, *lines[2:]]) + "\n", encoding="utf-8")
    result = build_site(data_dir, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    for page in ("519902/notice/GS-1/index.html", "519902/notice/GS-1/print/index.html"):
        assert "&lt;img src=x onerror=alert(1)&gt;" in (tmp_path / "out" / page).read_text(encoding="utf-8"), page
    pages = list((tmp_path / "out").rglob("*.html"))
    assert any("&lt;script&gt;" in p.read_text(encoding="utf-8") for p in pages)
    for path in pages:
        html = without_search_script(path, path.read_text(encoding="utf-8"))
        assert "<script" not in html and "<img" not in html, path
    open_data_holds_payloads_as_text(tmp_path / "out", payload)


def open_data_holds_payloads_as_text(site: Path, payload: str) -> None:
    import json
    import sqlite3
    import xml.etree.ElementTree as ET

    xml_files = [*site.rglob("*.atom"), *site.rglob("sitemap*.xml")]
    texts = []
    for path in xml_files:
        raw = path.read_text(encoding="utf-8")
        assert "<script" not in raw and "<img" not in raw, path
        texts += [e.text or "" for e in ET.fromstring(raw).iter()]  # well-formed, or this raises
    assert any(payload[:40] in t for t in texts) and any(FORMULA in t for t in texts)
    documents = [json.loads(p.read_text(encoding="utf-8")) for p in site.rglob("*.json")]
    strings = set()

    def walk(value):
        if isinstance(value, dict):
            [walk(v) for v in value.values()]
        elif isinstance(value, list):
            [walk(v) for v in value]
        elif isinstance(value, str):
            strings.add(value)
    walk(documents)
    assert any(payload in s for s in strings) and FORMULA in strings, "JSON keeps the value as written"
    csvs = list(site.rglob("*.csv"))
    assert len(csvs) > 20
    seen = 0
    for path in csvs:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(("=", "+", "@", "\t", "\r")) and not re.match(r"-[^0-9.]", cell), (path, cell)
                    seen += cell == "'" + FORMULA
    assert seen >= 3, "the formula is in the county's tables, the page CSVs and the site's bulk CSV, neutralised"
    for db in (site / "519902" / "data" / "gongshi-519902.db", site / "data" / "gongshi-all.db"):
        with sqlite3.connect(db) as connection:
            names = {name for (name,) in connection.execute("SELECT name FROM projects")}
        assert FORMULA in names and any(payload in n for n in names), db


def test_the_demo_alone_is_shown_on_its_own_day_and_a_real_county_on_the_real_day(tmp_path):
    """Built on any day, the shipped demo shows its notices in their period (on TV, on the now page): a site of demo
    counties alone is shown as on the day their data states (gongshi.as_of). With one real county beside it, the day
    is the real one."""
    from gongshi.settings import from_dict
    from gongshi.site.generator import demo_day

    result = build_site(ROOT / "data", tmp_path / "site", today=None, search=False)
    assert result.returncode == 0, result.stderr[-3000:]
    site = tmp_path / "site"
    footer = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").select_one("footer").text
    assert "更新于 2026年11月21日" in footer, footer
    now = BeautifulSoup((site / "519901/now/index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(now.select("table.now tbody tr")) > 0
    mixed = tmp_path / "mixed"
    shutil.copytree(DEMO, mixed / "519901")
    shutil.copytree(GOOD, mixed / "519902")
    assert demo_day(from_dict({"data_path": str(mixed)})).today is None  # the build's real day
    assert demo_day(from_dict({"data_path": str(ROOT / "data")})).today == dt.date(2026, 11, 21)
    assert demo_day(from_dict({"data_path": str(ROOT / "data"), "today": "2026-12-25"})).today == dt.date(2026, 12, 25)
