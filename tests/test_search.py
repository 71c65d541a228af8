"""Search: one Pagefind index per county, a search box on every page, Chinese queries in real headless Chromium."""

from __future__ import annotations

import csv
import functools
import gzip
import http.server
import json
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from gongshi.site.search import index_county, write_search_manifest

from conftest import GOOD, ROOT, build_site

PREFIX = "/gongshi"  # the site is served under a sub-path, as a province may do
PAGES = {"home": "", "county": "519901/", "township": "519901/place/519901100000/",
         "village": "519901/place/519901100201/", "project": "519901/project/XM2025-005/",
         "allocation": "519901/allocation/ZJ2025-007/", "notice": "519901/notice/GS2025-030/",
         "unit": "519901/unit/jtj/", "data": "519901/data/", "versions": "519901/versions/",
         "version": "519901/versions/1/", "dictionary": "dictionary/", "keys": "keys/", "prose": "pages/about/"}
# Allocations are found through the projects they fund (their document numbers are on project pages) and their
# notices; units through their place. Indexing fewer, smaller pages keeps a province's indexing affordable.
INDEXED = {"county", "township", "village", "project", "notice"}


def serve(folder: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def translate_path(self, path):
            return super().translate_path(path[len(PREFIX):] if path.startswith(PREFIX + "/") else "/404-outside")

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_port}{PREFIX}/"


@pytest.fixture(scope="module")
def server(demo_site):
    httpd, url = serve(demo_site)
    yield url
    httpd.shutdown()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 640})
    yield context.new_page()
    context.close()


def search(tab, url: str, **params) -> list[dict]:
    """Open the search page with these parameters and return the results it shows."""
    tab.goto(url + "search/?" + "&".join(f"{k}={quote(str(v))}" for k, v in params.items()))
    tab.wait_for_selector("#search[data-done]", timeout=30_000)
    return tab.locator(".search-result").evaluate_all(
        "items => items.map(li => ({title: li.querySelector('a').textContent, href: li.querySelector('a').href,"
        " kind: (li.querySelector('.tag') || {}).textContent, facts: (li.querySelector('.search-facts') || {}).textContent}))")


def status(tab) -> str:
    return tab.locator("#search-status").inner_text()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_has_a_search_box_and_data_pages_are_indexed(demo_site, name):
    soup = BeautifulSoup((demo_site / PAGES[name] / "index.html").read_text(encoding="utf-8"), "html.parser")
    box = soup.select_one("header form.site-search[role=search]")
    assert box is not None and box["method"] == "get" and box["action"].endswith("search/")
    assert box.select_one("input[type=search][name=q]") and box.select_one("button[type=submit]")
    county = box.select_one("input[name=county]")
    assert (county["value"] if county else None) == ("519901" if PAGES[name].startswith("519901") else None)
    main = soup.select_one("main")
    assert main.has_attr("data-pagefind-body") == (name in INDEXED)
    if name in INDEXED:
        tags = {t["data-pagefind-filter"]: t.text for t in main.select("[data-pagefind-ignore] [data-pagefind-filter]")}
        assert tags["county"] == "演示县" and tags["kind"]
        meta = {t["data-pagefind-meta"]: t.text for t in main.select("[data-pagefind-ignore] [data-pagefind-meta]")}
        assert meta["amount"].endswith("元") and meta["place"].startswith("演示县")


def test_each_county_has_its_own_index_of_its_data_pages(demo_site):
    bundle = demo_site / "519901" / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    indexed = [p for p in (demo_site / "519901").rglob("index.html") if "data-pagefind-body" in p.read_text("utf-8")]
    kinds = [p for kind in ("place", "project", "notice") for p in (demo_site / "519901" / kind).rglob("index.html")
             if "print" not in p.parts and "tv" not in p.parts]  # wall notices and screens are not searched
    assert len(indexed) == len(kinds) + 1  # and the county page
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(indexed) > 200
    # Only what the small search interface needs; not Pagefind's own interfaces.
    assert not list(bundle.glob("pagefind-ui*")) and not list(bundle.glob("pagefind-component-ui*"))
    manifest = json.loads((demo_site / "search" / "indexes.json").read_text(encoding="utf-8"))
    assert manifest["counties"] == [{"code": "519901", "name": "演示县", "bundle": "519901/pagefind/",
                                     "pages": len(indexed)}]


def test_what_every_page_repeats_is_not_indexed(demo_site):
    """Hotlines, the print buttons, the wall notice's sign-off and table headings are on every page of a kind: kept
    out of the index, so they neither match every page nor weigh on the index. What the page says is indexed."""
    fragments = []
    for path in (demo_site / "519901" / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        fragments.append(json.loads(raw[raw.index(b"{"):]))
    assert len(fragments) > 200
    notices = [f for f in fragments if "/notice/" in f["url"]]
    assert notices and all("GS" in f["content"] for f in notices)
    for fragment in fragments:
        text = fragment["content"].replace("\u200b", "").replace(" ", "")
        for repeated in ("12317", "监督举报电话", "扫码查看网上公示", "数据包指纹", "负责人签字", "打印公示", "贴到村务公开栏",
                         "政府采购及招标情况联农带农机制"):
            assert repeated not in text, (fragment["url"], repeated)


def test_with_javascript_off_pages_work_and_the_box_is_hidden(server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 640}, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(server + PAGES["project"])
    assert tab.locator("h1").inner_text() == "金竹村通组道路硬化工程"
    assert not tab.locator("form.site-search").is_visible()
    assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    # Someone who reaches the search page anyway is told why it cannot search, and how to find things without it.
    tab.goto(server + "search/?q=" + quote("道路硬化"))
    assert not tab.locator("#search").is_visible()
    assert "JavaScript" in tab.locator("#search-nojs").inner_text()
    tab.locator("#search-nojs").get_by_role("link", name="演示县").click()
    assert tab.locator("h1").inner_text().startswith("演示县")
    context.close()


@pytest.mark.parametrize("query, expect", [
    ("道路硬化", "道路硬化"),                       # two words typed as one run
    ("产业扶贫", None),                             # words that stand apart on the pages
    ("红星村", "红星村"),                            # a village
    ("XM2025-005", "金竹村通组道路硬化工程"),          # a project id
    ("柑橘种植基地", "柑橘种植基地"),
])
def test_chinese_typed_without_spaces_finds_its_pages(server, phone, query, expect):
    results = search(phone, server, q=query, county="519901")
    assert results, status(phone)
    if expect:
        assert expect in results[0]["title"] or any(expect in r["title"] for r in results[:5]), results[:5]
    for r in results:
        assert r["href"].startswith(server + "519901/"), r["href"]  # right county, right sub-path


# Whole names that Chromium cuts into words differently from the indexer (茶园 + 村 against 茶园村): as words alone
# they found only a notice that lists the project, not the project's own page.
@pytest.mark.parametrize("name, project", [
    ("茶园村茶叶种植基地建设项目", "XM2025-025"),
    ("堰塘村通组道路硬化工程", "XM2026-064"),
    ("双河镇雨露计划职业教育补助项目", "XM2025-040"),
])
def test_a_whole_name_typed_without_spaces_finds_its_own_page(server, phone, name, project):
    results = search(phone, server, q=name, county="519901")
    assert server + f"519901/project/{project}/" in [r["href"] for r in results[:3]], results[:3]
    excerpts = phone.locator(".search-excerpt").all_inner_texts()
    assert excerpts and not any(re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", e) for e in excerpts), excerpts


def test_a_project_id_leads_to_its_page(server, phone):
    results = search(phone, server, q="XM2025-005", county="519901")
    assert server + "519901/project/XM2025-005/" in [r["href"] for r in results]
    phone.locator(".search-result a", has_text="金竹村通组道路硬化工程").first.click()
    assert phone.locator("h1").inner_text() == "金竹村通组道路硬化工程"


def test_results_show_amount_and_place(server, phone):
    results = search(phone, server, q="道路硬化", county="519901")
    projects = [r for r in results if r["kind"] == "项目"]
    assert projects
    for r in projects:
        assert "演示县" in r["facts"] and "总投资" in r["facts"] and r["facts"].endswith("元"), r


def test_filters_narrow_the_results(server, phone):
    everything = search(phone, server, q="道路硬化", county="519901")
    total = int(status(phone).split("找到 ")[1].split(" ")[0])
    assert len(everything) == 10 and total > 20
    search(phone, server, q="道路硬化", county="519901", year="2026", kind="项目")
    narrowed = int(status(phone).split("找到 ")[1].split(" ")[0])
    assert 0 < narrowed < total
    kinds = phone.locator(".search-result .tag").all_inner_texts()
    assert set(kinds) == {"项目"}
    # The filters are offered with what each would leave, and choosing one searches again.
    assert phone.locator("#search-filters").get_attribute("open") is not None
    township = phone.locator("select[name=township]")
    options = township.locator("option").all_inner_texts()
    assert "全部" in options and any("镇" in o or "乡" in o for o in options)
    choice = next(o for o in township.locator("option").all() if o.get_attribute("value"))
    done = phone.locator("#search").get_attribute("data-done")
    township.select_option(choice.get_attribute("value"))
    phone.wait_for_function(f"document.querySelector('#search').dataset.done !== '{done}'")
    assert "township=" in phone.url
    assert int(status(phone).split("找到 ")[1].split(" ")[0]) <= narrowed


def test_first_search_on_a_phone_downloads_under_300_kb(server, phone):
    phone.goto(server + PAGES["village"])
    sizes = {}

    def count(request):
        response = request.response()
        sizes[request.url] = request.sizes()["responseBodySize"] + (response and len(str(response.headers)) or 0)

    phone.on("requestfinished", count)
    phone.locator("#site-q").fill("道路硬化")
    phone.locator("form.site-search button").click()
    phone.wait_for_selector("#search[data-done]", timeout=30_000)
    assert phone.locator(".search-result").count() == 10
    total = sum(sizes.values())
    assert any(u.endswith(".pf_fragment") for u in sizes) and any(u.endswith("pagefind.js") for u in sizes)
    assert total < 300_000, sorted(sizes.items(), key=lambda kv: -kv[1])[:8]


def test_opened_from_disk_search_says_it_needs_the_website(demo_site, browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto((demo_site / "search" / "index.html").as_uri() + "?q=" + quote("道路硬化"))
    tab.wait_for_selector("#search[data-done]", timeout=10_000)
    assert "本地文件" in status(tab)
    context.close()


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """A site of two counties: the demo county and the small test county."""
    root = tmp_path_factory.mktemp("province")
    shutil.copytree(ROOT / "data" / "519901", root / "data" / "519901")
    shutil.copytree(GOOD, root / "data" / "519902")
    result = build_site(root / "data", root / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "out"


def test_province_wide_search_merges_the_county_indexes(province, browser):
    httpd, url = serve(province)
    try:
        context = browser.new_context(viewport={"width": 360, "height": 640})
        tab = context.new_page()
        search(tab, url, q="道路硬化")
        assert "全省各县" in status(tab)
        # All results are counted; look past the first page for the small county's.
        while tab.locator("#search-more").is_visible():
            count = tab.locator(".search-result").count()
            tab.locator("#search-more").click()
            tab.wait_for_function(f"document.querySelectorAll('.search-result').length > {count}")
        hrefs = tab.locator(".search-result a").evaluate_all("links => links.map(a => a.href)")
        assert any(h.startswith(url + "519901/") for h in hrefs) and any(h.startswith(url + "519902/") for h in hrefs)
        assert url + "519902/project/XM-2/" in hrefs
        # Scoped to one county, only that county's index is fetched.
        requested = []
        tab.on("request", lambda r: requested.append(r.url))
        search(tab, url, q="道路硬化", county="519902")
        assert any("/519902/pagefind/" in u for u in requested) and not any("/519901/pagefind/" in u for u in requested)
        assert all(r["href"].startswith(url + "519902/") for r in search(tab, url, q="道路硬化", county="519902"))
        context.close()
    finally:
        httpd.shutdown()


def test_a_county_index_is_rebuilt_alone(province, tmp_path):
    site = shutil.copytree(province, tmp_path / "site")
    other = {p: p.read_bytes() for p in (site / "519901" / "pagefind").rglob("*") if p.is_file()}
    bundle = site / "519902" / "pagefind"
    (bundle / "fragment" / "stale.pf_fragment").write_bytes(b"old")
    before = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    result = index_county(site / "519902")
    assert result.county == "519902" and result.pages == before["languages"]["zh-cn"]["page_count"] > 5
    assert not (bundle / "fragment" / "stale.pf_fragment").exists()  # replaced whole, not added to
    assert not list((site / "519902").glob(".pagefind-*"))
    assert {p: p.read_bytes() for p in (site / "519901" / "pagefind").rglob("*") if p.is_file()} == other
    # The province list follows what is on disk: a county without an index is left out of the merge.
    shutil.rmtree(site / "519901" / "pagefind")
    counties = write_search_manifest(site, {"519901": "演示县", "519902": "测试县"})
    assert [c["code"] for c in counties] == ["519902"]


def test_with_many_counties_a_search_asks_for_one_before_merging_them_all(demo_site, browser, tmp_path):
    """A phone is not made to download every county's index by surprise; "all counties" is a choice."""
    site = tmp_path / "site"
    shutil.copytree(demo_site, site)
    page = site / "search" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert 'data-counties="1"' in html
    page.write_text(html.replace('data-counties="1"', 'data-counties="183"'), encoding="utf-8")
    httpd, url = serve(site)
    context = browser.new_context(viewport={"width": 360, "height": 640})
    tab = context.new_page()
    fetched = []
    tab.on("request", lambda request: fetched.append(request.url))
    try:
        assert search(tab, url, q="道路硬化") == []
        assert "请先选择县" in status(tab)
        assert not [u for u in fetched if "pagefind" in u or "indexes.json" in u]
        results = search(tab, url, q="道路硬化", county="all")
        assert results and "全省各县" in status(tab)
        assert any(u.endswith("search/indexes.json") for u in fetched)
    finally:
        context.close()
        httpd.shutdown()


def test_a_place_typed_by_its_whole_name_comes_first(server, phone):
    """金龙村 used to come 14th, behind 龙泉镇 and 龙井村: a place's own page now comes first for its exact name."""
    with open(ROOT / "data" / "519901" / "regions.csv", encoding="utf-8") as fh:
        places = [r for r in csv.DictReader(fh) if r["level"] in ("village", "township")]
    wrong = []
    search(phone, server, q=places[0]["name"], county="519901")
    for place in places:  # typed into the box of one page, as a villager would, one after the other
        done = phone.locator("#search").get_attribute("data-done")
        phone.fill("#q", place["name"])
        phone.locator("#q").press("Enter")
        phone.wait_for_function(f"document.getElementById('search').dataset.done !== '{done}'", timeout=30_000)
        first = phone.locator(".search-result a").first.get_attribute("href") if phone.locator(".search-result").count() else None
        if not first or not first.rstrip("/").endswith(f"519901/place/{place['code']}"):
            wrong.append((place["name"], first))
    assert not wrong, wrong
